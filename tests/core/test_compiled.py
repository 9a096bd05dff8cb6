"""core.compiled: ORM queries compiled once, run with new values, give what the ORM
gives; a query that depends on anything but its values is refused on its first run."""

from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from activities.models import Activity, Registration
from buildings.models import Building, Resident
from core.compiled import Compiled
from proposals.deliberation.polls import services as poll_services
from proposals.models import Ballot, Poll
from tests.activities.factories import ActivityFactory, RegistrationFactory
from tests.concurrency import requires_postgres
from tests.factories import AccountResidentFactory, BuildingFactory
from tests.proposals.deliberation.factories import PollFactory

pytestmark = pytest.mark.django_db

waiting = Compiled(
    lambda building_id, household_slot, resident_slot, now: Poll.objects.needing_vote(
        building_id, household_slot, resident_slot, now
    )
)
ballot = Compiled(
    lambda poll_id, household_slot, resident_slot: Ballot.objects.filter(
        poll_id=poll_id, slot__in=[household_slot, resident_slot]
    ).select_related("resident", "household", "option")
)
members = Compiled(
    lambda household_id: Resident.objects.approved().filter(household_id=household_id)
)


@pytest.fixture
def voters(building):
    first = AccountResidentFactory(household__building=building, name="张阿姨")
    second = AccountResidentFactory(household=first.household, name="陈小明")
    neighbour = AccountResidentFactory(household__building=building, name="王伯伯")
    return first, second, neighbour


def test_counts_what_the_orm_counts_for_each_set_of_values(
    building, voters, django_assert_num_queries
):
    first, second, neighbour = voters
    poll = PollFactory(proposal__building=building)
    PollFactory(proposal__building=building)
    PollFactory(proposal__building=BuildingFactory())  # elsewhere
    poll_services.cast_ballot(
        poll=poll, option_id=poll.options.first().pk, resident=second
    )
    now = timezone.now()
    for resident in (first, second, neighbour):
        expected = Poll.objects.needing_vote_of(resident).count()
        with django_assert_num_queries(1):
            found = waiting.count(**Poll.voter_values(resident), now=now)
        assert found == expected
    assert [waiting.count(**Poll.voter_values(r), now=now) for r in voters] == [1, 1, 2]


def test_datetime_values_are_sent_not_frozen(building, voters):
    first = voters[0]
    PollFactory(proposal__building=building)
    values = Poll.voter_values(first)
    now = timezone.now()
    assert waiting.count(**values, now=now) == 1
    assert waiting.count(**values, now=now + timedelta(days=365)) == 0  # closed by then
    assert waiting.count(**values, now=now - timedelta(days=365)) == 0  # not open yet


def test_first_gives_the_instance_with_its_related_rows(
    building, voters, django_assert_num_queries
):
    first, second, neighbour = voters
    poll = PollFactory(proposal__building=building)
    option = poll.options.last()
    poll_services.cast_ballot(poll=poll, option_id=option.pk, resident=first)
    values = Poll.voter_values(second)
    with django_assert_num_queries(1):
        found = ballot.first(
            poll_id=poll.pk,
            household_slot=values["household_slot"],
            resident_slot=values["resident_slot"],
        )
        assert found.option.label == option.label  # no further query
        assert found.household.room == first.household.room
        assert found.resident.name == "张阿姨"
    assert found == Ballot.objects.get(poll=poll)
    values = Poll.voter_values(neighbour)
    assert (
        ballot.first(
            poll_id=poll.pk,
            household_slot=values["household_slot"],
            resident_slot=values["resident_slot"],
        )
        is None
    )


def test_all_keeps_the_orm_ordering_and_annotations(building, voters):
    first, second, _neighbour = voters
    assert [r.name for r in members.all(household_id=first.household_id)] == [
        r.name for r in first.household.residents.approved()
    ]
    counted = Compiled(
        lambda building_id, community_id, pk: (
            Activity.objects.visible_in(
                Building(pk=building_id, community_id=community_id)
            )
            .with_counts()
            .filter(pk=pk)
        )
    )
    activity = ActivityFactory(building=building, capacity=5)
    RegistrationFactory(activity=activity, resident=first, adults=2, children=1)
    RegistrationFactory(
        activity=activity, resident=second, status=Registration.Status.WAITLISTED
    )
    found = counted.first(
        building_id=building.pk, community_id=building.community_id, pk=activity.pk
    )
    assert (found.title, found.confirmed_people, found.waitlisted_count) == (
        activity.title,
        3,
        1,
    )
    other = BuildingFactory()
    assert (
        counted.first(
            building_id=other.pk, community_id=other.community_id, pk=activity.pk
        )
        is None
    )


def test_values_rows_are_dicts_like_the_orm(building, voters):
    first = voters[0]
    by_household = Compiled(
        lambda household_id: Resident.objects.filter(household_id=household_id).values(
            "name", "is_adult"
        )
    )
    assert by_household.all(household_id=first.household_id) == list(
        Resident.objects.filter(household_id=first.household_id).values(
            "name", "is_adult"
        )
    )
    exists = Compiled(lambda pk: Resident.objects.filter(pk=pk))
    assert exists.exists(pk=first.pk) is True
    assert exists.exists(pk=first.pk + 1000) is False


def test_a_query_that_reads_the_clock_is_refused():
    """Frozen at its first compile, it would keep that moment for ever."""
    frozen = Compiled(
        lambda building_id: Poll.objects.open_now().filter(building_id=building_id)
    )
    with pytest.raises(ImproperlyConfigured, match="besides its values"):
        frozen.count(building_id=1)


def test_values_must_be_given_exactly():
    with pytest.raises(TypeError, match="takes exactly household_id"):
        members.all()
    with pytest.raises(TypeError):
        members.all(household_id=1, extra=2)


def _kill_backend_of(connection):
    """End this connection's server process from another connection, as a restart of
    PostgreSQL would."""
    import psycopg

    pid = connection.connection.info.backend_pid
    settings_dict = connection.settings_dict
    with psycopg.connect(
        dbname=settings_dict["NAME"],
        user=settings_dict["USER"],
        host=settings_dict["HOST"],
        port=settings_dict["PORT"] or 5432,
        autocommit=True,
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


@requires_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_first_read_of_a_request_is_its_own_health_check(building, voters):
    """With CONN_HEALTH_CHECKS, a kept connection killed since the last request costs no
    failed request: the read is sent again on a new connection (and no "SELECT 1" is
    sent before it)."""
    from django.db import OperationalError, connection
    from django.test.utils import CaptureQueriesContext

    first = voters[0]
    expected = [r.name for r in first.household.residents.approved()]
    connection.ensure_connection()
    connection.health_check_enabled, connection.health_check_done = True, False
    with CaptureQueriesContext(connection) as queries:
        assert [
            r.name for r in members.all(household_id=first.household_id)
        ] == expected
    assert len(queries) == 1  # no "SELECT 1" first
    _kill_backend_of(connection)
    connection.health_check_done = False  # a new request
    assert [r.name for r in members.all(household_id=first.household_id)] == expected
    # Twin: later in the same request the read is not a health check, and a dead
    # connection fails as any query would.
    _kill_backend_of(connection)
    with pytest.raises(OperationalError):
        members.all(household_id=first.household_id)
    connection.close()
