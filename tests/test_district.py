"""generate_district at a tiny scale: the synthetic data keeps every rule of the real one."""

import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q, Sum

from activities.models import Activity, Registration, Shift
from buildings.models import Building, Community, Household, Resident, User
from buildings.phones import MOBILE_RE
from buildings.synthetic import district as gen
from funds.models import Fund, LedgerEntry
from proposals.deliberation.polls.services import poll_results
from proposals.models import Ballot, Issue, IssueEvent, Poll, Proposal
from tests.module_data import built_once

# One xdist worker runs them all (--dist loadgroup): the district takes far longer to
# generate than its tests take to run, so it is generated once, not once a worker.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("district")]


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    """Two communities, generated once for the module and rolled back after it."""
    out, err = io.StringIO(), io.StringIO()

    def generate():
        call_command("generate_district", communities=2, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    yield from built_once(django_db_blocker, generate)


def test_two_communities_with_people_in_every_building(generated):
    out, err = generated
    assert "Generated 2 communities" in out
    assert "100%" in err  # the progress bar reached the end of every stage
    for stage in ("people", "proposals", "funds", "activities"):
        assert stage in err
    communities = Community.objects.filter(district=gen.DISTRICT_NAME)
    assert communities.count() == 2
    buildings = Building.objects.filter(community__in=communities)
    households = Household.objects.filter(building__in=buildings).count()
    # ~850 households a community, ~1.35 residents a household.
    assert 1000 <= households <= 2400
    residents = Resident.objects.filter(household__building__in=buildings).count()
    assert 1.1 * households <= residents <= 1.6 * households
    for building in buildings.annotate(
        leaders=Count(
            "households__residents", filter=Q(households__residents__role="leader")
        )
    ):
        assert building.leaders == 1


def test_accounts_are_valid_and_cannot_log_in(generated):
    users = User.objects.exclude(phone__startswith="138")
    assert users.count() > 1000
    sample = list(users.order_by("?")[:200])
    assert all(MOBILE_RE.match(u.phone) for u in sample)
    assert not any(u.has_usable_password() for u in sample)
    # A resident without an account was registered by a leader (代录).
    proxies = Resident.objects.filter(user__isnull=True)
    assert proxies.exists()
    assert not proxies.filter(registered_by__isnull=True).exists()


def test_the_ledger_checks_out(generated):
    assert LedgerEntry.objects.count() > 100
    assert LedgerEntry.objects.filter(kind="reversal").exists()
    out = io.StringIO()
    call_command("check_ledger", stdout=out)  # raises CommandError on any problem
    assert "Ledger OK" in out.getvalue()
    for fund in Fund.objects.all()[:20]:
        assert fund.entries.balance() >= 0


def test_issue_statuses_follow_their_timelines(generated):
    issues = Issue.objects.prefetch_related("events")
    assert issues.count() > 50
    statuses = Counter()
    for issue in issues:
        moves = [e for e in issue.events.all() if e.kind == IssueEvent.Kind.STATUS]
        last = moves[-1].to_status if moves else Issue.Status.SUBMITTED
        assert last == issue.status, issue.pk
        assert (issue.first_response_at is None) == (not moves)
        statuses[issue.status] += 1
    assert statuses["resolved"] > statuses["submitted"]


def test_polls_recount_and_secret_ballots_hold_no_choice(generated):
    closed = Poll.objects.filter(closed_at__isnull=False).select_related("proposal")
    assert closed.filter(is_secret=True).exists()
    assert closed.filter(is_secret=False).exists()
    for poll in closed:
        results = poll_results(poll)
        assert results.outcome == poll.outcome, poll.pk
        assert results.winner_id == poll.winner_id, poll.pk
        expected = (
            Proposal.Status.ADOPTED
            if poll.outcome == "adopted"
            else Proposal.Status.REJECTED
        )
        assert poll.proposal.status == expected
    assert not Ballot.objects.filter(
        poll__is_secret=True, option__isnull=False
    ).exists()
    assert not Ballot.objects.filter(
        poll__is_secret=False, option__isnull=True
    ).exists()
    for poll in Poll.objects.filter(is_secret=True):
        counted = poll.options.aggregate(n=Sum("secret_count"))["n"]
        assert counted == poll.ballots.count()


def test_capacity_is_never_exceeded(generated):
    activities = Activity.objects.with_counts()
    assert activities.count() > 20
    assert not activities.filter(confirmed_people__gt=F("capacity")).exists()
    assert Registration.objects.filter(status="waitlisted").exists()
    assert Shift.objects.filter(done_at__isnull=False).exists()


def test_it_refuses_to_run_twice(generated):
    before = Community.objects.count()
    with pytest.raises(CommandError, match="already holds the generated district"):
        call_command(
            "generate_district", communities=1, quiet=True, stdout=io.StringIO()
        )
    assert Community.objects.count() == before


def test_scale_must_be_sensible():
    before = Community.objects.count()
    with pytest.raises(CommandError):
        call_command("generate_district", scale=0, quiet=True)
    with pytest.raises(CommandError):
        call_command("generate_district", communities=0, quiet=True)
    assert Community.objects.count() == before
