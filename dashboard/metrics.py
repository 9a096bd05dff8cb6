"""The numbers that show a building coming alive, per building of one community.

This app is the one place allowed to read from every feature app. Every measure is
computed with a fixed number of grouped queries, whatever the size of the community.
"""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from activities import hours as volunteer_hours
from activities.models import Activity, Registration, Shift
from buildings.models import Building, Community
from funds.models import LedgerEntry
from funds.money import to_money
from proposals.issues.models import median_response_hours
from proposals.models import Ballot, Issue, Poll

WINDOW_DAYS = 365
MONTHS = 12

# The vitality index (活力指数) rewards taking part, never quiet: each part counts acts of
# participation per household, as a share between 0 and 1 (full at FULL_PER_HOUSEHOLD),
# times its weight. Households joined and money raised are everything so far (the
# building's and the fund's own figures); the other parts count the last 12 months. An empty building scores 0, and another act never
# lowers the score. The dashboard prints this very formula from these two tables.
WEIGHTS = {
    "joined": 25,  # households that joined Louzu
    "voted": 20,  # households that cast a ballot in a poll
    "answered": 15,  # issues answered within the response deadline
    "raised": 15,  # money raised by residents (yuan)
    "hands": 10,  # volunteer hours (activities checked in, shifts done)
    "attendance": 15,  # people checked in at activities
}
FULL_PER_HOUSEHOLD = {
    "joined": 1,
    "voted": 1,
    "answered": Decimal("0.25"),  # one issue answered in time per 4 households
    "raised": 50,
    "hands": 2,
    "attendance": 1,
}


@dataclass
class BuildingRow:
    building: Building
    households: int = 0
    joined: int = 0
    issues_recent: int = 0
    issues_open: int = 0
    issues_overdue: int = 0
    answered_in_time: int = 0
    resolved: int = 0
    satisfied: int = 0
    not_satisfied: int = 0
    median_response_hours: float | None = None
    raised: Decimal = Decimal("0.00")
    matched: Decimal = Decimal("0.00")
    spent: Decimal = Decimal("0.00")
    balance: Decimal = Decimal("0.00")
    activities_held: int = 0
    participants: int = 0
    volunteer_hours: Decimal = Decimal("0.0")
    polls: int = 0
    turnout: float | None = None
    households_voted: int = 0
    trend: list[int] = field(default_factory=lambda: [0] * MONTHS)
    parts: dict = field(default_factory=dict)
    index: float = 0.0

    @property
    def joined_share(self) -> float:
        return self.joined / self.households if self.households else 0.0

    @property
    def resolution_rate(self) -> float | None:
        return self.resolved / self.issues_recent if self.issues_recent else None

    @property
    def satisfaction(self) -> float | None:
        asked = self.satisfied + self.not_satisfied
        return self.satisfied / asked if asked else None


def _share(value, full) -> float:
    return max(0.0, min(1.0, float(value) / float(full))) if full else 0.0


def score(row: BuildingRow) -> None:
    """Fill row.parts (each 0-1) and row.index (0-100) from the acts of participation."""
    acts = {
        "joined": row.joined,
        "voted": row.households_voted,
        "answered": row.answered_in_time,
        "raised": row.raised,
        "hands": row.volunteer_hours,
        "attendance": row.participants,
    }
    row.parts = {
        key: _share(count, FULL_PER_HOUSEHOLD[key] * row.households)
        for key, count in acts.items()
    }
    row.index = round(sum(WEIGHTS[key] * value for key, value in row.parts.items()), 1)


def month_starts(now) -> list:
    """The first day of each of the last 12 months, oldest first (local time)."""
    local = timezone.localtime(now).date().replace(day=1)
    months = []
    for _step in range(MONTHS):
        months.append(local)
        local = (local - timedelta(days=1)).replace(day=1)
    return list(reversed(months))


def community_rows(community: Community, now=None) -> list[BuildingRow]:
    """One row per building of the community, every measure filled in."""
    return building_rows([community.pk], now)


