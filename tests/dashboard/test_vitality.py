"""The vitality index (活力指数) rewards taking part: an empty building scores 0, and
one more act of participation never lowers a building's score."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from dashboard import metrics
from proposals.deliberation.polls import services as poll_services
from tests.activities.factories import ActivityFactory, RegistrationFactory
from tests.factories import (
    AccountResidentFactory,
    BuildingFactory,
    HouseholdFactory,
)
from tests.funds.factories import donate, ready_fund
from tests.proposals.deliberation.factories import PollFactory
from tests.proposals.factories import IssueFactory

ACTS = {
    "joined": lambda row: setattr(row, "joined", min(row.households, row.joined + 1)),
    "voted": lambda row: setattr(
        row, "households_voted", min(row.households, row.households_voted + 1)
    ),
    "answered": lambda row: setattr(row, "answered_in_time", row.answered_in_time + 1),
    "raised": lambda row: setattr(row, "raised", row.raised + Decimal("0.01")),
    "hands": lambda row: setattr(
        row, "volunteer_hours", row.volunteer_hours + Decimal("0.5")
    ),
    "attendance": lambda row: setattr(row, "participants", row.participants + 1),
}


@st.composite
def rows(draw):
    households = draw(st.integers(0, 200))
    row = metrics.BuildingRow(building=None, households=households)
    row.joined = draw(st.integers(0, households))
    row.households_voted = draw(st.integers(0, households))
    row.answered_in_time = draw(st.integers(0, 500))
    row.raised = Decimal(draw(st.integers(0, 10**7))) / 100
    row.volunteer_hours = Decimal(draw(st.integers(0, 5000))) / 10
    row.participants = draw(st.integers(0, 1000))
    # Figures that say nothing about taking part must not move the index.
    row.issues_recent = row.answered_in_time + draw(st.integers(0, 50))
    row.issues_overdue = draw(st.integers(0, 50))
    return row


def scored(row):
    metrics.score(row)
    return row.index


@given(households=st.integers(0, 500), issues=st.integers(0, 50))
def test_a_building_where_nobody_takes_part_scores_0(households, issues):
    row = metrics.BuildingRow(building=None, households=households)
    row.issues_recent = row.issues_overdue = issues  # raised, never answered
    assert scored(row) == 0


@given(row=rows(), act=st.sampled_from(sorted(ACTS)))
def test_one_more_act_never_lowers_the_index(row, act):
    before = scored(row)
    ACTS[act](row)
    assert scored(row) >= before
    assert 0 <= row.index <= 100


@given(row=rows())
def test_the_index_is_the_weighted_sum_the_page_explains(row):
    index = scored(row)
    assert sum(metrics.WEIGHTS.values()) == 100
    expected = sum(metrics.WEIGHTS[key] * row.parts[key] for key in metrics.WEIGHTS)
    assert index == round(expected, 1)
    if row.households:
        assert row.parts["joined"] == row.joined / row.households


# --- The same, through the database and the real figures ----------------------------


def building_row(building):
    return next(
        row
        for row in metrics.community_rows(building.community)
        if row.building == building
    )


@pytest.mark.django_db
def test_an_empty_building_ranks_below_an_active_pilot():
    """The case that was wrong: 0 of 12 households joined scored 35."""
    empty = BuildingFactory(number="3号楼")
    HouseholdFactory.create_batch(12, building=empty)
    pilot = BuildingFactory(community=empty.community, number="8号楼", is_pilot=True)
    residents = [AccountResidentFactory(household__building=pilot) for _ in range(6)]
    IssueFactory(
        building=pilot,
        reporter=residents[0],
        created_at=timezone.now() - timedelta(hours=30),
        first_response_at=timezone.now() - timedelta(hours=29),
    )
    rows_by_building = {
        row.building: row for row in metrics.community_rows(empty.community)
    }
    assert rows_by_building[empty].index == 0
    assert rows_by_building[pilot].index > 25


@pytest.fixture
def quiet_building():
    """Ten households, two of them joined (one is the fund's leader), nothing done yet."""
    building = BuildingFactory()
    HouseholdFactory.create_batch(8, building=building)
    fund, leader, _rule = ready_fund(building)
    resident = AccountResidentFactory(household__building=building)
    return building, fund, leader, resident


def do_join(building, fund, leader, resident):
    household = building.households.filter(residents__isnull=True).first()
    AccountResidentFactory(household=household)


def do_answer_issue(building, fund, leader, resident):
    created = timezone.now() - timedelta(hours=10)
    IssueFactory(
        building=building,
        reporter=resident,
        created_at=created,
        first_response_at=created + timedelta(hours=1),
    )


def do_donate(building, fund, leader, resident):
    donate(fund, leader, "20.00", donor_resident=resident)


def do_attend(building, fund, leader, resident):
    activity = ActivityFactory(
        building=building, starts_at=timezone.now() - timedelta(days=1)
    )
    RegistrationFactory(activity=activity, resident=resident, attendance="checked_in")


def do_vote(building, fund, leader, resident):
    poll = PollFactory(proposal__building=building)
    poll_services.cast_ballot(
        poll=poll, option_id=poll.options.first().pk, resident=resident
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "act", [do_join, do_answer_issue, do_donate, do_attend, do_vote]
)
def test_each_act_of_participation_raises_the_score(quiet_building, act):
    building = quiet_building[0]
    before = building_row(building).index
    act(*quiet_building)
    assert building_row(building).index > before


@pytest.mark.django_db
def test_an_unanswered_issue_leaves_the_score_as_it_was(quiet_building):
    building, _fund, _leader, resident = quiet_building
    before = building_row(building).index
    IssueFactory(
        building=building,
        reporter=resident,
        created_at=timezone.now() - timedelta(hours=60),
    )
    assert building_row(building).index == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "language, line",
    [
        ("en", "25 × households that joined Louzu (full at 1 × households)"),
        ("en", "15 × issues answered within 48 hours (full at 0.25 × households)"),
        ("en", "(full at ¥50 × households)"),
        ("zh-hans", "25 × 加入活力楼组的户数（达到 1 × 户数 即满分）"),
    ],
)
def test_the_page_shows_the_formula_it_computes(client, roles, language, line):
    client.force_login(roles.staff)
    url = reverse("dashboard:community", args=[roles.building.community_id])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert line in page
