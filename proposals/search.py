"""Issues and proposals for the building's search page (buildings/views/search.py).

Only what the person may see: the building's issues, not those hidden for abuse (never who reported them: the
reporter is neither searched nor shown) and proposals, drafts only for the team.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from buildings.extensions import SearchGroup, SearchHit
from core.search import matching
from proposals.models import Issue, Proposal

PER_KIND = 8


def _day(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d")


def search(access, query: str) -> list[SearchGroup]:
    issues = list(
        matching(
            Issue.objects.in_building(access.building)
            .shown()
            .only("pk", "building_id", "title", "text", "status", "created_at"),
            ["title", "text", "location"],
            query,
            order=("-created_at", "-pk"),
        )[: PER_KIND + 1]
    )
    proposals = list(
        matching(
            Proposal.objects.in_building(access.building)
            .visible_to(access)
            .only("pk", "building_id", "title", "body", "status", "created_at"),
            ["title", "body"],
            query,
            order=("-created_at", "-pk"),
        )[: PER_KIND + 1]
    )
    return [
        SearchGroup(
            kind="issue",
            label=_("Issues"),
            hits=[
                SearchHit(
                    title=issue.title,
                    url=issue.get_absolute_url(),
                    detail=f"{issue.get_status_display()} · {_day(issue.created_at)}",
                    snippet=issue.text,
                )
                for issue in issues[:PER_KIND]
            ],
            more=len(issues) > PER_KIND,
            more_url=reverse("proposals:issues", args=[access.building.pk])
            + "?status=all",
        ),
        SearchGroup(
            kind="proposal",
            label=_("Proposals"),
            hits=[
                SearchHit(
                    title=proposal.title,
                    url=proposal.get_absolute_url(),
                    detail=f"{proposal.get_status_display()} · "
                    f"{_day(proposal.created_at)}",
                    snippet=proposal.body,
                )
                for proposal in proposals[:PER_KIND]
            ],
            more=len(proposals) > PER_KIND,
        ),
    ]
