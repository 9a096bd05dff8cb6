"""Volunteer hours, always derived: check-ins at volunteering activities plus completed shifts.

Nothing is stored: an hour appears when the organiser checks someone in or marks a
shift done, and disappears if that is undone.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import DurationField, ExpressionWrapper, F, Sum
from django.utils import timezone

from activities.models import Registration, Shift, to_hours
from buildings.models import Building, Resident


@dataclass(frozen=True)
class HoursEntry:
    when: datetime
    what: str
    kind: str  # "activity" or "shift"
    duration: timedelta

    @property
    def hours(self) -> Decimal:
        """This entry alone, to one decimal place (as printed on its line)."""
        return to_hours(self.duration)


def year_bounds(year: int) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(date(year, 1, 1), time.min), tz)
    end = timezone.make_aware(datetime.combine(date(year + 1, 1, 1), time.min), tz)
    return start, end


def checked_in_registrations():
    """Check-ins at volunteering activities that are over (an hour still under way is
    not yet given, and the dashboard's "activities held" waits for the end too)."""
    return Registration.objects.took_part().filter(
        activity__counts_as_volunteering=True
    )


def entries_for(resident: Resident, year: int) -> list[HoursEntry]:
    """Every volunteering hour of a resident in one calendar year (Shanghai time), in date order."""
    start, end = year_bounds(year)
    entries = [
        HoursEntry(
            when=r.activity.starts_at,
            what=r.activity.title,
            kind="activity",
            duration=r.activity.duration,
        )
        for r in checked_in_registrations()
        .filter(
            resident=resident,
            activity__starts_at__gte=start,
            activity__starts_at__lt=end,
        )
        .select_related("activity")
    ]
    entries += [
        HoursEntry(
            when=s.starts_at,
            what=s.task.title,
            kind="shift",
            duration=s.ends_at - s.starts_at,
        )
        for s in Shift.objects.done()
        .filter(volunteer=resident, starts_at__gte=start, starts_at__lt=end)
        .select_related("task")
    ]
    entries.sort(key=lambda entry: entry.when)
    return entries


def total(entries: list[HoursEntry]) -> Decimal:
    """The exact times added, then rounded once: as `hours_by_building` adds them, so one
    volunteer's statement and the building's total agree (three 20-minute shifts are 1.0 h
    in both, although each line says 0.3)."""
    return to_hours(sum((entry.duration for entry in entries), timedelta(0)))


def hours_by_building(buildings, start=None, end=None) -> dict[int, Decimal]:
    """Volunteer hours per building, the one definition every page and the dashboard use:
    completed shifts of the building's tasks plus its residents' check-ins at
    volunteering activities, starting in [start, end) when given (two grouped queries)."""
    shifts = Shift.objects.done().filter(task__building__in=buildings)
    registrations = checked_in_registrations().filter(
        resident__household__building__in=buildings
    )
    if start is not None:
        shifts = shifts.filter(starts_at__gte=start)
        registrations = registrations.filter(activity__starts_at__gte=start)
    if end is not None:
        shifts = shifts.filter(starts_at__lt=end)
        registrations = registrations.filter(activity__starts_at__lt=end)
    time: dict[int, timedelta] = {}
    for building_id, spent in (
        shifts.with_duration()
        .order_by()
        .values("task__building")
        .annotate(t=Sum("duration"))
        .values_list("task__building", "t")
    ):
        time[building_id] = time.get(building_id, timedelta(0)) + (
            spent or timedelta(0)
        )
    length = ExpressionWrapper(
        F("activity__ends_at") - F("activity__starts_at"),
        output_field=DurationField(),
    )
    for building_id, spent in (
        registrations.order_by()
        .values("resident__household__building")
        .annotate(t=Sum(length))
        .values_list("resident__household__building", "t")
    ):
        time[building_id] = time.get(building_id, timedelta(0)) + (
            spent or timedelta(0)
        )
    return {building_id: to_hours(spent) for building_id, spent in time.items()}


def building_total(building: Building, year: int | None = None) -> Decimal:
    """All volunteer hours of the building's residents (optionally one year)."""
    start, end = year_bounds(year) if year is not None else (None, None)
    return hours_by_building(Building.objects.filter(pk=building.pk), start, end).get(
        building.pk, Decimal("0.0")
    )
