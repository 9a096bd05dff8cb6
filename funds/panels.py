"""What the building fund adds to the building page and the leader's to-do list."""

from django.db.models import Count, Window
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from buildings.extensions import Panel, TodoItem
from funds.models import Campaign, Fund, Receipt
from funds.money import format_money


def building_panels(access) -> list[Panel]:
    url = reverse("funds:index", args=[access.building.pk])
    # order_by(): the fund's default order (by building, in counting order) would join
    # the building and community tables to sort the one row there is.
    fund = Fund.objects.filter(building=access.building).order_by().first()
    if fund is None:
        return [Panel(title=_("Building fund"), lines=[_("Not opened yet")], url=url)]
    campaigns = Campaign.objects.filter(fund=fund).open().count()
    lines = [
        _("Balance %(balance)s") % {"balance": format_money(fund.entries.balance())}
    ]
    if campaigns:
        lines.append(
            ngettext("%(count)d campaign open", "%(count)d campaigns open", campaigns)
            % {"count": campaigns}
        )
    return [Panel(title=_("Building fund"), lines=lines, url=url)]


def leader_todo(access) -> list[TodoItem]:
    """One query: the first receipt waiting (by when it was added), with the count of
    all waiting (a window count, taken before the first row is cut off)."""
    first = (
        Receipt.objects.filter(
            entry__fund__building=access.building, confirmed_at__isnull=True
        )
        .order_by("pk")
        .annotate(waiting=Window(Count("pk")))
        .values_list("entry_id", "waiting")
        .first()
    )
    entry_id, waiting = first or (None, 0)
    url = (
        reverse("funds:receipt", args=[access.building.pk, entry_id])
        if first
        else reverse("funds:index", args=[access.building.pk])
    )
    return [TodoItem(label=_("Receipts to blur and publish"), count=waiting, url=url)]
