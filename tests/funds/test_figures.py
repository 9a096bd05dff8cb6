"""The fund's figures agree everywhere: a reversal is no expense, pledges keep their names private."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from dashboard import figures, metrics
from funds import services
from funds.models import CampaignNeed
from tests.factories import AccountResidentFactory
from tests.funds.factories import donate, ready_fund, spend
from tests.proposals.deliberation.factories import ProposalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def corrected(building):
    """¥2,000 given, ¥1,000 spent, a ¥150 gift recorded by mistake and reversed."""
    with time_machine.travel(date(2026, 6, 20), tick=False):
        fund, leader, rule = ready_fund(building)
        donate(fund, leader, "2000", occurred_on=date(2026, 6, 2))
        spend(fund, leader, "1000", rule, occurred_on=date(2026, 6, 5))
        mistake = donate(fund, leader, "150", occurred_on=date(2026, 6, 10))
        reversal, _created = services.reverse_entry(
            entry=mistake, reason="记重了", by=leader
        )
    return fund, leader, mistake, reversal


def test_a_reversed_gift_is_never_spending(corrected, login):
    fund, leader, mistake, reversal = corrected
    client = login(AccountResidentFactory(household__building=fund.building).user)
    query = {"start": "2026-06-01", "end": "2026-06-30"}
    with time_machine.travel(date(2026, 6, 21), tick=False):
        index = client.get(reverse("funds:index", args=[fund.building_id]))
        statement = client.get(
            reverse("funds:statement", args=[fund.building_id]), query
        )
        exported = client.get(
            reverse("funds:statement-csv", args=[fund.building_id]), query
        )
    assert index.context["totals"]["spent"] == Decimal("1000.00")
    assert statement.context["statement"].money_out == Decimal("1000.00")
    assert statement.context["statement"].money_in == Decimal("2000.00")
    assert "¥1,150.00" not in statement.content.decode()
    rows = {
        row[0]: row[1:]
        for row in csv.reader(io.StringIO(exported.content.decode("utf-8-sig")))
        if row
    }
    assert rows["支出"] == ["1000.00"] and rows["收入"] == ["2000.00"]
    assert rows["冲正金额（已计入以上各项）"] == ["150.00"]
    # The reversal shows as what it is, in the money-in column, as a negative.
    body = statement.content.decode()
    assert f"冲减捐款 #{mistake.pk}" in body and "-¥150.00" in body
    assert f"冲正 #{mistake.pk}" not in body
    reversal_row = next(
        row for row in rows.values() if len(row) > 5 and row[-2] == str(reversal.pk)
    )
    assert reversal_row[1:3] == ["-150.00", ""]
    assert reversal_row[-1] == f"冲减捐款 #{mistake.pk}"


def test_a_reversal_counts_in_the_period_it_is_made(building):
    with time_machine.travel(date(2026, 5, 20), tick=False):
        fund, leader, rule = ready_fund(building)
        gift = donate(fund, leader, "300", occurred_on=date(2026, 4, 2))
        expense = spend(fund, leader, "100", rule, occurred_on=date(2026, 4, 3))
        services.reverse_entry(entry=expense, reason="店家退款", by=leader)
        services.reverse_entry(entry=gift, reason="记重了", by=leader)
    april = fund.entries.between(date(2026, 4, 1), date(2026, 4, 30)).totals()
    may = fund.entries.between(date(2026, 5, 1), date(2026, 5, 31)).totals()
    assert (april["raised"], april["spent"], april["balance"]) == (
        Decimal("300.00"),
        Decimal("100.00"),
        Decimal("200.00"),
    )
    # In May the refund lowers spending and the reversed gift lowers what was raised.
    assert (may["raised"], may["spent"], may["reversed"], may["balance"]) == (
        Decimal("-300.00"),
        Decimal("-100.00"),
        Decimal("400.00"),
        Decimal("-200.00"),
    )
    assert fund.entries.totals()["balance"] == Decimal("0.00")


def test_dashboard_money_is_the_funds_own_figures(corrected):
    fund, _leader, _mistake, _reversal = corrected
    row = next(
        r
        for r in metrics.community_rows(fund.building.community)
        if r.building == fund.building
    )
    totals = fund.entries.totals()
    assert (
        (row.raised, row.matched, row.spent, row.balance)
        == (
            totals["raised"],
            totals["matched"],
            totals["spent"],
            totals["balance"],
        )
        == (Decimal("2000.00"), Decimal("0.00"), Decimal("1000.00"), Decimal("1000.00"))
    )


@pytest.mark.parametrize(
    ("choice", "shown"),
    [("anonymous", "匿名"), ("room", "88-601室"), ("name", "王阿姨")],
)
def test_a_pledge_shows_the_person_as_they_chose(building, login, choice, shown):
    fund, leader, _rule = ready_fund(building)
    campaign = services.create_campaign(
        fund=fund,
        title="一尺花园",
        purpose="种花",
        category=None,
        goal=Decimal("0"),
        deadline=timezone.localdate() + timedelta(days=10),
        needs=[{"kind": "goods", "description": "花盆", "quantity": 20, "unit": "盆"}],
        by=leader,
    )
    giver = AccountResidentFactory(
        household__building=building,
        household__room="88-601",
        name="王阿姨",
        public_display=choice,
    )
    services.pledge(
        need=CampaignNeed.objects.get(campaign=campaign), resident=giver, quantity=3
    )
    neighbour = AccountResidentFactory(household__building=building).user
    body = login(neighbour).get(campaign.get_absolute_url()).content.decode()
    assert f"{shown}: 3 盆" in body
    for hidden in {"王阿姨", "88-601"} - {shown, shown.removesuffix("室")}:
        assert hidden not in body


def test_the_search_shows_an_entry_as_its_own_page_does(building, login):
    """An expense is money out of ¥80.00 (not -¥80.00), and the refund that reverses
    it a negative in the money-out column, in the search as on the entry's page."""
    with time_machine.travel(date(2026, 6, 20), tick=False):
        fund, leader, rule = ready_fund(building)
        donate(fund, leader, "500", occurred_on=date(2026, 6, 2))
        expense = spend(
            fund, leader, "80", rule, purpose="买花苗", occurred_on=date(2026, 6, 5)
        )
        refund, _created = services.reverse_entry(
            entry=expense, reason="花苗退货", by=leader
        )
        client = login(AccountResidentFactory(household__building=building).user)
        found = client.get(
            reverse("buildings:search", args=[building.pk]), {"q": "花苗"}
        )
        shown = {
            hit.url: hit.detail.rsplit(" · ", 1)[-1]
            for group in found.context["groups"]
            if group.kind == "ledger"
            for hit in group.hits
        }
        assert shown == {
            expense.get_absolute_url(): "支出 ¥80.00",
            refund.get_absolute_url(): "支出 -¥80.00",
        }
        for url, amount in shown.items():
            assert amount in client.get(url).content.decode()


