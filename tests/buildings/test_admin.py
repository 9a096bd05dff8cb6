"""Branch staff work in the Django admin, in Chinese."""

import pytest
from django.urls import reverse

from buildings.models import Resident
from tests.factories import (
    AccountResidentFactory,
    AnnouncementFactory,
    ResidentFactory,
    TalentFactory,
)

pytestmark = pytest.mark.django_db

MODELS = [
    "user",
    "community",
    "building",
    "household",
    "resident",
    "skill",
    "talent",
    "announcement",
    "proxyact",
    "notification",
    "talentinvitation",
    "teamevent",
]


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(
        "13900000000", "pass-word-123", name="周书记"
    )


@pytest.mark.parametrize("model", MODELS)
def test_every_model_has_a_changelist_with_search(client, superuser, model):
    TalentFactory()
    AnnouncementFactory()
    ResidentFactory()
    client.force_login(superuser)
    response = client.get(reverse(f"admin:buildings_{model}_changelist"), {"q": "1"})
    assert response.status_code == 200
    assert "搜索" in response.content.decode()


def test_admin_is_in_chinese(client, superuser):
    client.force_login(superuser)
    page = client.get(reverse("admin:index")).content.decode()
    assert "活力楼组管理后台" in page and "楼组与居民" in page


def test_admin_action_approves_pending_requests(client, superuser):
    pending = AccountResidentFactory(status="pending")
    client.force_login(superuser)
    client.post(
        reverse("admin:buildings_resident_changelist"),
        {"action": "approve_selected", "_selected_action": [pending.pk]},
    )
    pending.refresh_from_db()
    assert pending.status == Resident.Status.APPROVED
    assert pending.decided_by == superuser


def test_changes_by_staff_are_in_the_audit_trail(client, superuser):
    from auditlog.models import LogEntry

    resident = AccountResidentFactory()
    client.force_login(superuser)
    url = reverse(
        "admin:buildings_building_change", args=[resident.household.building.pk]
    )
    building = resident.household.building
    client.post(
        url,
        {
            "community": building.community.pk,
            "number": building.number,
            "name": "和睦楼",
            "description": "",
        },
    )
    entry = (
        LogEntry.objects.get_for_object(building)
        .filter(action=LogEntry.Action.UPDATE)
        .latest("timestamp")
    )
    assert entry.actor == superuser
    assert entry.changes_dict["name"] == ["", "和睦楼"]


def test_residents_cannot_open_the_admin(client):
    client.force_login(AccountResidentFactory(role="leader").user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
