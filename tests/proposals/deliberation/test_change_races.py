"""An edit or cancellation racing ballots, proven on PostgreSQL (docs/architecture.md,
"Concurrency guards"): both lock the poll row, so either the ballots come first and the
edit is refused, or the edit comes first and every ballot read before it is refused.
Never both: no ballot is lost and none is counted for words its voter did not see."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from proposals.deliberation.polls import changes, services
from proposals.models import Ballot
from tests.concurrency import requires_postgres, storm
from tests.factories import AccountResidentFactory, HouseholdFactory, UserFactory
from tests.proposals.deliberation.factories import PollFactory

pytestmark = [pytest.mark.django_db(transaction=True), requires_postgres]

VOTERS = 8


def race(poll, residents, leader, cancel=False):
    option_id = poll.options.first().pk

    def act(i):
        if i == VOTERS:
            if cancel:
                return changes.cancel_poll(poll=poll, by=leader, reason="重新讨论")
            return changes.edit_poll(
                poll=poll,
                by=leader,
                question="新的问题",
                option_labels=["甲", "乙", "丙"],
                closes_at=timezone.now() + timedelta(days=2),
                reason="写错了",
            )
        return services.cast_ballot(
            poll=poll, option_id=option_id, resident=residents[i], seen_version=1
        )

    return storm(VOTERS + 1, act)


@pytest.fixture
def scene():
    residents = [
        AccountResidentFactory(household=HouseholdFactory()) for _ in range(VOTERS)
    ]
    building = residents[0].household.building
    for resident in residents[1:]:
        resident.household.building = building
        resident.household.save()
    poll = PollFactory(proposal__building=building)
    return poll, residents, UserFactory()


def outcome(poll, results, errors):
    edited = results[VOTERS] is not None
    ballots = Ballot.objects.filter(poll=poll).count()
    returned = sum(1 for result in results[:VOTERS] if result is not None)
    return edited, ballots, returned


@pytest.mark.parametrize("cancel", [False, True])
def test_an_edit_and_ballots_never_both_win(settings, scene, cancel):
    settings.LOUZU_RACE_PAUSE = 0.1
    poll, residents, leader = scene
    results, errors = race(poll, residents, leader, cancel=cancel)
    assert all(isinstance(error, ValidationError) for error in errors)
    edited, ballots, returned = outcome(poll, results, errors)
    assert ballots == returned  # every ballot a voter was told of is stored
    assert edited != (ballots > 0)
    poll.refresh_from_db()
    assert poll.version == (2 if edited and not cancel else 1)


@pytest.mark.parametrize("cancel", [False, True])
def test_twin_without_the_poll_lock_loses_the_race(settings, scene, cancel):
    settings.LOUZU_RACE_PAUSE = 0.1
    settings.LOUZU_GUARDS_OFF = True
    poll, residents, leader = scene
    results, errors = race(poll, residents, leader, cancel=cancel)
    edited, ballots, returned = outcome(poll, results, errors)
    # ballots counted on a poll changed (or cancelled) under them
    assert edited and ballots > 0
