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
    hours: Decimal


def year_bounds(year: int) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(date(year, 1, 1), time.min), tz)
    end = timezone.make_aware(datetime.combine(date(year + 1, 1, 1), time.min), tz)
    return start, end


def checked_in_registrations():
    return Registration.objects.filter(
        status=Registration.Status.CONFIRMED,
        attendance=Registration.Attendance.CHECKED_IN,
        activity__counts_as_volunteering=True,
    )


def entries_for(resident: Resident, year: int) -> list[HoursEntry]:
    """Every volunteering hour of a resident in one calendar year (Shanghai time), in date order."""
    start, end = year_bounds(year)
    entries = [
        HoursEntry(
            when=r.activity.starts_at,
            what=r.activity.title,
            kind="activity",
            hours=r.activity.hours,
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
        HoursEntry(when=s.starts_at, what=s.task.title, kind="shift", hours=s.hours)
        for s in Shift.objects.done()
        .filter(volunteer=resident, starts_at__gte=start, starts_at__lt=end)
        .select_related("task")
    ]
    entries.sort(key=lambda entry: entry.when)
    return entries


def total(entries: list[HoursEntry]) -> Decimal:
    return sum((entry.hours for entry in entries), Decimal("0.0"))


def building_total(building: Building, year: int | None = None) -> Decimal:
    """All volunteer hours of the building's residents (optionally one year)."""
    shifts = Shift.objects.done().filter(task__building=building).with_duration()
    registrations = checked_in_registrations().filter(
        resident__household__building=building
    )
    if year is not None:
        start, end = year_bounds(year)
        shifts = shifts.filter(starts_at__gte=start, starts_at__lt=end)
        registrations = registrations.filter(
            activity__starts_at__gte=start, activity__starts_at__lt=end
        )
    shift_time = shifts.aggregate(t=Sum("duration"))["t"] or timedelta(0)
    activity_time = registrations.annotate(
        length=ExpressionWrapper(
            F("activity__ends_at") - F("activity__starts_at"),
            output_field=DurationField(),
        )
    ).aggregate(t=Sum("length"))["t"] or timedelta(0)
    return to_hours(shift_time + activity_time)