def building_rows(community_ids, now=None, trends=True) -> list[BuildingRow]:
    """One row per building of these communities, every measure filled in, with the
    same fixed number of grouped queries whatever the number of communities."""
    now = now or timezone.now()
    since = now - timedelta(days=WINDOW_DAYS)
    communities = list(community_ids)
    buildings = Building.objects.filter(community__in=communities)
    rows = {
        b.pk: BuildingRow(
            building=b, households=b.household_count, joined=b.joined_count
        )
        for b in buildings.with_counts().in_natural_order()
    }

    issues = Issue.objects.filter(building__community__in=communities)
    recent = Q(created_at__gte=since)
    # Rates count problems: a duplicate merged into another, or a report hidden for
    # abuse, is neither unresolved nor unanswered.
    problems = issues.problems()
    for item in problems.values("building").annotate(
        recent=Count("pk", filter=recent),
        resolved=Count("pk", filter=recent & Q(status=Issue.Status.RESOLVED)),
        satisfied=Count(
            "pk", filter=recent & Q(satisfaction=Issue.Satisfaction.SATISFIED)
        ),
        not_satisfied=Count(
            "pk", filter=recent & Q(satisfaction=Issue.Satisfaction.NOT_SATISFIED)
        ),
    ):
        row = rows[item["building"]]
        row.issues_recent = item["recent"]
        row.resolved = item["resolved"]
        row.satisfied, row.not_satisfied = item["satisfied"], item["not_satisfied"]

    # Open and overdue as the issue pages define them (IssueQuerySet.open/overdue).
    for item in issues.open().values("building").annotate(count=Count("pk")):
        rows[item["building"]].issues_open = item["count"]
    for item in issues.overdue(now).values("building").annotate(count=Count("pk")):
        rows[item["building"]].issues_overdue = item["count"]

    in_time = problems.filter(recent).answered_in_time()
    for item in in_time.values("building").annotate(count=Count("pk")):
        rows[item["building"]].answered_in_time = item["count"]

    waits: dict[int, list[float]] = {}
    for building_id, created, answered in problems.filter(
        recent, first_response_at__isnull=False
    ).values_list("building", "created_at", "first_response_at"):
        waits.setdefault(building_id, []).append(
            (answered - created).total_seconds() / 3600
        )
    for building_id, hours in waits.items():
        rows[building_id].median_response_hours = median_response_hours(hours)

    # The fund's own figures (funds defines raised, matched, spent and the balance).
    for group, totals in LedgerEntry.objects.filter(
        fund__building__community__in=communities
    ).totals_by("fund__building"):
        row = rows[group["fund__building"]]
        row.raised, row.matched = totals["raised"], totals["matched"]
        row.spent, row.balance = totals["spent"], totals["balance"]

    held = Activity.objects.held(now).filter(
        building__community__in=communities, starts_at__gte=since
    )
    for item in held.values("building").annotate(count=Count("pk")):
        rows[item["building"]].activities_held = item["count"]
    checked_in = Registration.objects.took_part(now).filter(
        resident__household__building__community__in=communities,
        activity__starts_at__gte=since,
    )
    for item in checked_in.values("resident__household__building").annotate(
        people=Sum(F("adults") + F("children"))
    ):
        rows[item["resident__household__building"]].participants = item["people"] or 0

    # Volunteer hours as activities defines them (the same as each resident's page).
    for building_id, total in volunteer_hours.hours_by_building(
        buildings, start=since
    ).items():
        rows[building_id].volunteer_hours = total

    turnouts: dict[int, list[float]] = {}
    polls = (
        Poll.objects.filter(building__community__in=communities, closed_at__gte=since)
        .annotate(voted=Count("ballots__household", distinct=True))
        .values_list("building", "voted", "household_count")
    )
    for building_id, voted, household_count in polls:
        rows[building_id].polls += 1
        if household_count:
            turnouts.setdefault(building_id, []).append(
                min(1.0, voted / household_count)
            )
    for building_id, values in turnouts.items():
        rows[building_id].turnout = sum(values) / len(values)
    voted = Ballot.objects.filter(
        poll__building__community__in=communities, cast_at__gte=since
    ).households_by_building()
    for building_id, count in voted.items():
        rows[building_id].households_voted = count

    if trends:
        _fill_trends(rows, communities, now)
    for row in rows.values():
        score(row)
    return list(rows.values())


