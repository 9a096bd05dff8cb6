"""Reads for statements (公示) and charts: opening balance, entries, closing balance, goods."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models.functions import TruncMonth

from core.templatetags.words import yuan
from funds.models import Fund, GoodsDonation, LedgerEntry, StockMovement, added
from funds.money import to_money


@dataclass
class Statement:
    """One period of the fund: every figure comes from LedgerEntryQuerySet.totals()."""

    fund: Fund
    start: date
    end: date
    opening: Decimal
    raised: Decimal
    matched: Decimal
    spent: Decimal
    reversed: Decimal
    money_in: Decimal
    money_out: Decimal
    closing: Decimal
    entry_count: int
    entries: object = field(repr=False)  # a QuerySet, evaluated by whoever shows it
    goods_in: object = field(repr=False)
    goods_out: object = field(repr=False)


def build_statement(fund: Fund, start: date, end: date) -> Statement:
    """The statement of one period (both days included), in two queries plus the lists.

    Entries count in the period of their own date: a reversal lowers the figure of the
    entry it reverses in the period it was made, so earlier statements never change
    and each closing balance is the next period's opening balance."""
    entries = LedgerEntry.objects.filter(fund=fund)
    opening = entries.before(start).balance()
    period = entries.between(start, end)
    totals = period.totals()
    return Statement(
        fund=fund,
        start=start,
        end=end,
        opening=opening,
        raised=totals["raised"],
        matched=totals["matched"],
        spent=totals["spent"],
        reversed=totals["reversed"],
        money_in=totals["money_in"],
        money_out=totals["money_out"],
        closing=to_money(opening + totals["balance"]),
        entry_count=totals["entries"],
        entries=period.for_display().order_by("occurred_on", "pk"),
        goods_in=GoodsDonation.objects.filter(
            fund=fund, received_on__gte=start, received_on__lte=end
        )
        .select_related("donor_resident__household")
        .order_by("received_on", "pk"),
        goods_out=StockMovement.objects.filter(
            goods__fund=fund, occurred_on__gte=start, occurred_on__lte=end
        )
        .select_related("goods")
        .order_by("occurred_on", "pk"),
    )


def month_starts(first: date, last: date) -> list[date]:
    """The first day of every month from first's month to last's month."""
    months, current = [], first.replace(day=1)
    while current <= last:
        months.append(current)
        current = date(current.year + (current.month == 12), current.month % 12 + 1, 1)
    return months


def month_end(month: date) -> date:
    following = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def overview(fund: Fund, months: list[date]) -> tuple[dict, list[dict]]:
    """The fund's figures of all time and the flows of `months` (monthly_flows), in one
    query: the figures of every month of the fund's life, added up."""
    by_month = {}
    for group, totals in (
        LedgerEntry.objects.filter(fund=fund)
        .annotate(month=TruncMonth("occurred_on"))
        .totals_by("month")
    ):
        month = group["month"]
        month = month.date() if isinstance(month, datetime) else month
        by_month[month.replace(day=1)] = totals
    if not months:
        return added(by_month.values()), []
    opening = added(totals for month, totals in by_month.items() if month < months[0])[
        "balance"
    ]
    balance, flows = opening, []
    for month in months:
        totals = by_month.get(month)
        money_in = totals["money_in"] if totals else to_money(0)
        money_out = totals["money_out"] if totals else to_money(0)
        balance = to_money(balance + money_in - money_out)
        flows.append(
            {
                "month": month,
                "money_in": money_in,
                "money_out": money_out,
                "balance": balance,
            }
        )
    return added(by_month.values()), flows


def monthly_flows(fund: Fund, months: list[date]) -> list[dict]:
    """Money in, money out and the closing balance of each month (one query).

    In and out are the statement's figures per month, so a month in which a gift was
    reversed and nothing came in shows a negative "in"."""
    return overview(fund, months)[1]


def flow_chart(flows: list[dict], width: int = 340, height: int = 160) -> dict:
    """Geometry of a small bar chart (in green, out red) and a balance line, for an inline
    SVG, and each month's words for its tooltips and table. A bar's numbers are written
    here as SVG reads them ("12.5", never localised): the template engine's number
    localisation was most of the chart's time."""
    # Room above for the axis's top value and below for the months (13-unit letters:
    # at least 12 px on a 390 px phone, where the chart is drawn about 340 px wide).
    top, bottom, left = 24, 26, 4
    plot_h = height - top - bottom
    peak = max(
        [f["money_in"] for f in flows]
        + [f["money_out"] for f in flows]
        + [f["balance"] for f in flows]
        + [Decimal("1")]
    )
    step = (width - left * 2) / max(len(flows), 1)
    bar_w = max(step / 2 - 2, 2)
    bars, points = [], []
    for index, flow in enumerate(flows):
        x = left + index * step
        # A month whose reversals outweigh its entries has a negative figure: no bar.
        in_h = float(max(flow["money_in"], Decimal("0")) / peak) * plot_h
        out_h = float(max(flow["money_out"], Decimal("0")) / peak) * plot_h
        bars.append(
            {
                "in_x": str(round(x + 1, 1)),
                "in_y": str(round(top + plot_h - in_h, 1)),
                "in_h": str(round(in_h, 1)),
                "out_x": str(round(x + 1 + bar_w, 1)),
                "out_y": str(round(top + plot_h - out_h, 1)),
                "out_h": str(round(out_h, 1)),
                "w": str(round(bar_w, 1)),
                "label_x": str(round(x + step / 2, 1)),
                "label_y": str(height - 7),
                "month": f"{flow['month']:%Y-%m}",
                "month_number": str(flow["month"].month),
                "money_in": yuan(flow["money_in"]),
                "money_out": yuan(flow["money_out"]),
                "balance": yuan(flow["balance"]),
            }
        )
        balance_h = float(max(flow["balance"], Decimal("0")) / peak) * plot_h
        points.append(f"{round(x + step / 2, 1)},{round(top + plot_h - balance_h, 1)}")
    return {
        "width": width,
        "height": height,
        "baseline": top + plot_h,
        "top": top,
        "left": left,
        "bars": bars,
        "balance_points": " ".join(points),
        "peak": peak,
    }
