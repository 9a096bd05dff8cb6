"""Leaders correct or withdraw an announcement with a reason; readers are told; history stays."""

import pytest
from django.urls import reverse

from buildings.models import Announcement, ChangeNote, Notification
from tests.conftest import ALL_ROLES
from tests.factories import AccountResidentFactory, AnnouncementFactory
from tests.module_data import roles_built_once

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()

MANAGERS = {"leader", "staff"}


def expected(role):
    if role in MANAGERS:
        return 302
    if role == "visitor":
        return 302  # to the log-in page
    if role in {"outsider", "pending"}:
        return 404
    return 403


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_may_edit_a_building_announcement(roles, login, role):
    announcement = AnnouncementFactory(building=roles.building, title="停水通知")
    client = login(roles.get(role))
    response = client.post(
        reverse("buildings:announcement-edit", args=[announcement.pk]),
        {"title": "停水通知（改）", "body": "周三停水。", "reason": "日期写错了"},
    )
    assert response.status_code == expected(role)
    announcement.refresh_from_db()
    changed = role in MANAGERS
    assert (announcement.title == "停水通知（改）") is changed
    assert ChangeNote.objects.filter(object_id=announcement.pk).exists() is changed


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_may_withdraw_a_building_announcement(roles, login, role):
    announcement = AnnouncementFactory(building=roles.building)
    response = login(roles.get(role)).post(
        reverse("buildings:announcement-withdraw", args=[announcement.pk]),
        {"reason": "活动取消"},
    )
    assert response.status_code == expected(role)
    announcement.refresh_from_db()
    assert announcement.is_cancelled is (role in MANAGERS)


@pytest.mark.parametrize("role", ["leader", "team", "resident"])
def test_only_staff_change_a_community_wide_announcement(roles, login, role):
    announcement = AnnouncementFactory(
        building=None, community=roles.building.community
    )
    response = login(roles.get(role)).post(
        reverse("buildings:announcement-withdraw", args=[announcement.pk]),
        {"reason": "不对"},
    )
    assert response.status_code == 403
    login(roles.staff).post(
        reverse("buildings:announcement-withdraw", args=[announcement.pk]),
        {"reason": "不对"},
    )
    announcement.refresh_from_db()
    assert announcement.is_cancelled


def test_withdrawn_announcement_stays_with_its_reason_and_readers_are_told(
    roles, login
):
    neighbour = AccountResidentFactory(household__building=roles.building).user
    announcement = AnnouncementFactory(building=roles.building, title="周六大扫除")
    client = login(roles.leader)
    client.post(
        reverse("buildings:announcement-edit", args=[announcement.pk]),
        {"title": "周日大扫除", "body": "改到周日。", "reason": "周六下雨"},
    )
    client.post(
        reverse("buildings:announcement-withdraw", args=[announcement.pk]),
        {"reason": "物业已经打扫"},
    )
    texts = list(
        Notification.objects.filter(recipient=neighbour).values_list("text", flat=True)
    )
    assert any("周六下雨" in text for text in texts)
    assert any("物业已经打扫" in text for text in texts)
    page = login(roles.resident).get(announcement.get_absolute_url()).content.decode()
    assert "物业已经打扫" in page and "周六下雨" in page and "已撤回" in page
    assert "周日大扫除" in page
    # the building's list keeps it, marked
    home = login(roles.resident).get(
        reverse("buildings:detail", args=[roles.building.pk])
    )
    assert "已撤回" in home.content.decode()
    # a withdrawn one cannot be edited any more
    client = login(roles.leader)
    client.post(
        reverse("buildings:announcement-edit", args=[announcement.pk]),
        {"title": "再改", "body": "x", "reason": "y"},
    )
    assert Announcement.objects.get(pk=announcement.pk).title == "周日大扫除"


@pytest.mark.parametrize("reason", ["", "   ", "长" * 301])
def test_a_reason_is_required_and_bounded(roles, login, reason):
    announcement = AnnouncementFactory(building=roles.building)
    response = login(roles.leader).post(
        reverse("buildings:announcement-withdraw", args=[announcement.pk]),
        {"reason": reason},
    )
    assert response.status_code == 200
    announcement.refresh_from_db()
    assert not announcement.is_cancelled
    assert not ChangeNote.objects.exists()
