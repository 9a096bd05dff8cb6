"""Reads for statements (公示) and charts: opening balance, entries, closing balance, goods."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth

from funds.models import Fund, GoodsDonation, LedgerEntry, StockMovement
from funds.money import to_money


@dataclass
class Statement:
    fund: Fund
    start: date
    end: date
    opening: Decimal
    money_in: Decimal
    money_out: Decimal
    closing: Decimal
    entry_count: int
    entries: object = field(repr=False)  # a QuerySet, evaluated by whoever shows it
    goods_in: object = field(repr=False)
    goods_out: object = field(repr=False)


def build_statement(fund: Fund, start: date, end: date) -> Statement:
    """The statement of one period (both days included), in four queries plus the lists."""
    entries = LedgerEntry.objects.filter(fund=fund)
    opening = entries.filter(occurred_on__lt=start).balance()
    period = entries.filter(occurred_on__gte=start, occurred_on__lte=end)
    sums = period.aggregate(
        money_in=Sum("amount", filter=Q(amount__gt=0)),
        money_out=Sum("amount", filter=Q(amount__lt=0)),
        net=Sum("amount"),
        count=Count("pk"),
    )
    money_in, money_out, net = (
        to_money(sums[key]) for key in ("money_in", "money_out", "net")
    )
    return Statement(
        fund=fund,
        start=start,
        end=end,
        opening=opening,
        money_in=money_in,
        money_out=-money_out,
        closing=to_money(opening + net),
        entry_count=sums["count"] or 0,
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


def monthly_flows(fund: Fund, months: list[date]) -> list[dict]:
    """Money in, money out and the closing balance of each month (one query + one for the opening)."""
    if not months:
        return []
    entries = LedgerEntry.objects.filter(fund=fund)
    opening = entries.filter(occurred_on__lt=months[0]).balance()
    rows = (
        entries.filter(
            occurred_on__gte=months[0], occurred_on__lte=month_end(months[-1])
        )
        .annotate(month=TruncMonth("occurred_on"))
        .values("month")
        .annotate(
            money_in=Sum("amount", filter=Q(amount__gt=0)),
            money_out=Sum("amount", filter=Q(amount__lt=0)),
        )
        .order_by("month")
    )
    by_month = {}
    for row in rows:
        month = row["month"]
        month = (
            month.date() if hasattr(month, "date") and callable(month.date) else month
        )
        by_month[month.replace(day=1)] = row
    balance, flows = opening, []
    for month in months:
        row = by_month.get(month, {})
        money_in, money_out = (
            to_money(row.get("money_in")),
            -to_money(row.get("money_out")),
        )
        balance = to_money(balance + money_in - money_out)
        flows.append(
            {
                "month": month,
                "money_in": money_in,
                "money_out": money_out,
                "balance": balance,
            }
        )
    return flows


def flow_chart(flows: list[dict], width: int = 340, height: int = 160) -> dict:
    """Geometry of a small bar chart (in green, out red) and a balance line, for an inline SVG."""
    top, bottom, left = 10, 24, 4
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
        in_h = float(flow["money_in"] / peak) * plot_h
        out_h = float(flow["money_out"] / peak) * plot_h
        bars.append(
            {
                "in_x": round(x + 1, 1),
                "in_y": round(top + plot_h - in_h, 1),
                "in_h": round(in_h, 1),
                "out_x": round(x + 1 + bar_w, 1),
                "out_y": round(top + plot_h - out_h, 1),
                "out_h": round(out_h, 1),
                "w": round(bar_w, 1),
                "label_x": round(x + step / 2, 1),
                "label_y": height - 8,
                "flow": flow,
            }
        )
        balance_h = float(max(flow["balance"], Decimal("0")) / peak) * plot_h
        points.append(f"{round(x + step / 2, 1)},{round(top + plot_h - balance_h, 1)}")
    return {
        "width": width,
        "height": height,
        "baseline": top + plot_h,
        "bars": bars,
        "balance_points": " ".join(points),
        "peak": peak,
    }
