"""What the issue reports add to the building page and the leader's to-do list."""

from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from buildings.extensions import Note, Panel, TodoItem
from core.templatetags.words import duration
from proposals.deliberation.meetings.models import MeetingTask
from proposals.deliberation.polls.models import Poll
from proposals.deliberation.proposals.models import Proposal
from proposals.issues.models import Issue, response_deadline_hours


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
    return issue_panels(access) + decision_panels(access)


def leader_todo(access) -> list[TodoItem]:
    return issue_todo(access) + decision_todo(access)


def issue_panels(access) -> list[Panel]:
    counts = _issue_counts(access.building)
    alert = ""
    if counts["overdue"]:
        alert = _("%(count)d waiting more than %(time)s for a response") % {
            "count": counts["overdue"],
            "time": duration(response_deadline_hours()),
        }
    return [
        Panel(
            title=_("Issues"),
            lines=[_("%(count)d open") % {"count": counts["open"]}],
            url=reverse("proposals:issues", args=[access.building.pk]),
            alert=alert,
        )
    ]


def issue_todo(access) -> list[TodoItem]:
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


def _open_polls(building):
    return list(
        Poll.objects.in_building(building)
        .open_now()
        .select_related("proposal")
        .annotate(voted_households=Count("ballots__household", distinct=True))
        .order_by("closes_at")
    )


def decision_panels(access) -> list[Panel]:
    count = Poll.objects.in_building(access.building).open_now().count()
    lines = [
        ngettext("%(count)d vote open", "%(count)d votes open", count)
        % {"count": count}
    ]
    return [
        Panel(
            title=_("Decide together"),
            lines=lines,
            url=reverse("proposals:index", args=[access.building.pk]),
        )
    ]


def personal_notes(access) -> list[Note]:
    if access.resident is None or not access.resident.is_adult:
        return []
    waiting = Poll.objects.needing_vote_of(access.resident).count()
    if not waiting:
        return []
    return [
        Note(
            text=_("%(count)d waiting for my vote") % {"count": waiting},
            url=reverse("proposals:index", args=[access.building.pk]),
        )
    ]


def decision_todo(access) -> list[TodoItem]:
    """Households still to reach (paper or door-to-door ballots) in each open poll."""
    polls = _open_polls(access.building)
    households = access.building.households.count() if polls else 0
    items = [
        TodoItem(
            label=_("“%(title)s”: households not voted yet")
            % {"title": poll.proposal.title},
            count=max(households - poll.voted_households, 0),
            url=reverse("proposals:poll-enter", args=[access.building.pk, poll.pk]),
        )
        for poll in polls
    ]
    raised = access.building.proposals.raised_by_residents()
    items += [
        TodoItem(
            label=_("Raised matters waiting for the council agenda"),
            count=raised.waiting_for_agenda().count(),
            url=reverse("proposals:raised", args=[access.building.pk])
            + "?show=waiting",
        ),
        TodoItem(
            label=_("Raised matters gathering co-signatures"),
            count=raised.filter(status=Proposal.Status.GATHERING).count(),
            url=reverse("proposals:raised", args=[access.building.pk]),
        ),
    ]
    tasks = MeetingTask.objects.open().filter(meeting__building=access.building).count()
    items.append(
        TodoItem(
            label=_("Follow-up tasks from council meetings"),
            count=tasks,
            url=reverse("proposals:meetings", args=[access.building.pk]),
        )
    )
    return items
