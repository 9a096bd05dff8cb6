"""Every view and action of activities x every role (docs/architecture.md, "Who may do what")."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity, Registration, Shift, Task
from buildings.models import Resident
from tests.activities.factories import (
    ActivityFactory,
    RegistrationFactory,
    ShiftFactory,
    TaskFactory,
)
from tests.conftest import ALL_ROLES
from tests.factories import AccountResidentFactory, ResidentFactory
from tests.module_data import roles_built_once

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()

DENIED_OUTSIDE = {"visitor": 302, "outsider": 404, "pending": 404}


def table(**allowed):
    """Expected status per role: outsiders as above, members per the given codes."""
    return {**DENIED_OUTSIDE, **allowed}


RESIDENT_UP = table(resident=200, team=200, leader=200, staff=200)
TEAM_UP = table(resident=403, team=200, leader=200, staff=200)
LEADER_UP = table(resident=403, team=403, leader=200, staff=200)
RESIDENTS_ONLY = table(resident=200, team=200, leader=200, staff=403)

GET_VIEWS = [
    ("index", lambda b, a, t: [b.pk], RESIDENT_UP),
    ("detail", lambda b, a, t: [b.pk, a.pk], RESIDENT_UP),
    ("ics", lambda b, a, t: [b.pk, a.pk], RESIDENT_UP),
    ("create", lambda b, a, t: [b.pk], TEAM_UP),
    ("edit", lambda b, a, t: [b.pk, a.pk], TEAM_UP),
    ("roster", lambda b, a, t: [b.pk, a.pk], TEAM_UP),
    ("sheet", lambda b, a, t: [b.pk, a.pk], TEAM_UP),
    ("recap", lambda b, a, t: [b.pk, a.pk], TEAM_UP),
    ("tasks", lambda b, a, t: [b.pk], RESIDENT_UP),
    ("task", lambda b, a, t: [b.pk, t.pk], RESIDENT_UP),
    ("task-create", lambda b, a, t: [b.pk], TEAM_UP),
    ("hours", lambda b, a, t: [b.pk], RESIDENTS_ONLY),
]


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize(
    ("name", "args", "expected"), GET_VIEWS, ids=[v[0] for v in GET_VIEWS]
)
def test_get_views(roles, login, building, role, name, args, expected):
    activity = ActivityFactory(building=building)
    task = TaskFactory(building=building)
    response = login(roles.get(role)).get(
        reverse(f"activities:{name}", args=args(building, activity, task))
    )
    assert response.status_code == expected[role]


@pytest.mark.parametrize("role", ALL_ROLES)
def test_resident_hours_statement_for_leaders(roles, login, building, role):
    grandma = ResidentFactory(household__building=building)
    response = login(roles.get(role)).get(
        reverse("activities:resident-hours", args=[building.pk, grandma.pk])
    )
    assert response.status_code == LEADER_UP[role]


@pytest.mark.parametrize("role", ALL_ROLES)
def test_community_wide_activity_seen_from_every_building(roles, login, building, role):
    activity = ActivityFactory(building=None, community=building.community)
    client = login(roles.get(role))
    expected = {
        **RESIDENT_UP,
        "outsider": 200,
    }  # community-wide: the neighbour building sees it too
    if role == "outsider":
        other = Resident.objects.get(user=roles.outsider).household.building
        response = client.get(
            reverse("activities:detail", args=[other.pk, activity.pk])
        )
    else:
        response = client.get(
            reverse("activities:detail", args=[building.pk, activity.pk])
        )
    assert response.status_code == expected[role]


@pytest.mark.parametrize("role", ALL_ROLES)
def test_only_staff_edit_community_wide(roles, login, building, role):
    activity = ActivityFactory(building=None, community=building.community)
    response = login(roles.get(role)).get(
        reverse("activities:edit", args=[building.pk, activity.pk])
    )
    assert (
        response.status_code
        == table(resident=403, team=403, leader=403, staff=200)[role]
    )


@pytest.mark.parametrize("role", ALL_ROLES)
def test_community_link_lands_in_own_building(roles, login, building, role):
    activity = ActivityFactory(building=None, community=building.community)
    response = login(roles.get(role)).get(activity.get_absolute_url())
    expected = {
        "visitor": 302,
        "outsider": 302,
        "pending": 404,
        "resident": 302,
        "team": 302,
        "leader": 302,
        "staff": 302,
    }
    assert response.status_code == expected[role]
    if role in ("resident", "leader"):
        assert response.url == activity.url_in(building.pk)


# --- POST actions: allowed ones write, denied ones write nothing -------------------------


WRITE = table(resident=302, team=302, leader=302, staff=302)


def post(login, user, name, args, data=None):
    return login(user).post(reverse(f"activities:{name}", args=args), data or {})


@pytest.mark.parametrize("role", ALL_ROLES)
def test_sign_up(roles, login, building, role):
    activity = ActivityFactory(building=building)
    response = post(
        login,
        roles.get(role),
        "sign-up",
        [building.pk, activity.pk],
        {"adults": 1, "children": 0},
    )
    expected = {**WRITE, "staff": 403}
    assert response.status_code == expected[role]
    assert activity.registrations.count() == (
        1 if expected[role] == 302 and role != "visitor" else 0
    )


@pytest.mark.parametrize("role", ALL_ROLES)
def test_cancel_someone_elses_sign_up(roles, login, building, role):
    activity = ActivityFactory(building=building)
    registration = RegistrationFactory(activity=activity)
    response = post(
        login, roles.get(role), "cancel", [building.pk, activity.pk, registration.pk]
    )
    expected = table(
        resident=404, team=302, leader=302, staff=302
    )  # the organisers may
    assert response.status_code == expected[role]
    registration.refresh_from_db()
    assert (registration.status == "cancelled") == (role in ("team", "leader", "staff"))


@pytest.mark.parametrize("role", ALL_ROLES)
def test_check_in(roles, login, building, role):
    activity = ActivityFactory(building=building)
    registration = RegistrationFactory(activity=activity)
    with time_machine.travel(activity.starts_at):
        response = post(
            login,
            roles.get(role),
            "attendance",
            [building.pk, activity.pk, registration.pk],
            {"attendance": "checked_in"},
        )
    expected = table(resident=403, team=302, leader=302, staff=302)
    assert response.status_code == expected[role]
    registration.refresh_from_db()
    assert (registration.attendance == "checked_in") == (
        role in ("team", "leader", "staff")
    )


@pytest.mark.parametrize("role", ALL_ROLES)
def test_register_a_neighbour_without_phone(roles, login, building, role):
    activity = ActivityFactory(building=building)
    grandma = ResidentFactory(household__building=building)
    response = post(
        login,
        roles.get(role),
        "register-for",
        [building.pk, activity.pk],
        {"resident": grandma.pk, "adults": 1, "children": 0},
    )
    expected = table(resident=403, team=403, leader=302, staff=302)
    assert response.status_code == expected[role]
    assert activity.registrations.filter(resident=grandma).exists() == (
        expected[role] == 302 and role != "visitor"
    )


@pytest.mark.parametrize("role", ALL_ROLES)
def test_create_activity(roles, login, building, role):
    start = timezone.localtime() + timedelta(days=5)
    data = {
        "kind": "clean_up",
        "title": "楼道清洁",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "signup_deadline": (start - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "place": "一楼门厅",
        "capacity": 20,
        "whole_community": "on",
    }
    response = post(login, roles.get(role), "create", [building.pk], data)
    expected = table(resident=403, team=302, leader=302, staff=302)
    assert response.status_code == expected[role]
    created = Activity.objects.filter(title="楼道清洁").first()
    assert (created is not None) == (role in ("team", "leader", "staff"))
    if (
        created is not None
    ):  # only staff may make it community-wide; the checkbox is ignored for others
        assert created.is_community_wide == (role == "staff")


@pytest.mark.parametrize("role", ALL_ROLES)
def test_edit_activity(roles, login, building, role):
    activity = ActivityFactory(building=building, capacity=10)
    data = {
        "kind": activity.kind,
        "title": "新标题",
        "starts_at": timezone.localtime(activity.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": timezone.localtime(activity.ends_at).strftime("%Y-%m-%dT%H:%M"),
        "signup_deadline": timezone.localtime(activity.signup_deadline).strftime(
            "%Y-%m-%dT%H:%M"
        ),
        "place": activity.place,
        "capacity": 12,
        "reason": "人数多了",
    }
    response = post(login, roles.get(role), "edit", [building.pk, activity.pk], data)
    expected = table(resident=403, team=302, leader=302, staff=302)
    assert response.status_code == expected[role]
    activity.refresh_from_db()
    assert (activity.title == "新标题") == (role in ("team", "leader", "staff"))


@pytest.mark.parametrize("role", ALL_ROLES)
def test_recap(roles, login, building, role):
    activity = ActivityFactory(building=building)
    with time_machine.travel(activity.ends_at):
        response = post(
            login,
            roles.get(role),
            "recap",
            [building.pk, activity.pk],
            {"recap": "大家玩得很开心"},
        )
    expected = table(resident=403, team=302, leader=302, staff=302)
    assert response.status_code == expected[role]
    activity.refresh_from_db()
    assert (activity.recap == "大家玩得很开心") == (role in ("team", "leader", "staff"))


@pytest.mark.parametrize("role", ALL_ROLES)
def test_claim_shift(roles, login, building, role):
    shift = ShiftFactory(task=TaskFactory(building=building))
    response = post(login, roles.get(role), "shift-claim", [building.pk, shift.pk])
    expected = {**WRITE, "staff": 403}
    assert response.status_code == expected[role]
    shift.refresh_from_db()
    assert (shift.volunteer is not None) == (role in ("resident", "team", "leader"))


@pytest.mark.parametrize("role", ALL_ROLES)
def test_release_or_swap_offer_of_someone_elses_shift(roles, login, building, role):
    holder = AccountResidentFactory(household__building=building)
    shift = ShiftFactory(task=TaskFactory(building=building), volunteer=holder)
    for name in ("shift-release", "shift-offer-swap"):
        response = post(login, roles.get(role), name, [building.pk, shift.pk])
        assert (
            response.status_code
            == table(resident=403, team=403, leader=403, staff=403)[role]
        )
    shift.refresh_from_db()
    assert shift.volunteer == holder and not shift.swap_wanted


@pytest.mark.parametrize("role", ALL_ROLES)
def test_mark_shift_done(roles, login, building, role):
    holder = AccountResidentFactory(household__building=building)
    shift = ShiftFactory(task=TaskFactory(building=building), volunteer=holder)
    with time_machine.travel(shift.ends_at):
        response = post(login, roles.get(role), "shift-done", [building.pk, shift.pk])
    expected = table(resident=403, team=302, leader=302, staff=302)
    assert response.status_code == expected[role]
    shift.refresh_from_db()
    assert shift.is_done == (role in ("team", "leader", "staff"))


@pytest.mark.parametrize("role", ALL_ROLES)
def test_create_task(roles, login, building, role):
    start = timezone.localtime() + timedelta(days=1)
    data = {
        "kind": "garden",
        "title": "浇水",
        "first_starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": 30,
        "repeat_weeks": 4,
    }
    response = post(login, roles.get(role), "task-create", [building.pk], data)
    expected = table(resident=403, team=302, leader=302, staff=302)
    assert response.status_code == expected[role]
    allowed = role in ("team", "leader", "staff")
    assert Task.objects.filter(title="浇水").exists() == allowed
    assert Shift.objects.filter(task__title="浇水").count() == (4 if allowed else 0)


@pytest.mark.parametrize(
    "name",
    ["sign-up", "register-for", "shift-claim", "shift-done", "attendance", "cancel"],
)
def test_get_on_post_only_views_is_405(roles, login, building, name):
    activity = ActivityFactory(building=building)
    registration = RegistrationFactory(activity=activity)
    shift = ShiftFactory(task=TaskFactory(building=building))
    args = {
        "sign-up": [building.pk, activity.pk],
        "register-for": [building.pk, activity.pk],
        "shift-claim": [building.pk, shift.pk],
        "shift-done": [building.pk, shift.pk],
        "attendance": [building.pk, activity.pk, registration.pk],
        "cancel": [building.pk, activity.pk, registration.pk],
    }[name]
    response = login(roles.leader).get(reverse(f"activities:{name}", args=args))
    assert response.status_code == 405
    assert Registration.objects.get(pk=registration.pk).status == "confirmed"
