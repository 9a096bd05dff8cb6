"""The dashboard's two tables of buildings, written in Python: a community has dozens of
buildings and eighteen figures each, and the template engine spent most of a freshly
built dashboard's rendering on these rows (as the charts, see dashboard/charts.py).
Cells are escaped with the standard library's html.escape: the same text as Django's
escape, without its per-call check for lazy strings, over a few thousand cells."""

from decimal import Decimal
from html import escape

from django import template
from django.conf import settings
from django.utils.formats import get_format, localize
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.templatetags.words import duration, yuan
from proposals.deliberation.tally import percent

register = template.Library()


def _numbers():
    """A number as {{ value }} shows it (django.utils.formats.localize), looking the
    language's format up once instead of once a cell."""
    if settings.USE_THOUSAND_SEPARATOR:
        return localize
    separator = get_format("DECIMAL_SEPARATOR")

    def number(value) -> str:
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            return localize(value)
        if isinstance(value, int):
            return str(value)
        text = f"{value:f}" if isinstance(value, Decimal) else str(value)
        if "e" in text.lower():
            return localize(value)
        return text.replace(".", separator)

    return number


def share_percent(value) -> str:
    """A share (0 to 1) as a whole percent, rounded half up as a poll's page rounds
    its turnout (tally.percent): 1 household of 8 is 13% there and here, not 12%."""
    if value is None:
        return "—"
    return f"{int(percent(Decimal(repr(value)), 1))}%"


@register.simple_tag
def vitality_rows(rows):
    """The vitality index list: one link per building, with its sparkline."""
    localize = _numbers()
    label = escape(_("Participation over the last 12 months"))
    pilot = f' <span class="badge badge-pilot">{escape(_("Pilot · vibrant building"))}</span>'
    counts = _("%(joined)s/%(total)s households · %(issues)s")

    def row(row):
        building = row.building
        issues = ngettext(
            "%(open)s issue open, %(overdue)s overdue",
            "%(open)s issues open, %(overdue)s overdue",
            row.issues_open,
        ) % {
            "open": localize(row.issues_open),
            "overdue": localize(row.issues_overdue),
        }
        text = counts % {
            "joined": localize(row.joined),
            "total": localize(row.households),
            "issues": issues,
        }
        return (
            '<a class="list-group-item list-group-item-action py-3" '
            f'href="{escape(building.get_absolute_url())}">'
            '<div class="d-flex justify-content-between align-items-center gap-2"><div>'
            f"<strong>{escape(building.display_name)}</strong>"
            f"{pilot if building.is_pilot else ''}"
            f'<div class="small text-body-secondary">{escape(text)}</div></div>'
            '<div class="text-end">'
            f'<div class="fs-4 fw-bold">{escape(localize(row.index))}</div>'
            '<svg width="120" height="28" viewBox="0 0 120 28" role="img" '
            f'aria-label="{label}"><polyline points="{escape(row.sparkline)}" '
            'fill="none" stroke="#b3261e" stroke-width="2"></polyline></svg>'
            "</div></div></a>"
        )

    return mark_safe("\n".join(row(item) for item in rows))


def _measure_labels() -> list[str]:
    """The "All measures" columns after the building's, in order."""
    return [
        _("Index"),
        _("Joined"),
        _("Open"),
        _("Overdue"),
        _("Median time to first response"),
        _("Resolved"),
        _("Satisfied"),
        _("Raised"),
        _("Matched"),
        _("Spent"),
        _("Balance"),
        _("Activities"),
        _("Participants"),
        _("Volunteer hours"),
        _("Polls"),
        _("Turnout"),
        _("Households that voted"),
    ]


@register.simple_tag
def measure_head():
    """The "All measures" table's header row."""
    return format_html(
        '<tr><th scope="col">{}</th>{}</tr>',
        _("Building"),
        format_html_join(
            "",
            '<th scope="col" class="text-end">{}</th>',
            ((label,) for label in _measure_labels()),
        ),
    )


@register.simple_tag
def measure_rows(rows):
    """The "All measures" table's body: one row of eighteen figures per building, each
    figure labelled (data-label) for the narrow-screen layout that stacks a row."""
    localize = _numbers()
    labels = _measure_labels()

    def row(row):
        cells = [
            localize(row.index),
            f"{localize(row.joined)}/{localize(row.households)}",
            localize(row.issues_open),
            localize(row.issues_overdue),
            duration(row.median_response_hours),
            share_percent(row.resolution_rate),
            share_percent(row.satisfaction),
        ]
        money = [row.raised, row.matched, row.spent, row.balance]
        after = [
            localize(row.activities_held),
            localize(row.participants),
            localize(row.volunteer_hours),
            localize(row.polls),
            share_percent(row.turnout),
            f"{localize(row.households_voted)}/{localize(row.households)}",
        ]
        values = cells + [yuan(m) for m in money] + after
        classes = (
            ["text-end"] * len(cells)
            + ["money"] * len(money)
            + ["text-end"] * len(after)
        )
        return "".join(
            [
                f'<tr><th scope="row">{escape(row.building.number)}</th>',
                *(
                    f'<td class="{css}" data-label="{escape(label)}">{escape(value)}</td>'
                    for css, label, value in zip(classes, labels, values, strict=True)
                ),
                "</tr>",
            ]
        )

    return mark_safe("\n".join(row(item) for item in rows))
