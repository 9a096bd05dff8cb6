from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from funds.models import LedgerEntry
from funds.money import format_money, parse_money, to_money
from tests.funds.factories import bulk_entries, ready_fund


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("50", Decimal("50.00")),
        ("12.5", Decimal("12.50")),
        ("0.01", Decimal("0.01")),
        ("1,000", Decimal("1000.00")),
        ("1,000.50", Decimal("1000.50")),
        (" ¥ 88 ", Decimal("88.00")),
        ("￥200元", Decimal("200.00")),
        ("１２３．４５", Decimal("123.45")),  # full-width digits are normalised
        ("５０", Decimal("50.00")),
        ("1000000", Decimal("1000000.00")),
    ],
)
def test_parse_money_accepts(raw, expected):
    assert parse_money(raw) == expected
    assert isinstance(parse_money(raw), Decimal)


@pytest.mark.parametrize(
    "raw, code",
    [
        ("-5", "negative"),
        ("－５", "negative"),
        ("0", "zero"),
        ("0.00", "zero"),
        ("1e20", "invalid"),
        ("1E3", "invalid"),
        ("abc", "invalid"),
        ("1,000.005", "too_precise"),
        ("12.345", "too_precise"),
        ("1,00", "invalid"),
        ("NaN", "invalid"),
        ("Infinity", "invalid"),
        ("", "required"),
        ("1000000.01", "too_large"),
        ("99999999999999", "too_large"),
        ("12.5.1", "invalid"),
    ],
)
def test_parse_money_rejects(raw, code):
    with pytest.raises(ValidationError) as info:
        parse_money(raw)
    assert info.value.code == code


def test_to_money_rounds_half_up_and_swallows_float_noise():
    assert to_money(Decimal("0.005")) == Decimal("0.01")
    assert to_money(Decimal("2.675")) == Decimal("2.68")
    assert to_money(299.999999999994) == Decimal("300.00")
    assert to_money(None) == Decimal("0.00")
    assert format_money(Decimal("1234.5")) == "¥1,234.50"
    assert format_money(Decimal("-3")) == "-¥3.00"


@pytest.mark.django_db
def test_database_sums_are_exact(building):
    """1,000 × 0.10 plus 1,000 × 0.20 is exactly 300.00 (SQLite's float sum is rounded away)."""
    fund, leader, _rule = ready_fund(building)
    bulk_entries(fund, leader, ["0.10"] * 1000 + ["0.20"] * 1000)
    balance = fund.entries.balance()
    assert balance == Decimal("300.00")
    assert isinstance(balance, Decimal)
    assert fund.entries.totals()["raised"] == Decimal("300.00")
    assert LedgerEntry.objects.get(pk=fund.entries.first().pk).amount == Decimal("0.10")
