"""What activities and volunteering add to the building page and the leader's to-do list."""

from datetime import timedelta

from django.db.models import Count, Window
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import Activity, Shift
from buildings.extensions import Panel, TodoItem


def building_panels(access) -> list[Panel]:
    """One query: the next activity's title, with the number of all coming up (a
    window count, taken before the first row is cut off). One called off is not coming
    up: the list marks it, but the card has no room for the mark."""
    next_activity = (
        Activity.objects.visible_in(access.building)
        .upcoming()
        .filter(cancelled_at__isnull=True)
        .annotate(coming=Window(Count("pk")))
        .values_list("title", "coming")
        .first()
    )
    title, count = next_activity or (None, 0)
    lines = [_("%(count)d coming up") % {"count": count}]
    if title is not None:
        lines.append(title)
    return [
        Panel(
            title=_("Activities"),
            lines=lines,
            url=reverse("activities:index", args=[access.building.pk]),
        )
    ]


def leader_todo(access) -> list[TodoItem]:
    soon = timezone.now() + timedelta(days=14)
    uncovered = (
        Shift.objects.open()
        .upcoming()
        .filter(task__building=access.building, starts_at__lte=soon)
        .count()
    )
    return [
        TodoItem(
            label=_("Volunteer shifts nobody has claimed (next 14 days)"),
            count=uncovered,
            url=reverse("activities:tasks", args=[access.building.pk]),
        )
    ]
