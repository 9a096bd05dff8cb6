from django import template

from core.templatetags.words import yuan
from funds.models import LedgerEntry
from funds.money import format_money

register = template.Library()
# The one money filter every template has (core/templatetags/words.py).
register.filter("yuan", yuan)


@register.filter
def yuan_abs(value):
    """¥1,234.50 without a sign (the word 收入/支出 next to it says which way)."""
    if value in (None, ""):
        return ""
    return format_money(abs(value))


@register.filter
def percent_of(part, whole):
    """Progress in whole percent, 0..100, for a progress bar."""
    try:
        if not whole or whole <= 0:
            return 0
        return max(0, min(100, int(part * 100 / whole)))
    except (TypeError, ValueError, ArithmeticError):
        return 0


@register.filter
def qty(value):
    """2.50 -> 2.5, 3.00 -> 3"""
    try:
        return f"{value.normalize():f}"
    except AttributeError:
        return value


@register.simple_tag
def statement_rows(entries, links=False):
    """The rows of a statement's table, written in Python: a statement of a year has
    a hundred rows a page, and the template engine spent most of the page's time on
    them. Needs the entries from LedgerEntryQuerySet.for_display()."""
    from django.utils.html import format_html, format_html_join
    from django.utils.translation import gettext as _

    Kind = LedgerEntry.Kind
    # get_kind_display() builds a dict of every choice on each call: once a page here.
    kinds = {value: str(label) for value, label in Kind.choices}

    def row(entry):
        number = f"#{entry.pk}"
        if links:
            number = format_html(
                '<a href="{}">{}</a>', entry.get_absolute_url(), number
            )
        if entry.kind == Kind.DONATION:
            what = entry.public_donor()
            if entry.campaign_id:
                what = format_html("{} · {}", what, entry.campaign.title)
        elif entry.kind == Kind.EXPENSE:
            rule = entry.usage_rule.text if entry.usage_rule_id else ""
            if entry.approval_text:
                rule = format_html("{}; {}", rule, entry.approval_text)
            what = format_html(
                '{} · {} <span class="text-body-secondary">[{}]</span>{}',
                entry.payee,
                entry.purpose,
                rule,
                format_html(" · {}", _("receipt")) if entry.has_receipt else "",
            )
        elif entry.kind == Kind.MATCHING:
            what = entry.donor_name
        else:
            what = format_html("{}: {}", entry.reversal_label(), entry.note)
        money_in = entry.is_money_in
        return (
            f"{entry.occurred_on:%m-%d}",
            number,
            kinds[entry.kind],
            what,
            format_money(entry.money_in) if money_in else "",
            "" if money_in else format_money(entry.money_out),
        )

    rows = format_html_join(
        "\n",
        '<tr><td class="text-nowrap">{}</td><td>{} {}: {}</td>'
        '<td class="money">{}</td><td class="money">{}</td></tr>',
        (row(entry) for entry in entries),
    )
    if not rows:
        return format_html(
            '<tr><td colspan="4" class="text-body-secondary">{}</td></tr>',
            _("No entries in this period."),
        )
    return rows
