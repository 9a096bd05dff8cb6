"""Property: every money and goods figure, on every page, export and dashboard, is the truth.

Hypothesis writes random ledger histories through the services (donations, matching
grants, expenses, reversals, goods in and out, pledges, entries dated back, days passing
between them), while this test keeps its own plain-Python record of what succeeded. The
truth is computed from that record alone; the fund page, statements of any periods (page,
A4, CSV, XLSX), the monthly chart, the campaign page and the branch dashboard must all
show exactly it, and consecutive statements must chain (one closing = the next opening).
"""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from dashboard import metrics
from funds import services
from funds.models import CampaignNeed, GoodsDonation
from funds.money import format_money
from funds.statements import build_statement, month_end, month_starts, monthly_flows
from tests.factories import AccountResidentFactory
from tests.funds.factories import ready_fund

START = date(2026, 1, 5)
FIGURES = ("raised", "matched", "spent", "reversed", "balance")

cents = st.integers(min_value=1, max_value=80_000).map(lambda c: Decimal(c) / 100)
days = st.integers(min_value=0, max_value=25)  # days passing before the operation
back = st.integers(min_value=0, max_value=40)  # how far back the entry is dated
operation = st.one_of(
    st.tuples(st.just("donate"), days, back, cents, st.booleans()),
    st.tuples(st.just("spend"), days, back, cents, st.booleans()),
    st.tuples(st.just("match"), days, back, cents, st.booleans()),
    st.tuples(st.just("reverse"), days, back, st.integers(0, 50), st.booleans()),
    st.tuples(st.just("goods"), days, back, st.integers(1, 9), st.booleans()),
    st.tuples(st.just("use"), days, back, st.integers(1, 9), st.booleans()),
    st.tuples(st.just("pledge"), days, back, st.integers(1, 20), st.booleans()),
)


@dataclass
class Record:
    """One money entry as this test remembers it, independently of the database."""

    pk: int
    kind: str  # donation, matching, expense, reversal
    amount: Decimal  # signed, as it moves the balance
    occurred_on: date
    of: str = ""  # for a reversal: the kind it reverses
    campaign: bool = False
    reversed: bool = False


def truth(records, start=None, end=None) -> dict:
    """The figures of the records dated in [start, end] (open ends allowed)."""
    chosen = [
        r
        for r in records
        if (start is None or r.occurred_on >= start)
        and (end is None or r.occurred_on <= end)
    ]
    figure = {"raised": "donation", "matched": "matching", "spent": "expense"}
    result = {
        name: sum((r.amount for r in chosen if kind in (r.kind, r.of)), Decimal("0.00"))
        for name, kind in figure.items()
    }
    result["spent"] = -result["spent"]
    result["reversed"] = sum(
        (abs(r.amount) for r in chosen if r.kind == "reversal"), Decimal("0.00")
    )
    result["balance"] = sum((r.amount for r in chosen), Decimal("0.00"))
    result["money_in"] = result["raised"] + result["matched"]
    result["money_out"] = result["spent"]
    return result


