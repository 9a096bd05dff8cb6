"""Quorum and tally: the displayed result always equals a recount (hypothesis)."""

import re
from collections import Counter
from fractions import Fraction

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from buildings.models import Household
from proposals.deliberation.polls import services as poll_services
from proposals.deliberation.tally import OptionCount, decide, percent, quorum_needed
from proposals.models import Ballot
from tests.factories import AccountResidentFactory, BuildingFactory, UserFactory
from tests.proposals.deliberation.factories import PollFactory, end_voting


def reference_outcome(kinds, votes, households_voted, household_count, quorum_percent):
    """An independent, deliberately naive statement of the rule."""
    share = Fraction(households_voted, household_count) if household_count else 0
    if households_voted == 0 or share < Fraction(quorum_percent, 100):
        return "no_quorum", None
    if "candidate" in kinds:
        ranked = Counter({i: v for i, v in enumerate(votes)}).most_common()
        if ranked[0][1] > 0 and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
            return "adopted", ranked[0][0]
        return "rejected", None
    yes = sum(v for k, v in zip(kinds, votes, strict=True) if k == "yes")
    no = sum(v for k, v in zip(kinds, votes, strict=True) if k == "no")
    return ("adopted", kinds.index("yes")) if yes > no else ("rejected", None)


@given(
    household_count=st.integers(min_value=0, max_value=600),
    quorum_percent=st.integers(min_value=0, max_value=100),
    data=st.data(),
)
def test_decide_matches_the_reference(household_count, quorum_percent, data):
    candidates = data.draw(st.booleans())
    kinds = (
        ["candidate"] * data.draw(st.integers(min_value=2, max_value=6))
        if candidates
        else ["yes", "no", "abstain"]
    )
    votes = data.draw(
        st.lists(st.integers(0, 200), min_size=len(kinds), max_size=len(kinds))
    )
    households_voted = min(sum(votes), household_count)
    counts = [
        OptionCount(i, str(i), k, v)
        for i, (k, v) in enumerate(zip(kinds, votes, strict=True))
    ]
    decision = decide(
        counts=counts,
        households_voted=households_voted,
        household_count=household_count,
        quorum_percent=quorum_percent,
    )
    outcome, winner = reference_outcome(
        kinds, votes, households_voted, household_count, quorum_percent
    )
    assert (decision.outcome, decision.winner_id) == (outcome, winner)
    assert decision.quorum_needed == -(-household_count * quorum_percent // 100)


@given(part=st.integers(0, 10_000), whole=st.integers(1, 10_000))
def test_percent_is_the_rounded_share(part, whole):
    part = min(part, whole)
    exact = Fraction(part * 100, whole)
    assert abs(percent(part, whole) - exact) <= Fraction(1, 2)
    assert quorum_needed(household_count=whole, quorum_percent=100) == whole


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    choices=st.lists(st.one_of(st.none(), st.integers(0, 2)), min_size=1, max_size=12),
    secret=st.booleans(),
    candidates=st.booleans(),
    quorum_percent=st.sampled_from([0, 25, 50, 75]),
)
def test_the_displayed_result_equals_a_recount(
    choices, secret, candidates, quorum_percent
):
    """Cast real ballots (None = did not vote), close the poll, read the page."""
    building = BuildingFactory()
    leader = UserFactory()
    voters = [AccountResidentFactory(household__building=building) for _ in choices]
    poll = PollFactory(
        proposal__building=building,
        is_secret=secret,
        quorum_percent=quorum_percent,
        labels=["甲", "乙", "丙"] if candidates else None,
    )
    options = list(poll.options.all())
    for voter, choice in zip(voters, choices, strict=True):
        if choice is None:
            continue
        if voter.pk % 2:
            poll_services.cast_ballot(
                poll=poll, option_id=options[choice].pk, resident=voter
            )
        else:
            poll_services.cast_ballot(
                poll=poll,
                option_id=options[choice].pk,
                household=voter.household,
                origin="paper",
                entered_by=leader,
            )
    poll_services.close_poll(poll=end_voting(poll))
    poll.refresh_from_db()

    recount = Counter(c for c in choices if c is not None)
    voted = sum(recount.values())
    total = Household.objects.filter(building=building).count()
    outcome, winner = reference_outcome(
        [o.kind for o in options],
        [recount[i] for i in range(3)],
        voted,
        total,
        quorum_percent,
    )
    assert poll.outcome == outcome
    assert poll.winner_id == (options[winner].pk if winner is not None else None)
    assert Ballot.objects.filter(poll=poll).count() == voted

    client = Client()
    client.force_login(voters[0].user)
    html = client.get(poll.get_absolute_url()).content.decode()
    shown = [int(n) for n in re.findall(r'<span class="bar-number">(\d+) 票', html)]
    assert shown == [recount[i] for i in range(3)]
    assert f"{voted} / {total} 户" in html
