"""Seats under concurrency, proven on PostgreSQL (docs/architecture.md, "Concurrency guards").

The server allows about 100 connections and other test runs share it, so the 200
requests are released together by a barrier but run their database work through a
bounded pool: at most POOL of them hold a connection at any moment. That is still
POOL transactions racing for the same seats at every instant, which is what the
twin tests show breaks without the lock.
"""

import threading
import time

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from activities import services
from activities.models import Registration
from buildings import team
from buildings.models import Notification, Resident
from tests.activities.factories import (
    ActivityFactory,
    RegistrationFactory,
    ShiftFactory,
    TaskFactory,
)
from tests.concurrency import requires_postgres, storm
from tests.factories import AccountResidentFactory, HouseholdFactory

POOL = 20

pytestmark = [
    pytest.mark.django_db(transaction=True),
    requires_postgres,
    pytest.mark.postgres,
]


def bounded(fn, pool=POOL):
    """fn wrapped so that at most `pool` threads use a database connection at once."""
    gate = threading.BoundedSemaphore(pool)

    def run(i):
        with gate:
            try:
                return fn(i)
            finally:
                connections.close_all()

    return run


def residents(building, n):
    return [AccountResidentFactory(household__building=building) for _i in range(n)]


def http_sign_up_storm(building, activity, people):
    clients = []
    for resident in people:
        client = Client()
        client.force_login(resident.user)
        clients.append(client)
    url = reverse("activities:sign-up", args=[building.pk, activity.pk])
    return storm(
        len(clients),
        bounded(
            lambda i: clients[i].post(url, {"adults": 1, "children": 0}).status_code
        ),
    )


def test_200_sign_ups_for_50_seats_over_http(building):
    activity = ActivityFactory(building=building, capacity=50)
    people = residents(building, 200)
    codes, errors = http_sign_up_storm(building, activity, people)
    assert errors == []
    assert sorted(set(codes)) == [
        302
    ]  # every request answered with a redirect: no 500, no 503
    registrations = Registration.objects.filter(activity=activity)
    assert registrations.filter(status="confirmed").count() == 50
    assert registrations.confirmed_people() == 50
    assert registrations.filter(status="waitlisted").count() == 150
    assert registrations.count() == 200
    assert registrations.values("resident").distinct().count() == 200  # no duplicates


def test_twin_without_the_guard_overbooks(building, settings):
    settings.LOUZU_GUARDS_OFF = True
    settings.LOUZU_RACE_PAUSE = 0.05
    activity = ActivityFactory(building=building, capacity=50)
    people = residents(building, 200)
    codes, errors = http_sign_up_storm(building, activity, people)
    assert errors == []
    # Without the row lock concurrent requests all count the same free seats: overbooked.
    assert Registration.objects.filter(activity=activity).confirmed_people() > 50


def test_double_taps_create_one_registration(building, settings):
    settings.LOUZU_GUARDS_OFF = (
        True  # even without the lock the unique constraint holds
    )
    settings.LOUZU_RACE_PAUSE = 0.05
    activity = ActivityFactory(building=building, capacity=50)
    resident = AccountResidentFactory(household__building=building)

    def tap(i):
        try:
            services.sign_up(activity=activity, resident=resident, adults=1, children=0)
            return "ok"
        except services.ValidationError:
            return "refused"

    results, errors = storm(20, bounded(tap))
    assert errors == []
    assert results.count("ok") == 1 and results.count("refused") == 19
    assert (
        Registration.objects.filter(activity=activity, resident=resident).count() == 1
    )


