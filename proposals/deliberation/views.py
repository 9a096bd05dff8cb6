"""The 议事 hub, and what every deliberation page shares (templates, messages, links)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils import timezone

from buildings.permissions import VIEW, get_access_or_404
from proposals.deliberation.conventions.models import Convention
from proposals.deliberation.polls.models import Poll
from proposals.deliberation.proposals.models import Proposal
from proposals.deliberation.raising.permissions import can_raise

T = "proposals/deliberation/"


def show_error(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def full_url(obj) -> str:
    return settings.SITE_URL + obj.get_absolute_url()


def decisions(request, building_pk):
    """议事: what is being discussed, voted, met about and asked right now."""
    access = get_access_or_404(request.user, building_pk, VIEW)
    building = access.building
    proposals = building.proposals.visible_to(access)
    open_polls = (
        Poll.objects.in_building(building)
        .open_now()
        .with_turnout()
        .select_related("proposal")
        .order_by("closes_at")
    )
    needs_vote = (
        Poll.objects.needing_vote_of(access.resident).order_by("closes_at")
        if access.resident
        else []
    )
    convention = (
        Convention.objects.filter(building=building)
        .with_signature_counts()
        .order_by("-version")
        .first()
    )
    return render(
        request,
        T + "decisions.html",
        {
            "building": building,
            "access": access,
            "in_discussion": proposals.in_discussion().with_comment_counts()[:10],
            "gathering": proposals.filter(status=Proposal.Status.GATHERING)
            .with_cosign_counts()
            .order_by("-created_at")[:5],
            "can_raise": can_raise(access),
            "drafts": proposals.filter(status=Proposal.Status.DRAFT)[:10]
            if access.can_organise
            else [],
            "recent_decisions": proposals.filter(
                status__in=[Proposal.Status.ADOPTED, Proposal.Status.REJECTED]
            ).order_by("-decided_at")[:5],
            "open_polls": open_polls,
            "needs_vote": needs_vote,
            "upcoming_meetings": building.meetings.upcoming()[:5],
            "past_meetings": building.meetings.past()[:3],
            "open_consultations": building.consultations.open_now().with_response_counts(),
            "past_consultations": building.consultations.filter(
                closes_at__lte=timezone.now()
            )[:3],
            "convention": convention,
            "household_count": building.households.count(),
        },
    )