def _fill_trends(rows: dict[int, BuildingRow], communities: list, now) -> None:
    """Monthly acts of participation per building: reports, "me too", ballots, check-ins
    at activities held, donations and volunteer shifts done."""
    months = month_starts(now)
    index = {month: position for position, month in enumerate(months)}
    since = timezone.make_aware(datetime.combine(months[0], time.min))
    sources = [
        (
            Issue.objects.filter(
                building__community__in=communities, created_at__gte=since
            ),
            "building",
            "created_at",
        ),
        (
            Ballot.objects.filter(
                poll__building__community__in=communities, cast_at__gte=since
            ),
            "poll__building",
            "cast_at",
        ),
        (
            Registration.objects.took_part(now).filter(
                resident__household__building__community__in=communities,
                activity__starts_at__gte=since,
            ),
            "resident__household__building",
            "activity__starts_at",
        ),
        (
            # On the day given, as the statement dates it; a gift reversed as a
            # mistake was no act of participation.
            LedgerEntry.objects.filter(
                fund__building__community__in=communities,
                kind=LedgerEntry.Kind.DONATION,
                occurred_on__gte=months[0],
                reversed_by__isnull=True,
            ),
            "fund__building",
            "occurred_on",
        ),
        (
            Shift.objects.done().filter(
                task__building__community__in=communities, starts_at__gte=since
            ),
            "task__building",
            "starts_at",
        ),
    ]
    for queryset, building_field, moment_field in sources:
        grouped = (
            queryset.annotate(month=TruncMonth(moment_field))
            .values(building_field, "month")
            .annotate(count=Count("pk"))
        )
        for item in grouped:
            month = item["month"]
            month = month.date() if hasattr(month, "date") else month
            position = index.get(month)
            if position is not None and item[building_field] in rows:
                rows[item[building_field]].trend[position] += item["count"]


@dataclass
class CommunityRow(BuildingRow):
    """A community's figures on the town dashboard: the sums of its buildings' rows
    (building_rows, the one definition), and the vitality index of those sums."""

    community: Community | None = None
    buildings: int = 0


SUMMED = [
    "households",
    "joined",
    "issues_recent",
    "issues_open",
    "issues_overdue",
    "answered_in_time",
    "resolved",
    "satisfied",
    "not_satisfied",
    "raised",
    "matched",
    "spent",
    "balance",
    "activities_held",
    "participants",
    "volunteer_hours",
    "polls",
    "households_voted",
]


def summarise(communities, rows: list[BuildingRow]) -> list[CommunityRow]:
    """Sum the building rows of each community into one row, scored."""
    summaries = {c.pk: CommunityRow(building=None, community=c) for c in communities}
    for row in rows:
        summary = summaries[row.building.community_id]
        summary.buildings += 1
        for name in SUMMED:
            setattr(summary, name, getattr(summary, name) + getattr(row, name))
    for summary in summaries.values():
        score(summary)
    return list(summaries.values())


# The measures of the pilot comparison that are amounts of money.
MONEY_MEASURES = {"raised"}


def compare_pilots(rows: list[BuildingRow]) -> list[dict]:
    """Pilot buildings against the others, as averages per building."""
    groups = {
        "pilot": [row for row in rows if row.building.is_pilot],
        "other": [row for row in rows if not row.building.is_pilot],
    }

    def average(items, getter):
        values = [getter(item) for item in items]
        values = [float(v) for v in values if v is not None]
        return round(sum(values) / len(values), 1) if values else None

    def average_money(items, getter):
        """Yuan and fen, as every amount is written (not 1234.6 for ¥1,234.56)."""
        values = [getter(item) for item in items]
        return to_money(sum(values) / len(values)) if values else None

    measures = [
        ("index", lambda r: r.index),
        ("joined", lambda r: 100 * r.joined_share),
        (
            "responsive",
            lambda r: (
                100 * r.answered_in_time / r.issues_recent if r.issues_recent else None
            ),
        ),
        (
            "resolved",
            lambda r: None if r.resolution_rate is None else 100 * r.resolution_rate,
        ),
        ("turnout", lambda r: None if r.turnout is None else 100 * r.turnout),
        ("participants", lambda r: r.participants),
        ("hours", lambda r: r.volunteer_hours),
        ("raised", lambda r: r.raised),
    ]
    comparison = []
    for key, getter in measures:
        money = key in MONEY_MEASURES
        averaged = average_money if money else average
        comparison.append(
            {
                "key": key,
                "pilot": averaged(groups["pilot"], getter),
                "other": averaged(groups["other"], getter),
                "money": money,
            }
        )
    return comparison


def month_starts_for_display(now=None) -> list:
    return month_starts(now or timezone.now())