def test_cancellations_and_sign_ups_never_exceed_capacity(building):
    capacity = 20
    activity = ActivityFactory(building=building, capacity=capacity)
    confirmed = [RegistrationFactory(activity=activity) for _i in range(capacity)]
    waiting = [
        RegistrationFactory(activity=activity, status="waitlisted") for _i in range(30)
    ]
    newcomers = residents(building, 20)
    leaving = confirmed[:10]
    done = threading.Event()
    samples = []

    def watch():
        try:
            while not done.is_set():
                samples.append(
                    Registration.objects.filter(activity=activity).confirmed_people()
                )
                time.sleep(0.005)
        finally:
            connections.close_all()

    watcher = threading.Thread(target=watch)
    watcher.start()

    def act(i):
        if i < len(leaving):
            registration = leaving[i]
            return services.cancel_registration(
                registration=registration, actor=registration.resident.user
            )
        return services.sign_up(
            activity=activity,
            resident=newcomers[i - len(leaving)],
            adults=1,
            children=0,
        )

    try:
        results, errors = storm(len(leaving) + len(newcomers), bounded(act, pool=15))
    finally:
        done.set()
        watcher.join()
    assert errors == []
    assert samples and max(samples) <= capacity
    registrations = Registration.objects.filter(activity=activity)
    assert registrations.confirmed_people() == capacity
    # The first ten on the list were promoted, in order, each exactly once.
    promoted = [r.pk for batch in results[: len(leaving)] for r in batch]
    assert sorted(promoted) == [r.pk for r in waiting[:10]]
    assert len(promoted) == len(set(promoted))
    assert set(
        registrations.filter(status="confirmed").values_list("pk", flat=True)
    ) == {r.pk for r in confirmed[10:] + waiting[:10]}
    told = Notification.objects.filter(kind="waitlist_promoted")
    assert told.count() == 10
    assert set(told.values_list("recipient", flat=True)) == {
        r.resident.user_id for r in waiting[:10]
    }
    # Every newcomer queued behind those already waiting.
    assert all(r.status == "waitlisted" for r in results[len(leaving) :])


def quota_storm(building):
    activity = ActivityFactory(
        building=building,
        capacity=100,
        max_adults_per_household=1,
        max_children_per_household=1,
    )
    household = HouseholdFactory(building=building)
    family = [AccountResidentFactory(household=household) for _i in range(20)]

    def sign(i):
        try:
            services.sign_up(
                activity=activity, resident=family[i], adults=1, children=1
            )
            return "ok"
        except services.ValidationError:
            return "refused"

    results, errors = storm(len(family), bounded(sign))
    assert errors == []
    return activity, household, results


def test_household_quota_holds_under_concurrency(building):
    activity, household, results = quota_storm(building)
    assert results.count("ok") == 1
    assert (
        Registration.objects.filter(activity=activity, household=household).count() == 1
    )


def test_twin_household_quota_breaks_without_the_guard(building, settings):
    settings.LOUZU_GUARDS_OFF = True
    settings.LOUZU_RACE_PAUSE = 0.05
    activity, household, results = quota_storm(building)
    assert (
        Registration.objects.filter(activity=activity, household=household).count() > 1
    )


def shift_claim_storm(building):
    shift = ShiftFactory(task=TaskFactory(building=building))
    hands = residents(building, 20)

    def claim(i):
        try:
            services.claim_shift(shift=shift, resident=hands[i])
            return hands[i].pk
        except services.ValidationError:
            return None

    results, errors = storm(len(hands), bounded(claim))
    assert errors == []
    shift.refresh_from_db()
    return shift, [r for r in results if r is not None]


def test_one_hand_wins_a_shift(building):
    shift, told_yes = shift_claim_storm(building)
    assert told_yes == [
        shift.volunteer_id
    ]  # exactly one neighbour is told the shift is theirs


def test_twin_shift_claims_without_the_guard_tell_many_it_is_theirs(building, settings):
    settings.LOUZU_GUARDS_OFF = True
    settings.LOUZU_RACE_PAUSE = 0.05
    shift, told_yes = shift_claim_storm(building)
    assert (
        len(told_yes) > 1
    )  # lost updates: several were told "it's yours", one holds it


