"""The dashboard's two tables of buildings, written in Python: a community has dozens of
buildings and eighteen figures each, and the template engine spent most of a freshly
built dashboard's rendering on these rows (as the charts, see dashboard/charts.py)."""

from decimal import Decimal

from django import template
from django.conf import settings
from django.utils.formats import get_format, localize
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from core.templatetags.words import duration, yuan

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


def _percent(value) -> str:
    return "—" if value is None else f"{round(value * 100)}%"


@register.simple_tag
def vitality_rows(rows):
    """The vitality index list: one link per building, with its sparkline."""
    localize = _numbers()
    label = _("Participation over the last 12 months")
    pilot = format_html(
        ' <span class="badge badge-pilot">{}</span>', _("Pilot · vibrant building")
    )

    def row(row):
        building = row.building
        return (
            building.get_absolute_url(),
            building.display_name,
            pilot if building.is_pilot else "",
            _(
                "%(joined)s/%(total)s households · %(open)s issues open, "
                "%(overdue)s overdue"
            )
            % {
                "joined": localize(row.joined),
                "total": localize(row.households),
                "open": localize(row.issues_open),
                "overdue": localize(row.issues_overdue),
            },
            localize(row.index),
            label,
            row.sparkline,
        )

    return format_html_join(
        "\n",
        '<a class="list-group-item list-group-item-action py-3" href="{}">'
        '<div class="d-flex justify-content-between align-items-center gap-2"><div>'
        "<strong>{}</strong>{}"
        '<div class="small text-body-secondary">{}</div></div>'
        '<div class="text-end"><div class="fs-4 fw-bold">{}</div>'
        '<svg width="120" height="28" viewBox="0 0 120 28" role="img" aria-label="{}">'
        '<polyline points="{}" fill="none" stroke="#b3261e" stroke-width="2">'
        "</polyline></svg></div></div></a>",
        (row(item) for item in rows),
    )


@register.simple_tag
def measure_rows(rows):
    """The "All measures" table's body: one row of eighteen figures per building."""
    localize = _numbers()

    def row(row):
        cells = [
            localize(row.index),
            f"{localize(row.joined)}/{localize(row.households)}",
            localize(row.issues_open),
            localize(row.issues_overdue),
            duration(row.median_response_hours),
            _percent(row.resolution_rate),
            _percent(row.satisfaction),
        ]
        money = [row.raised, row.matched, row.spent, row.balance]
        after = [
            localize(row.activities_held),
            localize(row.participants),
            localize(row.volunteer_hours),
            localize(row.polls),
            _percent(row.turnout),
            f"{localize(row.households_voted)}/{localize(row.households)}",
        ]
        return format_html(
            '<tr><th scope="row">{}</th>{}{}{}</tr>',
            row.building.number,
            format_html_join("", '<td class="text-end">{}</td>', ((c,) for c in cells)),
            format_html_join(
                "", '<td class="money">{}</td>', ((yuan(m),) for m in money)
            ),
            format_html_join("", '<td class="text-end">{}</td>', ((c,) for c in after)),
        )

    return format_html_join("\n", "{}", ((row(item),) for item in rows))
