"""What the issue reports add to the building page and the leader's to-do list."""

from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from buildings.extensions import Panel, TodoItem
from proposals.models import Issue, response_deadline_hours


def _issue_counts(building):
    """Open, unanswered and overdue issues of the building, in one query."""
    limit = timezone.now() - timedelta(hours=response_deadline_hours())
    unanswered = Q(first_response_at__isnull=True)
    return (
        Issue.objects.in_building(building)
        .open()
        .aggregate(
            open=Count("pk"),
            unanswered=Count("pk", filter=unanswered),
            overdue=Count("pk", filter=unanswered & Q(created_at__lte=limit)),
        )
    )


def building_panels(access) -> list[Panel]:
    counts = _issue_counts(access.building)
    alert = ""
    if counts["overdue"]:
        alert = _("%(count)d waiting more than %(hours)d hours for a response") % {
            "count": counts["overdue"],
            "hours": response_deadline_hours(),
        }
    return [
        Panel(
            title=_("Issues"),
            lines=[_("%(count)d open") % {"count": counts["open"]}],
            url=reverse("proposals:issues", args=[access.building.pk]),
            alert=alert,
        )
    ]


def leader_todo(access) -> list[TodoItem]:
    counts = _issue_counts(access.building)
    url = reverse("proposals:issues", args=[access.building.pk]) + "?status=overdue"
    return [
        TodoItem(
            label=_("Issues waiting for a first response"),
            count=counts["unanswered"],
            url=reverse("proposals:issues", args=[access.building.pk])
            + "?status=submitted",
        ),
        TodoItem(label=_("Of which overdue"), count=counts["overdue"], url=url),
    ]