def test_leaving_twice_at_once_gives_the_seat_to_the_waiting_list_once(building):
    """Leaving cancels the leaver's sign-ups (the waiting list moves up). Ten "leave"
    requests at once, as a double tap on a slow phone sends them: the user's row lock
    lets one through, the others find the account gone; the seat goes to the next in
    line once, and they are told once. (The seat itself is guarded by the activity's
    lock, whose twin is test_twin_without_the_guard_overbooks.)"""
    activity = ActivityFactory(building=building, capacity=2)
    leaver = AccountResidentFactory(household__building=building)
    RegistrationFactory(activity=activity, resident=leaver, adults=2)
    waiting = RegistrationFactory(activity=activity, adults=2, status="waitlisted")
    clients = []
    for _i in range(10):
        client = Client()
        client.force_login(leaver.user)
        clients.append(client)
    url = reverse("buildings:leave")
    codes, errors = storm(
        len(clients),
        bounded(
            lambda i: clients[i].post(url, {"password": "pass-word-123"}).status_code
        ),
    )
    assert errors == []
    assert 500 not in codes
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
    assert activity.registrations.confirmed_people() == 2
    assert (
        Notification.objects.filter(
            recipient=waiting.resident.user, kind="waitlist_promoted"
        ).count()
        == 1
    )


PAUSE = 0.3


def moving_out_storm(building, settings, over_http, leaving=False):
    """A leader marks a resident moved out (or the resident leaves the app, on another
    phone) while that resident signs up for activities and takes shifts. The sign-ups
    start half a pause after the change, while it is still open: the window the
    resident's row lock closes."""
    settings.LOUZU_RACE_PAUSE = PAUSE
    leader = AccountResidentFactory(household__building=building, role="leader")
    mover = AccountResidentFactory(household__building=building)
    activities = [ActivityFactory(building=building) for _i in range(3)]
    task = TaskFactory(building=building)
    shifts = [ShiftFactory(task=task) for _i in range(3)]
    leader_client, mover_client, leaver_client = Client(), Client(), Client()
    leader_client.force_login(leader.user)
    mover_client.force_login(mover.user)
    leaver_client.force_login(mover.user)

    def act(i):
        if i == 0 and leaving:
            url = reverse("buildings:leave")
            return leaver_client.post(url, {"password": "pass-word-123"}).status_code
        if i == 0:
            if over_http:
                url = reverse(
                    "buildings:resident-moved-out", args=[building.pk, mover.pk]
                )
                return leader_client.post(url, {"reason": "搬走了"}).status_code
            return team.mark_moved_out(resident=mover, by=leader.user, reason="搬走了")
        time.sleep(PAUSE / 2)
        if i <= len(activities):
            activity = activities[i - 1]
            if over_http:
                url = reverse("activities:sign-up", args=[building.pk, activity.pk])
                return mover_client.post(url, {"adults": 1, "children": 0}).status_code
            return services.sign_up(
                activity=activity, resident=mover, adults=1, children=0
            )
        shift = shifts[i - 1 - len(activities)]
        if over_http:
            url = reverse("activities:shift-claim", args=[building.pk, shift.pk])
            return mover_client.post(url).status_code
        return services.claim_shift(shift=shift, resident=mover)

    results, errors = storm(1 + len(activities) + len(shifts), act)
    mover.refresh_from_db()
    assert mover.status == Resident.Status.LEFT
    held = Registration.objects.active().filter(resident=mover).count() + sum(
        1 for shift in shifts if _volunteer(shift) == mover.pk
    )
    return results, errors, held


def _volunteer(shift):
    shift.refresh_from_db()
    return shift.volunteer_id


def test_signing_up_while_being_marked_moved_out_holds_nothing_after(
    building, settings
):
    """Sign-ups and shift claims sent while a leader marks the resident moved out wait
    for the resident's row, then find them gone: nothing is left held by someone no
    longer in the building, and every request is answered."""
    results, errors, held = moving_out_storm(building, settings, over_http=True)
    assert errors == []
    assert 500 not in results
    assert held == 0


def test_signing_up_while_leaving_the_app_holds_nothing_after(building, settings):
    """The same when the resident leaves the app on one phone while signing up on
    another: leaving locks their memberships before giving back what they hold."""
    results, errors, held = moving_out_storm(
        building, settings, over_http=True, leaving=True
    )
    assert errors == []
    assert 500 not in results
    assert held == 0


def test_twin_signing_up_while_being_marked_moved_out_without_the_lock_keeps_places(
    building, settings
):
    settings.LOUZU_GUARDS_OFF = True
    _results, _errors, held = moving_out_storm(building, settings, over_http=False)
    assert held > 0, "without the resident's row lock the race must show"
