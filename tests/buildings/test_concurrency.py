"""One active membership per person and building under concurrent join requests, and one
decision per request under concurrent approvals, proven on PostgreSQL
(docs/architecture.md, "Concurrency guards").

Joining has two layers: the lock on the person's account row (core.races.locked) and the
unique constraint one_active_membership_per_building. Each alone holds; with both off the
race stores several memberships, so the proof is not vacuous. Deciding a request locks
the request's row; without the lock two leaders approving at once both welcome the person.
"""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from buildings import services, team
from buildings.models import Household, Notification, Resident
from tests.concurrency import requires_postgres, storm, without_constraint
from tests.factories import (
    AccountResidentFactory,
    BuildingFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db(transaction=True), requires_postgres]

N = 12


PHONE = "13612345678"


def _remove_joiners():
    Resident.objects.filter(user__phone=PHONE).delete()


@pytest.fixture
def eager():
    """One person who taps "join" for every room of one building at once."""
    building = BuildingFactory()
    Household.objects.bulk_create(
        Household(building=building, room=f"{i + 1}01") for i in range(N)
    )
    return building, UserFactory(phone=PHONE)


def active(user, building):
    return Resident.objects.filter(
        user=user,
        household__building=building,
        status__in=[Resident.Status.PENDING, Resident.Status.APPROVED],
    )


def join_storm(building, user):
    def join(i):
        return services.request_to_join(
            user=user, building=building, room=f"{i + 1}01", name="小王"
        )

    return storm(N, join)


def test_many_requests_at_once_one_membership(settings, eager):
    settings.LOUZU_RACE_PAUSE = 0.05
    building, user = eager
    results, errors = join_storm(building, user)
    assert active(user, building).count() == 1
    assert len(errors) == N - 1
    assert all(isinstance(e, ValidationError) for e in errors)  # told, not a 500


def test_over_http_every_request_answered_and_one_membership(settings, eager):
    settings.LOUZU_RACE_PAUSE = 0.05
    building, user = eager
    clients = []
    for _ in range(N):
        client = Client()
        client.force_login(user)
        clients.append(client)
    url = reverse("buildings:join", args=[building.community_id])

    def post(i):
        data = {
            "building": building.pk,
            "room": f"{i + 1}01",
            "name": "小王",
            "is_adult": "on",
        }
        return clients[i].post(url, data).status_code

    codes, errors = storm(N, post)
    assert errors == []
    assert sorted(codes) == [200] * (N - 1) + [302]  # one sent, the rest told why
    assert active(user, building).count() == 1


def test_twin_without_lock_and_constraint_stores_several(settings, eager):
    settings.LOUZU_RACE_PAUSE = 0.05
    settings.LOUZU_GUARDS_OFF = True
    building, user = eager
    with without_constraint(
        Resident, "one_active_membership_per_building", cleanup=_remove_joiners
    ):
        join_storm(building, user)
        count = active(user, building).count()
    assert count > 1, "with every guard off the race must show"


def test_constraint_alone_still_one_membership(settings, eager):
    settings.LOUZU_RACE_PAUSE = 0.05
    settings.LOUZU_GUARDS_OFF = True
    building, user = eager
    results, errors = join_storm(building, user)
    assert active(user, building).count() == 1
    assert len(errors) == N - 1
    assert all(
        isinstance(e, ValidationError) for e in errors
    )  # IntegrityError -> message


def test_lock_alone_still_one_membership(settings, eager):
    settings.LOUZU_RACE_PAUSE = 0.05
    building, user = eager
    with without_constraint(
        Resident, "one_active_membership_per_building", cleanup=_remove_joiners
    ):
        results, errors = join_storm(building, user)
        count = active(user, building).count()
    assert count == 1
    assert len(errors) == N - 1


def test_one_person_may_still_join_several_buildings_at_once(settings):
    """The guard is per building: a leader of two buildings asks to join both at once."""
    settings.LOUZU_RACE_PAUSE = 0.05
    buildings = BuildingFactory.create_batch(4)
    for building in buildings:
        Household.objects.create(building=building, room="101")
    user = UserFactory()

    def join(i):
        return services.request_to_join(
            user=user, building=buildings[i], room="101", name="小王"
        )

    results, errors = storm(4, join)
    assert errors == []
    assert Resident.objects.filter(user=user, status="pending").count() == 4


@pytest.fixture
def waiting():
    """A pending request, and two leaders and a staff member who all open it at once."""
    building = BuildingFactory()
    deciders = [
        AccountResidentFactory(household__building=building, role="leader").user
        for _ in range(2)
    ] + [StaffFactory(communities=[building.community])]
    household = Household.objects.create(building=building, room="302")
    applicant = Resident.objects.create(
        user=UserFactory(phone=PHONE), household=household, name="小李"
    )
    return building, applicant, deciders


def decide_storm(applicant, deciders):
    def decide(i):
        return services.decide_join_request(
            resident=applicant, decided_by=deciders[i], approve=True
        )

    return storm(len(deciders), decide)


def welcomes(applicant):
    return Notification.objects.filter(
        recipient=applicant.user, kind="join_decided"
    ).count()


