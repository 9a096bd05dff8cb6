"""Co-signing a raised matter under concurrent taps, proven on PostgreSQL (docs/architecture.md, "Concurrency guards").

The guard: the proposal row lock (core.races.locked) and the UniqueConstraint on
(proposal, household). One household co-signs once; a matter takes exactly the
co-signatures it needs and reaches the agenda once. With the guards off, the race
shows, so the proofs are not vacuous.
"""

import pytest
from django.core.exceptions import ValidationError

from buildings.models import Notification
from proposals.deliberation.raising import services
from proposals.models import Proposal, ProposalCosign, RaiseRule
from tests.concurrency import requires_postgres, storm
from tests.factories import AccountResidentFactory, HouseholdFactory, UserFactory
from tests.proposals.deliberation.test_concurrency import without_constraint

pytestmark = [pytest.mark.django_db(transaction=True), requires_postgres]

N = 20


def raise_with_threshold(household, threshold):
    RaiseRule.objects.create(
        building=household.building, threshold=threshold, updated_by=UserFactory()
    )
    proposer = AccountResidentFactory(household=household)
    return services.raise_matter(resident=proposer, title="门厅摆花", body="好看")


@pytest.fixture
def one_household():
    """A matter needing 10 households, and 20 adults of one other household."""
    proposal = raise_with_threshold(HouseholdFactory(), 10)
    household = HouseholdFactory(building=proposal.building)
    residents = [AccountResidentFactory(household=household) for _ in range(N)]
    return proposal, household, residents


@pytest.fixture
def many_households():
    """A matter needing 3 households (the proposer's is one), 20 households tapping."""
    proposal = raise_with_threshold(HouseholdFactory(), 3)
    residents = [
        AccountResidentFactory(household=HouseholdFactory(building=proposal.building))
        for _ in range(N)
    ]
    return proposal, residents


def tap_together(proposal, residents):
    return storm(N, lambda i: services.cosign(proposal=proposal, resident=residents[i]))


def only_refusals(errors):
    return all(isinstance(e, ValidationError) for e in errors)


def test_one_household_tapping_twenty_times_co_signs_once(settings, one_household):
    settings.LOUZU_RACE_PAUSE = 0.05
    proposal, household, residents = one_household
    results, errors = tap_together(proposal, residents)
    assert ProposalCosign.objects.filter(household=household).count() == 1
    assert len(errors) == N - 1 and only_refusals(errors)


def test_twin_without_lock_and_constraint_co_signs_several_times(
    settings, one_household
):
    settings.LOUZU_RACE_PAUSE = 0.05
    settings.LOUZU_GUARDS_OFF = True
    proposal, household, residents = one_household
    with without_constraint(ProposalCosign, "proposal_cosigned_once_per_household"):
        tap_together(proposal, residents)
        stored = ProposalCosign.objects.filter(household=household).count()
    assert stored > 1, "with every guard off the race must show"


def test_constraint_alone_still_co_signs_once(settings, one_household):
    settings.LOUZU_RACE_PAUSE = 0.05
    settings.LOUZU_GUARDS_OFF = True
    proposal, household, residents = one_household
    results, errors = tap_together(proposal, residents)
    assert ProposalCosign.objects.filter(household=household).count() == 1
    assert len(errors) == N - 1 and only_refusals(errors)  # IntegrityError -> message


def test_twenty_households_at_once_give_exactly_the_co_signatures_needed(
    settings, many_households
):
    settings.LOUZU_RACE_PAUSE = 0.05
    proposal, residents = many_households
    results, errors = tap_together(proposal, residents)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.DISCUSSION
    assert proposal.cosigns.count() == 3
    assert len(errors) == N - 2 and only_refusals(errors)
    # It reached the agenda once: the proposer is told once.
    reached = Notification.objects.filter(
        recipient=proposal.author,
        kind="proposal_followed",
        text__contains="已获得 3 户联署",
    )
    assert reached.count() == 1


def test_twin_without_the_lock_overshoots_the_threshold(settings, many_households):
    settings.LOUZU_RACE_PAUSE = 0.05
    settings.LOUZU_GUARDS_OFF = True
    proposal, residents = many_households
    tap_together(proposal, residents)
    assert proposal.cosigns.count() > 3, "without the lock the race must show"
