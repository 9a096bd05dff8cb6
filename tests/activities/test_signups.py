"""Sign-ups, the waiting list, promotion, capacity changes, quotas and the clock."""

from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from activities import services
from activities.models import Registration
from buildings.models import Notification, ProxyAct
from tests.activities.factories import ActivityFactory, RegistrationFactory
from tests.factories import (
    AccountResidentFactory,
    BuildingFactory,
    HouseholdFactory,
    ResidentFactory,
)
from tests.module_data import roles_built_once

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()


def resident_of(building, **kwargs):
    return AccountResidentFactory(household__building=building, **kwargs)


def test_sign_up_confirms_until_full_then_waitlists(building):
    activity = ActivityFactory(building=building, capacity=3)
    first = services.sign_up(
        activity=activity, resident=resident_of(building), adults=1, children=1
    )
    second = services.sign_up(
        activity=activity, resident=resident_of(building), adults=1, children=0
    )
    third = services.sign_up(
        activity=activity, resident=resident_of(building), adults=1, children=0
    )
    assert [first.status, second.status, third.status] == [
        "confirmed",
        "confirmed",
        "waitlisted",
    ]
    assert activity.registrations.confirmed_people() == 3


def test_party_that_does_not_fit_waits_and_nobody_jumps_the_queue(building):
    activity = ActivityFactory(building=building, capacity=4)
    services.sign_up(
        activity=activity, resident=resident_of(building), adults=2, children=0
    )
    big = services.sign_up(
        activity=activity, resident=resident_of(building), adults=2, children=1
    )
    small = services.sign_up(
        activity=activity, resident=resident_of(building), adults=1, children=0
    )
    assert big.status == "waitlisted"
    assert (
        small.status == "waitlisted"
    )  # a seat is free, but someone is already waiting


def test_one_active_sign_up_per_resident(building):
    activity = ActivityFactory(building=building)
    resident = resident_of(building)
    services.sign_up(activity=activity, resident=resident, adults=1, children=0)
    with pytest.raises(ValidationError, match="已经报过名|already signed up"):
        services.sign_up(activity=activity, resident=resident, adults=1, children=0)
    assert activity.registrations.count() == 1


def test_cancel_then_sign_up_again(building):
    activity = ActivityFactory(building=building)
    resident = resident_of(building)
    registration = services.sign_up(
        activity=activity, resident=resident, adults=1, children=0
    )
    services.cancel_registration(registration=registration, actor=resident.user)
    again = services.sign_up(activity=activity, resident=resident, adults=1, children=0)
    assert again.status == "confirmed"
    assert activity.registrations.active().count() == 1


def test_cancellation_promotes_next_in_order_and_tells_them(building):
    activity = ActivityFactory(building=building, capacity=2)
    first = services.sign_up(
        activity=activity, resident=resident_of(building), adults=2, children=0
    )
    waiting = [
        services.sign_up(
            activity=activity, resident=resident_of(building), adults=1, children=0
        )
        for _i in range(3)
    ]
    assert all(r.status == "waitlisted" for r in waiting)
    promoted = services.cancel_registration(
        registration=first, actor=first.resident.user
    )
    assert [r.pk for r in promoted] == [waiting[0].pk, waiting[1].pk]
    statuses = dict(Registration.objects.values_list("pk", "status"))
    assert statuses[waiting[0].pk] == statuses[waiting[1].pk] == "confirmed"
    assert statuses[waiting[2].pk] == "waitlisted"
    told = Notification.objects.filter(kind="waitlist_promoted")
    assert set(told.values_list("recipient", flat=True)) == {
        waiting[0].resident.user_id,
        waiting[1].resident.user_id,
    }
    assert told.first().link == f"/buildings/{building.pk}/activities/{activity.pk}/"


def test_leaving_the_waiting_list_promotes_nobody(building):
    activity = ActivityFactory(building=building, capacity=1)
    services.sign_up(
        activity=activity, resident=resident_of(building), adults=1, children=0
    )
    waiting = services.sign_up(
        activity=activity, resident=resident_of(building), adults=1, children=0
    )
    assert (
        services.cancel_registration(registration=waiting, actor=waiting.resident.user)
        == []
    )
    assert Notification.objects.filter(kind="waitlist_promoted").count() == 0


