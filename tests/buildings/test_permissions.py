"""Who may do what (docs/architecture.md, "Who may do what"): every foundation view × every role."""

import pytest
from django.urls import reverse

from buildings.models import Announcement, Resident
from buildings.permissions import Access
from tests.conftest import ALL_ROLES
from tests.factories import AnnouncementFactory, HouseholdFactory
from tests.module_data import roles_built_once

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()

DENIED_VISITOR = 302  # sent to the log-in page
VIEWERS = {"resident", "team", "leader", "staff"}
MANAGERS = {"leader", "staff"}


def expected(role, allowed, denied_member=404):
    if role in allowed:
        return 200
    if role == "visitor":
        return DENIED_VISITOR
    if role in {"outsider", "pending"}:
        return 404
    return denied_member


PAGES = [
    ("buildings:detail", VIEWERS, 404),
    ("buildings:join-requests", MANAGERS, 403),
    ("buildings:todo", MANAGERS, 403),
    ("buildings:residents", MANAGERS, 403),
    ("buildings:announcement-create", MANAGERS, 403),
    ("buildings:edit", MANAGERS, 403),
]


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize(("name", "allowed", "denied_member"), PAGES)
def test_building_pages(roles, login, role, name, allowed, denied_member):
    client = login(roles.get(role))
    response = client.get(reverse(name, args=[roles.building.pk]))
    assert response.status_code == expected(role, allowed, denied_member)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_community_page_is_public(roles, login, role):
    response = login(roles.get(role)).get(roles.building.community.get_absolute_url())
    assert response.status_code == 200


@pytest.mark.parametrize("role", ALL_ROLES)
def test_building_announcement_is_private_community_one_public(roles, login, role):
    private = AnnouncementFactory(building=roles.building, title="楼内通知")
    public = AnnouncementFactory(
        building=None, community=roles.building.community, title="全区通知"
    )
    client = login(roles.get(role))
    assert client.get(public.get_absolute_url()).status_code == 200
    assert client.get(private.get_absolute_url()).status_code == (
        200 if role in VIEWERS else 404
    )


@pytest.mark.parametrize("role", ALL_ROLES)
def test_approve_join_request(roles, login, role):
    applicant = Resident.objects.get(user=roles.pending)
    url = reverse(
        "buildings:decide-join", args=[roles.building.pk, applicant.pk, "approve"]
    )
    response = login(roles.get(role)).post(url)
    applicant.refresh_from_db()
    if role in MANAGERS:
        assert response.status_code == 302
        assert applicant.status == Resident.Status.APPROVED
        assert applicant.decided_by == roles.get(role)
    else:
        assert response.status_code == expected(role, MANAGERS, 403)
        assert applicant.status == Resident.Status.PENDING


@pytest.mark.parametrize("role", ALL_ROLES)
def test_register_proxy_resident(roles, login, role):
    HouseholdFactory(building=roles.building, room="501")
    url = reverse("buildings:residents", args=[roles.building.pk])
    response = login(roles.get(role)).post(
        url, {"room": "501", "name": "钱奶奶", "is_adult": "on"}
    )
    created = Resident.objects.filter(name="钱奶奶").first()
    if role in MANAGERS:
        assert response.status_code == 302
        assert created.registered_by == roles.get(role)
        assert created.is_proxy and created.is_approved
    else:
        assert response.status_code == expected(role, MANAGERS, 403)
        assert created is None


@pytest.mark.parametrize("role", ALL_ROLES)
def test_post_building_announcement(roles, login, role):
    url = reverse("buildings:announcement-create", args=[roles.building.pk])
    response = login(roles.get(role)).post(
        url, {"title": "停水通知", "body": "周三停水"}
    )
    exists = Announcement.objects.filter(
        title="停水通知", building=roles.building
    ).exists()
    assert exists == (role in MANAGERS)
    assert response.status_code == (
        302 if role in MANAGERS else expected(role, MANAGERS, 403)
    )


@pytest.mark.parametrize("role", ALL_ROLES)
def test_post_community_announcement_is_for_staff(roles, login, role):
    community = roles.building.community
    url = reverse("buildings:community-announcement-create", args=[community.pk])
    response = login(roles.get(role)).post(
        url, {"title": "社区通知", "body": "全体居民"}
    )
    exists = Announcement.objects.filter(
        title="社区通知", building__isnull=True
    ).exists()
    assert exists == (role == "staff")
    if role == "staff":
        assert response.status_code == 302
    elif role == "visitor":
        assert response.status_code == DENIED_VISITOR
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ALL_ROLES)
def test_edit_a_proxy_residents_talents(roles, login, role):
    elder = Resident.objects.create(
        household=HouseholdFactory(building=roles.building),
        name="钱奶奶",
        status=Resident.Status.APPROVED,
        registered_by=roles.leader,
    )
    url = reverse("buildings:resident", args=[roles.building.pk, elder.pk])
    data = {"skills": "剪纸", "offer": "教小朋友剪纸", "talent_visibility": "building"}
    response = login(roles.get(role)).post(url, data)
    has_talent = elder.talents.filter(skill__name="剪纸").exists()
    assert has_talent == (role in MANAGERS)
    if role in MANAGERS:
        assert response.status_code == 302
        act = elder.proxy_acts.get()
        assert act.actor == roles.get(role)
    else:
        assert response.status_code == expected(role, MANAGERS, 403)


def test_leader_of_another_building_is_an_outsider_here(roles, login):
    other_leader = Resident.objects.get(user=roles.outsider)
    other_leader.role = Resident.Role.LEADER
    other_leader.save()
    applicant = Resident.objects.get(user=roles.pending)
    url = reverse(
        "buildings:decide-join", args=[roles.building.pk, applicant.pk, "approve"]
    )
    assert login(roles.outsider).post(url).status_code == 404
    applicant.refresh_from_db()
    assert applicant.status == Resident.Status.PENDING


def test_get_on_a_post_only_view_is_refused(roles, login):
    applicant = Resident.objects.get(user=roles.pending)
    url = reverse(
        "buildings:decide-join", args=[roles.building.pk, applicant.pk, "approve"]
    )
    assert login(roles.leader).get(url).status_code == 405


@pytest.mark.parametrize(
    ("role", "participate", "organise", "manage"),
    [
        ("resident", True, False, False),
        ("team", True, True, False),
        ("leader", True, True, True),
    ],
)
def test_access_levels_by_role(building, role, participate, organise, manage):
    resident = Resident(role=role, status="approved")
    access = Access(building=building, resident=resident, is_staff=False)
    assert (access.can_participate, access.can_organise, access.can_manage) == (
        participate,
        organise,
        manage,
    )
    assert Access(building=building, resident=None, is_staff=True).can_manage


def test_leader_reaches_a_residents_volunteer_hours_from_their_page(roles, login):
    resident = Resident.objects.get(user=roles.resident)
    page = login(roles.leader).get(
        reverse("buildings:resident", args=[roles.building.pk, resident.pk])
    )
    hours_url = reverse(
        "activities:resident-hours", args=[roles.building.pk, resident.pk]
    )
    assert hours_url in page.content.decode()
    assert login(roles.leader).get(hours_url).status_code == 200
