"""What the building fund adds to the building page and the leader's to-do list."""

from django.urls import reverse
from django.utils.translation import gettext as _

from buildings.extensions import Panel, TodoItem
from funds.models import Campaign, Fund, Receipt
from funds.money import format_money


def building_panels(access) -> list[Panel]:
    url = reverse("funds:index", args=[access.building.pk])
    fund = Fund.objects.filter(building=access.building).first()
    if fund is None:
        return [Panel(title=_("Building fund"), lines=[_("Not opened yet")], url=url)]
    campaigns = Campaign.objects.filter(fund=fund).open().count()
    lines = [
        _("Balance %(balance)s") % {"balance": format_money(fund.entries.balance())}
    ]
    if campaigns:
        lines.append(_("%(count)d campaigns open") % {"count": campaigns})
    return [Panel(title=_("Building fund"), lines=lines, url=url)]


def leader_todo(access) -> list[TodoItem]:
    waiting = Receipt.objects.filter(
        entry__fund__building=access.building, confirmed_at__isnull=True
    ).select_related("entry")
    first = waiting.order_by("pk").first()
    url = (
        reverse("funds:receipt", args=[access.building.pk, first.entry_id])
        if first
        else reverse("funds:index", args=[access.building.pk])
    )
    return [
        TodoItem(
            label=_("Receipts to blur and publish"), count=waiting.count(), url=url
        )
    ]
