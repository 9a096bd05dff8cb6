"""The ledger for the building's search page (buildings/views/search.py).

What an entry was for, who was paid and its public note are searched; donors are not
(a donor who chose to be anonymous must not be found by name).
"""

from django.utils.translation import gettext as _

from buildings.extensions import SearchGroup, SearchHit
from core.search import matching
from funds.models import LedgerEntry
from funds.money import format_money

PER_KIND = 8


def _amount(entry: LedgerEntry) -> str:
    """The entry's column and amount as its own page and the statement show them: an
    expense is money out of ¥80.00, a refund of it a negative in the same column."""
    if entry.is_money_in:
        return f"{_('In')} {format_money(entry.money_in)}"
    return f"{_('Out')} {format_money(entry.money_out)}"


def search(access, query: str) -> list[SearchGroup]:
    entries = list(
        matching(
            LedgerEntry.objects.filter(fund__building=access.building).select_related(
                "fund"
            ),
            ["purpose", "payee", "note"],
            query,
            order=("-occurred_on", "-pk"),
        )[: PER_KIND + 1]
    )
    return [
        SearchGroup(
            kind="ledger",
            label=_("Fund ledger"),
            hits=[
                SearchHit(
                    title=entry.purpose or entry.get_kind_display(),
                    url=entry.get_absolute_url(),
                    detail=f"{entry.occurred_on:%Y-%m-%d} · {entry.get_kind_display()}"
                    f" · {_amount(entry)}",
                    snippet=entry.note,
                )
                for entry in entries[:PER_KIND]
            ],
            more=len(entries) > PER_KIND,
        )
    ]