def test_a_proposals_budget_is_written_as_every_amount(building, login):
    """The budget of a decision that approves spending from the fund is ¥1,500.00, as
    the expense it approves is written (it was ¥1500.00, without the thousands)."""
    proposal = ProposalFactory(
        building=building, kind="fund_use", budget=Decimal("1500")
    )
    neighbour = AccountResidentFactory(household__building=building).user
    body = login(neighbour).get(proposal.get_absolute_url()).content.decode()
    assert "¥1,500.00" in body
    assert "¥1500.00" not in body


def test_a_fund_spent_to_nothing_holds_0_00_never_minus_0_00(building, login):
    """¥0.30 in, ¥0.10 and ¥0.20 out: SQLite adds the amounts as floats (-2.8e-17) and
    rounds that to -0.00, which the CSV wrote as an opening balance of "-0.00" after a
    statement that closed at "0.00", and the dashboard stored as "-0.00"."""
    with time_machine.travel(date(2026, 6, 20), tick=False):
        fund, leader, rule = ready_fund(building)
        donate(fund, leader, "0.30", occurred_on=date(2026, 5, 2))
        spend(fund, leader, "0.10", rule, occurred_on=date(2026, 5, 3))
        spend(fund, leader, "0.20", rule, occurred_on=date(2026, 5, 4))
        exported = login(leader).get(
            reverse("funds:statement-csv", args=[building.pk]),
            {"start": "2026-06-01", "end": "2026-06-30"},
        )
        stored = figures.compute(building.community).rows
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[1] == ["期初余额", "0.00"] and rows[7] == ["期末余额", "0.00"]
    assert [row["balance"] for row in stored] == ["0.00"]
    assert str(fund.entries.balance()) == "0.00"
