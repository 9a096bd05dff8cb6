"""A leader records that a resident moved out: off the building's list and its pages,
their places and shifts still to come given back, told with the reason; a leader is
changed by branch staff, and a mistake is undone by asking to join again."""

import pytest
from django.urls import reverse

from activities.models import Registration
from buildings.models import Notification, NotificationMute, Resident, TeamEvent
from buildings.services import request_to_join
from tests.activities.factories import ActivityFactory, RegistrationFactory
from tests.buildings.test_permissions import MANAGERS, expected
from tests.conftest import ALL_ROLES, STAFF_ROLES
from tests.factories import AccountResidentFactory
from tests.module_data import roles_built_once

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()


def _url(roles, resident):
    return reverse(
        "buildings:resident-moved-out", args=[roles.building.pk, resident.pk]
    )


@pytest.mark.parametrize("role", ALL_ROLES + STAFF_ROLES[1:] + ["superuser"])
def test_who_may_mark_a_resident_moved_out(roles, login, role, django_user_model):
    moving = Resident.objects.get(user=roles.resident)
    if role == "superuser":
        who = django_user_model.objects.create_superuser("13900000000", "pass-word-123")
    elif role == "resident":  # a neighbour, not the one moving out
        who = Resident.objects.get(user=roles.team).user
        Resident.objects.filter(user=who).update(role=Resident.Role.RESIDENT)
    else:
        who = roles.get(role)
    client = login(who)
    allowed = MANAGERS | {"town_staff", "superuser"}
    page = client.get(_url(roles, moving))
    response = client.post(_url(roles, moving), {"reason": "搬到女儿家住了"})
    moving.refresh_from_db()
    if role in allowed:
        assert page.status_code == 200
        assert response.status_code == 302
        assert moving.status == Resident.Status.LEFT
    else:
        wanted = 404 if role == "other_staff" else expected(role, MANAGERS, 403)
        assert (page.status_code, response.status_code) == (wanted, wanted)
        assert moving.status == Resident.Status.APPROVED


def test_moving_out_gives_back_places_and_tells_them_why(roles, login):
    moving = Resident.objects.get(user=roles.team)
    activity = ActivityFactory(building=roles.building, capacity=2)
    mine = RegistrationFactory(activity=activity, resident=moving, adults=2)
    waiting = RegistrationFactory(activity=activity, adults=1, status="waitlisted")
    # Told even so: no one switches off being told their membership ended.
    NotificationMute.objects.create(user=roles.team, kind="join_decided")
    NotificationMute.objects.create(user=roles.team, kind="membership_ended")
    client = login(roles.leader)
    response = client.post(
        _url(roles, moving), {"reason": "搬到女儿家住了"}, follow=True
    )
    assert "不再列为本楼居民" in response.content.decode()
    moving.refresh_from_db()
    mine.refresh_from_db()
    waiting.refresh_from_db()
    assert (moving.status, moving.role) == (
        Resident.Status.LEFT,
        Resident.Role.RESIDENT,
    )
    # They were on the team: its history says they left it, and why.
    event = TeamEvent.objects.get(resident=moving, kind=TeamEvent.Kind.REMOVED)
    assert (event.actor, event.detail) == (roles.leader, "搬到女儿家住了")
    assert mine.status == Registration.Status.CANCELLED
    assert waiting.status == Registration.Status.CONFIRMED
    told = Notification.objects.get(recipient=roles.team, kind="membership_ended")
    assert "搬到女儿家住了" in told.body
    # They lose the building's pages, and can ask to join again.
    assert login(roles.team).get(roles.building.get_absolute_url()).status_code == 404
    again = request_to_join(
        user=roles.team,
        building=roles.building,
        room=moving.household.room,
        name="重新加入",
    )
    assert again.status == Resident.Status.PENDING


def test_a_reason_is_needed_and_a_leader_is_not_marked_here(roles, login):
    moving = Resident.objects.get(user=roles.resident)
    client = login(roles.leader)
    page = client.post(_url(roles, moving), {"reason": "   "})
    assert page.status_code == 200
    assert "errorlist" in page.content.decode() or "is-invalid" in page.content.decode()
    moving.refresh_from_db()
    assert moving.status == Resident.Status.APPROVED
    leader = Resident.objects.get(user=roles.leader)
    assert client.post(_url(roles, leader), {"reason": "搬走了"}).status_code == 403
    leader.refresh_from_db()
    assert leader.status == Resident.Status.APPROVED


def test_the_page_for_one_resident_offers_it_in_both_languages(roles, login):
    moving = Resident.objects.get(user=roles.resident)
    client = login(roles.leader)
    url = reverse("buildings:resident", args=[roles.building.pk, moving.pk])
    assert "已搬走？" in client.get(url).content.decode()
    client.cookies["django_language"] = "en"
    assert "Moved out?" in client.get(url).content.decode()
    assert "They moved out" in client.get(_url(roles, moving)).content.decode()


def test_the_confirm_page_queries_do_not_grow_with_the_building(
    roles, login, django_assert_max_num_queries
):
    for _i in range(40):
        AccountResidentFactory(household__building=roles.building)
    moving = Resident.objects.get(user=roles.resident)
    for _i in range(5):
        RegistrationFactory(
            activity=ActivityFactory(building=roles.building), resident=moving
        )
    client = login(roles.leader)
    with django_assert_max_num_queries(6):
        assert client.get(_url(roles, moving)).status_code == 200