def noon(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


def play(operations):
    """Write the history through the services; return what succeeded, as plain records."""
    with time_machine.travel(noon(START), tick=False):
        fund, leader, rule = ready_fund()
        fund.matching_ratio, fund.matching_cap = Decimal("1.00"), Decimal("900.00")
        fund.save()
        campaign = services.create_campaign(
            fund=fund,
            title="一尺花园",
            purpose="种花",
            category=None,
            goal=Decimal("2000"),
            deadline=START + timedelta(days=1000),
            needs=[
                {"kind": "goods", "description": "花盆", "quantity": 20, "unit": "盆"}
            ],
            by=leader,
        )
        need = CampaignNeed.objects.get(campaign=campaign)
        neighbours = [
            AccountResidentFactory(household__building=fund.building, public_display=p)
            for p in ("", "anonymous")
        ]
    records, goods, pledged = [], [], {}
    today = START
    for kind, step, days_back, value, flag in operations:
        today += timedelta(days=step)
        day = max(today - timedelta(days=days_back), START - timedelta(days=60))
        with time_machine.travel(noon(today), tick=False):
            try:
                if kind == "donate":
                    entry, _created = services.record_donation(
                        fund=fund,
                        amount=value,
                        occurred_on=day,
                        by=leader,
                        campaign=campaign if flag else None,
                    )
                    records.append(
                        Record(entry.pk, "donation", value, day, campaign=flag)
                    )
                elif kind == "match":
                    entry, _created = services.record_matching_grant(
                        fund=fund, amount=value, occurred_on=day, by=leader
                    )
                    records.append(Record(entry.pk, "matching", value, day))
                elif kind == "spend":
                    entry, _created = services.record_expense(
                        fund=fund,
                        amount=value,
                        occurred_on=day,
                        payee="五金店",
                        purpose="换灯泡",
                        usage_rule=rule,
                        approval_text="议事会决议",
                        campaign=campaign if flag else None,
                        by=leader,
                    )
                    records.append(
                        Record(entry.pk, "expense", -value, day, campaign=flag)
                    )
                elif kind == "reverse":
                    open_ones = [
                        r for r in records if r.kind != "reversal" and not r.reversed
                    ]
                    if open_ones:
                        target = open_ones[value % len(open_ones)]
                        entry, _created = services.reverse_entry(
                            entry=fund.entries.get(pk=target.pk),
                            reason="记错",
                            by=leader,
                        )
                        target.reversed = True
                        records.append(
                            Record(
                                entry.pk,
                                "reversal",
                                -target.amount,
                                today,  # a reversal is dated the day it is made
                                of=target.kind,
                                campaign=target.campaign,
                            )
                        )
                elif kind == "goods":
                    item, _created = services.record_goods(
                        fund=fund,
                        item="花盆",
                        quantity=Decimal(value),
                        unit="盆",
                        received_on=day,
                        need=need if flag else None,
                        by=leader,
                    )
                    goods.append(
                        {"pk": item.pk, "in": Decimal(value), "used": Decimal(0)}
                    )
                    goods[-1]["need"] = flag
                elif kind == "use" and goods:
                    item = goods[value % len(goods)]
                    services.use_goods(
                        goods=GoodsDonation.objects.get(pk=item["pk"]),
                        quantity=Decimal(value),
                        used_for="一尺花园",
                        occurred_on=day,
                        by=leader,
                    )
                    item["used"] += Decimal(value)
                elif kind == "pledge":
                    resident = neighbours[int(flag)]
                    services.pledge(need=need, resident=resident, quantity=value)
                    pledged[resident.pk] = value
            except ValidationError:
                pass  # refused: nothing changed, and nothing is recorded here
    return fund, leader, campaign, need, records, goods, pledged, today


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    operations=st.lists(operation, min_size=1, max_size=18),
    cuts=st.lists(st.integers(min_value=-70, max_value=400), max_size=4),
)
def test_every_figure_everywhere_is_the_truth(operations, cuts, client):
    fund, leader, campaign, need, records, goods, pledged, today = play(operations)
    whole = truth(records)
    assert whole["balance"] == whole["money_in"] - whole["money_out"]

    # The figures themselves, over the whole life of the fund.
    totals = fund.entries.totals()
    for name in (*FIGURES, "money_in", "money_out"):
        assert totals[name] == whole[name], name

    with time_machine.travel(noon(today), tick=False):
        client.force_login(leader)
        building = fund.building

        # The fund page.
        page = client.get(reverse("funds:index", args=[building.pk]))
        assert page.status_code == 200
        for name in ("raised", "matched", "spent", "balance"):
            assert page.context["totals"][name] == whole[name]
        body = page.content.decode()
        for name in ("raised", "spent", "balance"):
            assert format_money(whole[name]) in body

        # Statements of consecutive periods, cut at random days: each is the truth of
        # its period, and each closing balance is the next opening balance.
        first = START - timedelta(days=61)
        bounds = sorted(
            {first, today + timedelta(days=1)}
            | {START + timedelta(days=cut) for cut in cuts}
        )
        bounds = [b for b in bounds if first <= b <= today + timedelta(days=1)]
        previous_closing = Decimal("0.00")
        for start, following in zip(bounds, bounds[1:], strict=False):
            end = following - timedelta(days=1)
            statement = build_statement(fund, start, end)
            expected = truth(records, start, end)
            assert statement.opening == previous_closing
            assert (
                statement.opening
                == truth(records, None, start - timedelta(1))["balance"]
            )
            for name in ("raised", "matched", "spent", "reversed"):
                assert getattr(statement, name) == expected[name], name
            assert statement.money_in == expected["money_in"]
            assert statement.money_out == expected["money_out"]
            assert statement.closing == statement.opening + expected["balance"]
            assert statement.closing == (
                statement.opening + statement.money_in - statement.money_out
            )
            previous_closing = statement.closing
        assert previous_closing == whole["balance"]

        # One period through every way it is shown: page, A4, CSV and XLSX.
        start, end = bounds[0], bounds[-1] - timedelta(days=1)
        if len(bounds) > 2:
            start, end = bounds[1], bounds[-1] - timedelta(days=1)
        expected = truth(records, start, end)
        opening = truth(records, None, start - timedelta(days=1))["balance"]
        closing = opening + expected["balance"]
        shown = [
            opening,
            expected["money_in"],
            expected["raised"],
            expected["matched"],
            expected["money_out"],
            expected["reversed"],
            closing,
        ]
        query = {"start": start.isoformat(), "end": end.isoformat()}
        page = client.get(reverse("funds:statement", args=[building.pk]), query)
        assert page.status_code == 200
        statement = page.context["statement"]
        assert [statement.opening, statement.money_in, statement.money_out] == [
            opening,
            expected["money_in"],
            expected["money_out"],
        ]
        body = page.content.decode()
        for value in (opening, expected["money_in"], expected["money_out"], closing):
            assert format_money(value) in body
        printed = client.get(
            reverse("funds:statement-print", args=[building.pk]), query
        ).content.decode()
        assert format_money(closing) in printed
        assert format_money(expected["money_out"]) in printed
        exported = client.get(reverse("funds:statement-csv", args=[building.pk]), query)
        rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
        assert [Decimal(row[1]) for row in rows[1:8]] == shown
        workbook = client.get(
            reverse("funds:statement-xlsx", args=[building.pk]), query
        )
        sheet = load_workbook(io.BytesIO(workbook.content)).active
        cells = [row[1].value for row in sheet.iter_rows(min_row=2, max_row=8)]
        assert [Decimal(str(value)).quantize(Decimal("0.01")) for value in cells] == (
            shown
        )

        # The monthly chart: each month is that month's truth; the line is the balance.
        months = month_starts(first, today)
        for flow in monthly_flows(fund, months):
            month = truth(records, flow["month"], month_end(flow["month"]))
            assert (flow["money_in"], flow["money_out"]) == (
                month["money_in"],
                month["money_out"],
            )
            assert (
                flow["balance"]
                == truth(records, None, month_end(flow["month"]))["balance"]
            )

        # The branch dashboard reads the same figures.
        row = next(
            r
            for r in metrics.community_rows(building.community)
            if r.building == building
        )
        assert (row.raised, row.matched, row.spent, row.balance) == tuple(
            whole[name] for name in ("raised", "matched", "spent", "balance")
        )

        # The campaign: money raised for it, goods received for its need, pledges.
        campaign_raised = sum(
            (r.amount for r in records if r.campaign and "donation" in (r.kind, r.of)),
            Decimal("0.00"),
        )
        received = sum((g["in"] for g in goods if g["need"]), Decimal("0"))
        progress = fund.campaigns.with_progress().get(pk=campaign.pk)
        assert progress.raised_sum == campaign_raised
        need_progress = CampaignNeed.objects.with_progress().get(pk=need.pk)
        assert need_progress.received_sum == received
        assert need_progress.pledged_sum == sum(pledged.values())
        body = client.get(campaign.get_absolute_url()).content.decode()
        assert f"{format_money(campaign_raised)} / ¥2,000.00" in body
        assert f"已收到 {received.normalize():f} / 20 盆" in body

        # Goods: what is left of each gift is what came in less what was used.
        stock = {g.pk: g.in_stock for g in GoodsDonation.objects.with_stock()}
        for item in goods:
            assert stock[item["pk"]] == item["in"] - item["used"]
