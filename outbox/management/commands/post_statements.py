from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from buildings.models import Building
from buildings.services import wechat_text
from core.races import locked, pause
from outbox import services
from outbox.models import Channel, Delivery, WecomRobot


def statement_text(fund, start, end) -> str:
    """Last month's statement in the words of the statement page's WeChat text."""
    from funds.money import format_money
    from funds.statements import build_statement

    report = build_statement(fund, start, end)
    building = fund.building
    query = urlencode({"start": start.isoformat(), "end": end.isoformat()})
    url = f"{settings.SITE_URL}{reverse('funds:statement', args=[building.pk])}?{query}"
    return wechat_text(
        heading=_("Fund statement"),
        title=f"{building.display_name} {start:%Y-%m-%d} – {end:%Y-%m-%d}",
        body=_(
            "Opening %(opening)s, in %(money_in)s, out %(money_out)s, closing %(closing)s."
        )
        % {
            "opening": format_money(report.opening),
            "money_in": format_money(report.money_in),
            "money_out": format_money(report.money_out),
            "closing": format_money(report.closing),
        },
        url=url,
    )


@transaction.atomic
def post_once(fund, start, end) -> int:
    """Queue the statement for the fund's building unless it was posted already; two runs
    at once (the schedule and "queue now") take the building row in turn."""
    locked(Building.objects.filter(pk=fund.building_id)).get()
    if Delivery.objects.filter(
        channel=Channel.WECOM,
        building=fund.building,
        kind="statement",
        text__contains=f"{start:%Y-%m-%d} – {end:%Y-%m-%d}",
    ).exists():
        return 0  # posted already, even if late entries changed it since
    pause()
    text = statement_text(fund, start, end)
    return int(
        services.queue_group_post(fund.building, kind="statement", text=text)
        is not None
    )


class Command(BaseCommand):
    help = (
        "Post last month's fund statement to every building group with a WeCom robot "
        "(once per month and building; run daily)."
    )

    def handle(self, *args, **options):
        if not apps.is_installed("funds"):
            return
        end = timezone.localdate().replace(day=1) - timedelta(days=1)
        start = end.replace(day=1)
        buildings = WecomRobot.objects.filter(is_active=True).values("building_id")
        funds = (
            apps.get_model("funds", "Fund")
            .objects.filter(building__in=buildings)
            .select_related("building")
        )
        posted = 0
        with translation.override(settings.LANGUAGE_CODE):
            for fund in funds:
                posted += post_once(fund, start, end)
        self.stdout.write(f"{posted} statement(s) posted.")
