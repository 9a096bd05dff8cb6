"""Cells for every CSV and XLSX export: text a spreadsheet never runs as a formula.

Any text a person can type (a donor's name, a note, a room, an answer) may start with
`=`, `+`, `-` or `@`, or with a tab or carriage return, which spreadsheet programs take
as the start of a formula (=HYPERLINK(...) leaks data, =cmd|... runs programs). Such
text gets a leading single quote, the OWASP way, so it is shown, never run. Control
characters are removed first: openpyxl refuses them (one in a name would make the
whole XLSX fail), they mean nothing in a cell, and one must not hide a formula behind
it. Numbers, dates and empty cells are left as they are, so amounts stay real numbers.

    writer = exports.csv_writer(out)   # every row written through spreadsheet_row
    sheet.append(exports.spreadsheet_row([...]))
"""

import csv
import re
from datetime import date, datetime, time
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The characters openpyxl refuses in a cell (openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE):
# the C0 controls except tab, line feed and carriage return.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
KEPT_AS_IS = (bool, int, float, Decimal, date, datetime, time)


def spreadsheet_text(value) -> str:
    """Text that is shown in a spreadsheet cell, never run: no formula, no control."""
    text = CONTROL_CHARACTERS.sub("", str(value))
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def spreadsheet_cell(value):
    """A cell: numbers and dates unchanged, everything else through spreadsheet_text."""
    if value is None or isinstance(value, KEPT_AS_IS):
        return value
    return spreadsheet_text(value)


def spreadsheet_row(values) -> list:
    return [spreadsheet_cell(value) for value in values]


class SafeCsvWriter:
    """csv.writer whose rows go through spreadsheet_row."""

    def __init__(self, out, **kwargs):
        self._writer = csv.writer(out, **kwargs)

    def writerow(self, values):
        return self._writer.writerow(spreadsheet_row(values))

    def writerows(self, rows):
        for values in rows:
            self.writerow(values)


def csv_writer(out, **kwargs) -> SafeCsvWriter:
    return SafeCsvWriter(out, **kwargs)
