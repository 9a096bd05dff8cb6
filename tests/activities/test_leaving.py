"""Leaving the app gives back places and shifts not yet used; what was done stays."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.hours import entries_for, total
from activities.models import Registration, Shift
from buildings.models import Notification, Resident, User
from tests.activities.factories import (
    ActivityFactory,
    RegistrationFactory,
    ShiftFactory,
    TaskFactory,
)
from tests.buildings.test_admin_uploads import change_form
from tests.factories import AccountResidentFactory
from tests.module_data import roles_built_once

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()


@pytest.fixture
def leaver(building):
    return AccountResidentFactory(household__building=building, name="张阿姨")


def _leave(client, resident):
    client.force_login(resident.user)
    response = client.post(reverse("buildings:leave"), {"password": "pass-word-123"})
    assert response.status_code == 302


def test_a_place_held_by_someone_who_left_goes_to_the_waiting_list(
    client, building, leaver
):
    activity = ActivityFactory(building=building, capacity=2)
    mine = RegistrationFactory(activity=activity, resident=leaver, adults=2)
    waiting = RegistrationFactory(activity=activity, adults=1, status="waitlisted")
    _leave(client, leaver)
    mine.refresh_from_db()
    waiting.refresh_from_db()
    assert mine.status == Registration.Status.CANCELLED
    assert waiting.status == Registration.Status.CONFIRMED
    assert Notification.objects.filter(
        recipient=waiting.resident.user, kind="waitlist_promoted"
    ).exists()
    assert activity.registrations.confirmed_people() == 1


def test_a_shift_not_yet_started_is_open_again(client, building, leaver):
    task = TaskFactory(building=building)
    future = ShiftFactory(task=task, volunteer=leaver)
    _leave(client, leaver)
    future.refresh_from_db()
    assert future.volunteer_id is None
    assert Shift.objects.filter(task=task).open().count() == 1


def test_what_was_done_stays(client, building, leaver):
    now = timezone.now()
    past = ActivityFactory(
        building=building,
        counts_as_volunteering=True,
        starts_at=now - timedelta(days=3),
        ends_at=now - timedelta(days=3) + timedelta(hours=2),
    )
    attended = RegistrationFactory(
        activity=past, resident=leaver, attendance="checked_in"
    )
    done = ShiftFactory(
        task=TaskFactory(building=building),
        volunteer=leaver,
        starts_at=now - timedelta(days=2),
        ends_at=now - timedelta(days=2) + timedelta(hours=1),
        done_at=now - timedelta(days=2),
    )
    _leave(client, leaver)
    attended.refresh_from_db()
    done.refresh_from_db()
    assert attended.status == Registration.Status.CONFIRMED
    assert done.volunteer_id == leaver.pk
    assert total(entries_for(leaver, timezone.localtime(done.starts_at).year)) > 0


def test_staff_marking_a_resident_gone_gives_back_their_places_too(
    client, building, leaver
):
    """The admin's status "left" (a family moved out) frees the seat and the shift as
    leaving the app does."""
    activity = ActivityFactory(building=building, capacity=2)
    mine = RegistrationFactory(activity=activity, resident=leaver, adults=2)
    waiting = RegistrationFactory(activity=activity, adults=1, status="waitlisted")
    shift = ShiftFactory(task=TaskFactory(building=building), volunteer=leaver)
    staff = User.objects.create_superuser("13900000000", "pass-word-123", name="周书记")
    client.force_login(staff)
    url, form = change_form(client, "buildings_resident", leaver)
    form["status"] = Resident.Status.LEFT
    response = client.post(url, form)
    assert response.status_code == 302
    mine.refresh_from_db()
    waiting.refresh_from_db()
    shift.refresh_from_db()
    assert mine.status == Registration.Status.CANCELLED
    assert waiting.status == Registration.Status.CONFIRMED
    assert shift.volunteer_id is None