def test_deciders_at_once_one_decision_one_welcome(settings, waiting):
    settings.LOUZU_RACE_PAUSE = 0.05
    building, applicant, deciders = waiting
    results, errors = decide_storm(applicant, deciders)
    assert len(errors) == len(deciders) - 1
    assert all(isinstance(e, ValidationError) for e in errors)
    assert welcomes(applicant) == 1
    assert active(applicant.user, building).count() == 1


def test_deciders_over_http_every_click_answered(settings, waiting):
    settings.LOUZU_RACE_PAUSE = 0.05
    building, applicant, deciders = waiting
    clients = []
    for user in deciders:
        client = Client()
        client.force_login(user)
        clients.append(client)
    url = reverse("buildings:decide-join", args=[building.pk, applicant.pk, "approve"])
    codes, errors = storm(len(clients), lambda i: clients[i].post(url).status_code)
    assert errors == []
    assert set(codes) == {302}
    assert welcomes(applicant) == 1
    applicant.refresh_from_db()
    assert applicant.status == Resident.Status.APPROVED


def test_twin_deciders_without_lock_welcome_twice(settings, waiting):
    settings.LOUZU_RACE_PAUSE = 0.05
    settings.LOUZU_GUARDS_OFF = True
    building, applicant, deciders = waiting
    decide_storm(applicant, deciders)
    assert welcomes(applicant) > 1, "without the lock the race must show"


def add_rooms_storm(building):
    """Eight leaders add the same rooms at once (say, the building's first floors)."""
    clients = []
    for _ in range(8):
        leader = AccountResidentFactory(household__building=building, role="leader")
        client = Client(raise_request_exception=False)
        client.force_login(leader.user)
        clients.append(client)
    url = reverse("buildings:households", args=[building.pk])
    return storm(
        len(clients), lambda i: clients[i].post(url, {"rooms": "1101-1120"}).status_code
    )


def test_leaders_adding_the_same_rooms_at_once_each_get_an_answer(settings):
    settings.LOUZU_RACE_PAUSE = 0.05
    building = BuildingFactory()
    codes, errors = add_rooms_storm(building)
    assert errors == []
    assert set(codes) == {302}  # the first adds twenty rooms, the others none
    rooms = [str(number) for number in range(1101, 1121)]
    assert building.households.filter(room__in=rooms).count() == 20


def test_twin_adding_rooms_without_the_lock_fails(settings):
    settings.LOUZU_RACE_PAUSE = 0.05
    settings.LOUZU_GUARDS_OFF = True
    building = BuildingFactory()
    codes, errors = add_rooms_storm(building)
    assert 500 in codes, "without the lock the race must show"


def test_staff_approving_the_same_requests_in_the_admin_at_once_each_get_an_answer(
    settings,
):
    """The admin's bulk approval met requests another staff member had just decided:
    the refusal was not caught and the page failed (500)."""
    settings.LOUZU_RACE_PAUSE = 0.05
    building = BuildingFactory()
    pending = [
        Resident.objects.create(
            user=UserFactory(),
            household=Household.objects.create(building=building, room=f"{i + 1}02"),
            name=f"小李{i}",
        )
        for i in range(5)
    ]
    clients = []
    for _ in range(6):
        client = Client(raise_request_exception=False)
        client.force_login(StaffFactory(is_superuser=True))
        clients.append(client)
    url = reverse("admin:buildings_resident_changelist")
    data = {"action": "approve_selected", "_selected_action": [r.pk for r in pending]}
    codes, errors = storm(
        len(clients), lambda i: clients[i].post(url, data).status_code
    )
    assert errors == []
    assert set(codes) == {302}
    assert Resident.objects.filter(
        pk__in=[r.pk for r in pending], status=Resident.Status.APPROVED
    ).count() == len(pending)
    # Each approved once: one welcome each.
    assert Notification.objects.filter(kind="join_decided").count() == len(pending)


@pytest.fixture
def moving(waiting):
    """The same two leaders and staff member, and an approved resident moving out."""
    building, _applicant, deciders = waiting
    resident = AccountResidentFactory(household__building=building)
    return building, resident, deciders


def moved_out_notices(resident):
    return Notification.objects.filter(
        recipient=resident.user, kind="membership_ended"
    ).count()


def test_marking_moved_out_at_once_over_http_tells_them_once(settings, moving):
    """A leader and staff both mark the same family moved out: one change, one notice,
    and every click gets its answer (the other is told it was done already)."""
    settings.LOUZU_RACE_PAUSE = 0.05
    building, resident, deciders = moving
    clients = []
    for user in deciders * 3:
        client = Client()
        client.force_login(user)
        clients.append(client)
    url = reverse("buildings:resident-moved-out", args=[building.pk, resident.pk])
    codes, errors = storm(
        len(clients),
        lambda i: clients[i].post(url, {"reason": "搬走了"}).status_code,
    )
    assert errors == []
    assert 500 not in codes
    resident.refresh_from_db()
    assert resident.status == Resident.Status.LEFT
    assert moved_out_notices(resident) == 1


def test_twin_marking_moved_out_without_the_lock_tells_them_twice(settings, moving):
    settings.LOUZU_RACE_PAUSE = 0.05
    settings.LOUZU_GUARDS_OFF = True
    _building, resident, deciders = moving

    def mark(i):
        return team.mark_moved_out(resident=resident, by=deciders[i], reason="搬走了")

    storm(len(deciders), mark)
    assert moved_out_notices(resident) > 1, "without the lock the race must show"