def test_cancelling_twice_is_refused(building):
    registration = RegistrationFactory(activity=ActivityFactory(building=building))
    services.cancel_registration(
        registration=registration, actor=registration.resident.user
    )
    with pytest.raises(ValidationError):
        services.cancel_registration(
            registration=registration, actor=registration.resident.user
        )


def test_capacity_can_rise_and_promotes_in_order(building):
    activity = ActivityFactory(building=building, capacity=1)
    services.sign_up(
        activity=activity, resident=resident_of(building), adults=1, children=0
    )
    waiting = [
        services.sign_up(
            activity=activity, resident=resident_of(building), adults=1, children=0
        )
        for _i in range(3)
    ]
    activity, promoted = services.update_activity(
        activity=activity, actor=activity.created_by, capacity=3
    )
    assert [r.pk for r in promoted] == [waiting[0].pk, waiting[1].pk]
    assert activity.registrations.confirmed_people() == 3


def test_capacity_never_below_confirmed(building):
    activity = ActivityFactory(building=building, capacity=5)
    for _i in range(4):
        services.sign_up(
            activity=activity, resident=resident_of(building), adults=1, children=0
        )
    with pytest.raises(ValidationError, match="4"):
        services.update_activity(
            activity=activity, actor=activity.created_by, capacity=3
        )
    activity.refresh_from_db()
    assert activity.capacity == 5
    assert activity.registrations.confirmed().count() == 4
    activity, _promoted = services.update_activity(
        activity=activity, actor=activity.created_by, capacity=4
    )
    assert activity.capacity == 4


def test_a_new_time_or_place_is_told_to_everyone_signed_up_or_waiting(building):
    activity = ActivityFactory(building=building, capacity=1)
    confirmed, waiting, cancelled = (resident_of(building) for _i in range(3))
    for resident in (confirmed, waiting, cancelled):
        services.sign_up(activity=activity, resident=resident, adults=1, children=0)
    services.cancel_registration(
        registration=activity.registrations.get(resident=cancelled),
        actor=cancelled.user,
    )
    Notification.objects.all().delete()

    services.update_activity(
        activity=activity, actor=activity.created_by, title="改个名字"
    )
    assert not Notification.objects.filter(kind="activity_changed").exists()

    later = activity.starts_at + timedelta(days=1)
    services.update_activity(
        activity=activity,
        actor=activity.created_by,
        starts_at=later,
        ends_at=later + timedelta(hours=2),
        place="二楼活动室",
    )
    told = Notification.objects.filter(kind="activity_changed")
    assert {n.recipient_id for n in told} == {confirmed.user_id, waiting.user_id}
    assert all("二楼活动室" in n.text for n in told)


@pytest.mark.parametrize(("adults", "children"), [(0, 0), (-1, 1), (10_000, 0), (6, 5)])
def test_bad_party_sizes_are_refused(building, adults, children):
    activity = ActivityFactory(building=building)
    with pytest.raises(ValidationError):
        services.sign_up(
            activity=activity,
            resident=resident_of(building),
            adults=adults,
            children=children,
        )
    assert not activity.registrations.exists()


def test_household_quota(building):
    activity = ActivityFactory(
        building=building,
        capacity=50,
        max_adults_per_household=1,
        max_children_per_household=1,
    )
    household = HouseholdFactory(building=building)
    mum = AccountResidentFactory(household=household)
    dad = AccountResidentFactory(household=household)
    services.sign_up(activity=activity, resident=mum, adults=1, children=1)
    with pytest.raises(ValidationError, match="1"):
        services.sign_up(activity=activity, resident=dad, adults=1, children=0)
    with pytest.raises(ValidationError):
        services.sign_up(
            activity=activity, resident=resident_of(building), adults=1, children=2
        )
    assert activity.registrations.count() == 1


def test_quota_counts_waiting_registrations_too(building):
    activity = ActivityFactory(
        building=building, capacity=1, max_adults_per_household=1
    )
    services.sign_up(
        activity=activity, resident=resident_of(building), adults=1, children=0
    )
    household = HouseholdFactory(building=building)
    services.sign_up(
        activity=activity,
        resident=AccountResidentFactory(household=household),
        adults=1,
        children=0,
    )
    with pytest.raises(ValidationError):
        services.sign_up(
            activity=activity,
            resident=AccountResidentFactory(household=household),
            adults=1,
            children=0,
        )


