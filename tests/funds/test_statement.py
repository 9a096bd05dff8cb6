"""Statements (公示): numbers, pages, print, CSV, XLSX, charts and query budgets."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from funds import services
from funds.checks import check_fund
from funds.statements import build_statement, month_starts
from tests.factories import AccountResidentFactory
from tests.funds.factories import (
    CampaignFactory,
    bulk_entries,
    donate,
    photo_content,
    ready_fund,
    spend,
)
from tests.module_data import roles_built_once

pytestmark = pytest.mark.django_db
module_roles, roles, building = roles_built_once()


@pytest.fixture
def history(building):
    """Entries across three months, a reversal, goods in and out."""
    with time_machine.travel(date(2026, 5, 20), tick=False):
        fund, leader, rule = ready_fund(building)
        donate(
            fund,
            leader,
            "1000",
            occurred_on=date(2026, 3, 5),
            donor_name="物业公司",
            public_name="name",
        )
        spend(
            fund,
            leader,
            "200",
            rule,
            occurred_on=date(2026, 3, 20),
            payee="花店",
            purpose="买花",
        )
        gift = donate(fund, leader, "300.50", occurred_on=date(2026, 4, 2))
        services.reverse_entry(
            entry=gift, reason="记重了", by=leader
        )  # dated 2026-05-20
        donate(fund, leader, "50", occurred_on=date(2026, 5, 1))
        goods, _created = services.record_goods(
            fund=fund,
            item="花盆",
            quantity=Decimal("20"),
            unit="盆",
            received_on=date(2026, 4, 10),
            by=leader,
        )
        services.use_goods(
            goods=goods,
            quantity=Decimal("12"),
            used_for="一尺花园",
            occurred_on=date(2026, 5, 3),
            by=leader,
        )
    return fund, leader, rule


def test_statement_numbers_for_any_period(history):
    fund, _leader, _rule = history
    march = build_statement(fund, date(2026, 3, 1), date(2026, 3, 31))
    assert (march.opening, march.money_in, march.money_out, march.closing) == (
        Decimal("0.00"),
        Decimal("1000.00"),
        Decimal("200.00"),
        Decimal("800.00"),
    )
    april = build_statement(fund, date(2026, 4, 1), date(2026, 4, 30))
    assert (april.opening, april.closing) == (Decimal("800.00"), Decimal("1100.50"))
    assert [g.item for g in april.goods_in] == ["花盆"] and list(april.goods_out) == []
    may = build_statement(fund, date(2026, 5, 1), date(2026, 5, 31))
    # The April gift reversed in May lowers May's money in; it is not spending.
    assert (may.opening, may.money_in, may.money_out, may.closing) == (
        Decimal("1100.50"),
        Decimal("-250.50"),
        Decimal("0.00"),
        Decimal("850.00"),
    )
    assert (may.raised, may.reversed) == (Decimal("-250.50"), Decimal("300.50"))
    assert (
        may.money_out
        == fund.entries.between(date(2026, 5, 1), date(2026, 5, 31)).totals()["spent"]
    )
    assert [m.used_for for m in may.goods_out] == ["一尺花园"]
    whole = build_statement(fund, date(2026, 1, 1), date(2026, 12, 31))
    assert whole.closing == fund.entries.balance() == Decimal("850.00")
    assert whole.entry_count == 5
    assert check_fund(fund) == []


def test_statement_page_and_exports(history, login):
    fund, leader, _rule = history
    resident = AccountResidentFactory(household__building=fund.building).user
    client = login(resident)
    query = {"start": "2026-03-01", "end": "2026-05-31"}
    page = client.get(reverse("funds:statement", args=[fund.building_id]), query)
    body = page.content.decode()
    assert page.status_code == 200
    for text in ["¥850.00", "物业公司", "花店", "记重了", "¥1,000.00", "花盆"]:
        assert text in body

    printed = client.get(
        reverse("funds:statement-print", args=[fund.building_id]), query
    )
    body = printed.content.decode()
    assert printed.status_code == 200
    assert "<svg" in body and "segno" in body  # the QR code, inline
    assert "签字" in body or "signature" in body.lower()

    exported = client.get(
        reverse("funds:statement-csv", args=[fund.building_id]), query
    )
    assert exported["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert ["期末余额", "850.00"] in rows or any(
        row[1:] == ["850.00"] for row in rows[:6]
    )
    assert any("1000.00" in row for row in rows)

    workbook = client.get(
        reverse("funds:statement-xlsx", args=[fund.building_id]), query
    )
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert Decimal(
        str(
            values[
                values.index(
                    next(v for v in values if v in ("期末余额", "Closing balance"))
                )
                + 1
            ]
        )
    ) == Decimal("850.00")
    assert "花店" in values


def test_anonymous_donor_is_anonymous_everywhere(building, login):
    fund, leader, _rule = ready_fund(building)
    secret = AccountResidentFactory(
        household__building=building, name="隐名先生", household__room="601"
    )
    donate(fund, leader, "88", donor_resident=secret, public_name="anonymous")
    client = login(AccountResidentFactory(household__building=building).user)
    for name in [
        "funds:index",
        "funds:statement",
        "funds:statement-print",
        "funds:statement-csv",
    ]:
        body = client.get(reverse(name, args=[building.pk])).content.decode("utf-8-sig")
        assert "隐名先生" not in body and "601" not in body


def test_fund_page_shows_the_split_and_a_chart(history, login):
    fund, leader, _rule = history
    fund.matching_ratio, fund.matching_cap, fund.matching_source = (
        Decimal("1"),
        Decimal("500"),
        "罗店镇",
    )
    fund.save()
    with time_machine.travel(date(2026, 5, 21), tick=False):
        services.record_matching_grant(
            fund=fund, amount=Decimal("400"), occurred_on=date(2026, 5, 21), by=leader
        )
        response = login(leader).get(reverse("funds:index", args=[fund.building_id]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "¥1,050.00" in body  # raised by residents: 1000 + 300.50 - 300.50 + 50
    assert "¥400.00" in body  # added by 罗店镇
    assert "¥1,250.00" in body  # balance
    assert "<svg" in body and "<polyline" in body
    assert "2026-03" in body  # the numbers under the chart


@pytest.fixture
def big_fund(building):
    fund, leader, rule = ready_fund(building)
    amounts = ["10.10"] * 7000 + ["-3.05"] * 3000
    bulk_entries(
        fund, leader, amounts, start=timezone.localdate() - timedelta(days=250)
    )
    for _ in range(5):
        services.record_goods(
            fund=fund,
            item="土",
            quantity=Decimal("3"),
            unit="袋",
            received_on=timezone.localdate(),
            by=leader,
        )
    campaign = CampaignFactory(fund=fund, created_by=leader)
    for i in range(3):
        donate(
            fund,
            leader,
            "5",
            campaign=campaign,
            receipt_image=photo_content() if i == 0 else None,
        )
    spend(fund, leader, "1", rule)
    return fund, leader


def test_statement_page_query_budget_with_10000_entries(
    big_fund, login, django_assert_max_num_queries
):
    fund, leader = big_fund
    assert fund.entries.count() > 10_000
    client = login(AccountResidentFactory(household__building=fund.building).user)
    query = {
        "start": (timezone.localdate() - timedelta(days=400)).isoformat(),
        "end": timezone.localdate().isoformat(),
    }
    with django_assert_max_num_queries(16):
        response = client.get(
            reverse("funds:statement", args=[fund.building_id]), query
        )
    assert response.status_code == 200
    with django_assert_max_num_queries(16):
        response = client.get(
            reverse("funds:statement", args=[fund.building_id]), {**query, "page": "50"}
        )
    assert response.status_code == 200


def test_print_and_exports_query_budget_with_10000_entries(
    big_fund, login, django_assert_max_num_queries
):
    fund, leader = big_fund
    client = login(leader)
    query = {
        "start": (timezone.localdate() - timedelta(days=400)).isoformat(),
        "end": timezone.localdate().isoformat(),
    }
    for name in [
        "funds:statement-print",
        "funds:statement-csv",
        "funds:statement-xlsx",
    ]:
        with django_assert_max_num_queries(16):
            response = client.get(reverse(name, args=[fund.building_id]), query)
        assert response.status_code == 200
    assert response.content[:2] == b"PK"  # a real XLSX (zip) file


def test_fund_page_and_campaign_query_budget(
    big_fund, login, django_assert_max_num_queries
):
    fund, leader = big_fund
    client = login(leader)
    campaign = fund.campaigns.first()
    # The fund page: the fund with its rules' version, the figures of all time and of
    # the chart's months in one query, the campaigns (and their needs), the entries
    # with whether each was reversed; the campaign page: the campaign with its fund.
    # Both read the person afresh (session, user, memberships, unread count): only the
    # pages the page cache keeps read them from the cache.
    for name, args, budget in [
        ("funds:index", [], 10),
        ("funds:campaign", [campaign.pk], 8),
        ("funds:goods", [], 16),
        ("funds:rules", [], 16),
    ]:
        with django_assert_max_num_queries(budget):
            response = client.get(reverse(name, args=[fund.building_id, *args]))
        assert response.status_code == 200


def test_check_ledger_on_10000_entries_is_clean(big_fund):
    fund, _leader = big_fund
    assert check_fund(fund) == []


def test_month_starts():
    assert month_starts(date(2025, 11, 15), date(2026, 2, 1)) == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_wechat_text_of_a_statement_keeps_every_figure(building, login, language):
    """Millions in English make the sentence long: the closing balance is never cut."""
    with time_machine.travel(date(2026, 5, 20), tick=False):
        fund, leader, rule = ready_fund(building)
        donate(fund, leader, "1234567.89", occurred_on=date(2026, 3, 5))
        donate(fund, leader, "7654321.01", occurred_on=date(2026, 4, 5))
        spend(fund, leader, "1000000", rule, occurred_on=date(2026, 4, 9))
    client = login(leader)
    client.post(reverse("set_language"), {"language": language})
    page = client.get(
        reverse("funds:statement", args=[fund.building_id]),
        {"start": "2026-04-01", "end": "2026-04-30"},
    )
    text = page.context["wechat_text"]
    assert "¥1,234,567.89" in text and "¥1,000,000.00" in text
    assert "¥7,888,888.90" in text and "…" not in text