def test_sign_up_closes_at_the_deadline(building):
    activity = ActivityFactory(building=building)
    with time_machine.travel(activity.signup_deadline - timedelta(minutes=1)):
        services.sign_up(
            activity=activity, resident=resident_of(building), adults=1, children=0
        )
    with time_machine.travel(activity.signup_deadline + timedelta(minutes=1)):
        with pytest.raises(ValidationError, match="截止|deadline"):
            services.sign_up(
                activity=activity, resident=resident_of(building), adults=1, children=0
            )
    assert activity.registrations.count() == 1


def test_sign_up_and_cancel_closed_once_started(building):
    start = timezone.now() + timedelta(days=3)
    activity = ActivityFactory(
        building=building, starts_at=start, signup_deadline=start
    )
    registration = services.sign_up(
        activity=activity, resident=resident_of(building), adults=1, children=0
    )
    with time_machine.travel(start + timedelta(minutes=5)):
        with pytest.raises(ValidationError, match="开始|started"):
            services.sign_up(
                activity=activity, resident=resident_of(building), adults=1, children=0
            )
        with pytest.raises(ValidationError):
            services.cancel_registration(
                registration=registration, actor=registration.resident.user
            )
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_other_buildings_activity_refused(building):
    activity = ActivityFactory(building=building)
    outsider = AccountResidentFactory(
        household__building=BuildingFactory(community=building.community)
    )
    with pytest.raises(ValidationError):
        services.sign_up(activity=activity, resident=outsider, adults=1, children=0)
    assert not activity.registrations.exists()


def test_community_wide_activity_open_to_every_building(building):
    activity = ActivityFactory(building=None, community=building.community)
    other = BuildingFactory(community=building.community)
    for b in (building, other):
        assert (
            services.sign_up(
                activity=activity, resident=resident_of(b), adults=1, children=0
            ).status
            == "confirmed"
        )
    stranger = AccountResidentFactory()  # another community
    with pytest.raises(ValidationError):
        services.sign_up(activity=activity, resident=stranger, adults=1, children=0)


def test_proxy_sign_up_is_recorded(building):
    leader = resident_of(building, role="leader")
    grandma = ResidentFactory(household__building=building)
    activity = ActivityFactory(building=building)
    registration = services.sign_up(
        activity=activity, resident=grandma, adults=1, children=0, actor=leader.user
    )
    assert registration.registered_by == leader.user
    assert ProxyAct.objects.filter(resident=grandma, actor=leader.user).exists()


def ten_oclock_in(days):
    """A start at 10:00 Shanghai time, so "the day before" never crosses midnight by accident."""
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def test_check_in_and_no_show(building):
    start = ten_oclock_in(7)
    activity = ActivityFactory(
        building=building, starts_at=start, signup_deadline=start
    )
    registration = RegistrationFactory(activity=activity)
    with pytest.raises(ValidationError):  # the day before
        services.set_attendance(
            registration=registration,
            attendance="checked_in",
            actor=activity.created_by,
        )
    with time_machine.travel(activity.starts_at - timedelta(minutes=30)):
        services.set_attendance(
            registration=registration,
            attendance="checked_in",
            actor=activity.created_by,
        )
        registration.refresh_from_db()
        assert registration.attendance == "checked_in" and registration.checked_in_at
        with pytest.raises(ValidationError):  # not yet started
            services.set_attendance(
                registration=registration,
                attendance="no_show",
                actor=activity.created_by,
            )
    with time_machine.travel(activity.starts_at + timedelta(minutes=30)):
        services.set_attendance(
            registration=registration, attendance="no_show", actor=activity.created_by
        )
    registration.refresh_from_db()
    assert registration.attendance == "no_show" and registration.checked_in_at is None


def test_waitlisted_cannot_be_checked_in(building):
    registration = RegistrationFactory(
        activity=ActivityFactory(building=building), status="waitlisted"
    )
    with time_machine.travel(registration.activity.starts_at):
        with pytest.raises(ValidationError):
            services.set_attendance(
                registration=registration,
                attendance="checked_in",
                actor=registration.resident.user,
            )
