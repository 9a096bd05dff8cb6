"""The team page of a building (leaders and staff): appoint and remove team members, ask
residents to be talents, the history of it all; and the resident's side: answering a
talent invitation and showing or hiding one's own party badge."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from buildings import team as services
from buildings.forms import (
    AppointForm,
    PartyBadgeForm,
    ProposeTalentForm,
    RemoveFromTeamForm,
)
from buildings.models import Resident, TalentInvitation, TeamEvent
from buildings.permissions import MANAGE, active_membership, get_access_or_404
from buildings.rooms import room_key

HISTORY_SHOWN = 60
CANDIDATES_SHOWN = 1000  # a select a leader can scroll; the largest buildings have ~600


def _members_with_accounts(building):
    """Approved residents who log in themselves, in room order (bounded)."""
    residents = list(
        Resident.objects.approved()
        .in_building(building)
        .filter(user__isnull=False)
        .select_related("household")[:CANDIDATES_SHOWN]
    )
    return sorted(residents, key=lambda r: (room_key(r.household.room), r.name))


def _show_errors(request, form) -> None:
    messages.error(
        request, " ".join(e for errors in form.errors.values() for e in errors)
    )


def team(request, pk):
    """The leader's page for the team, talents and their history."""
    access = get_access_or_404(request.user, pk, MANAGE)
    building = access.building
    members = _members_with_accounts(building)
    team_members = sorted(
        Resident.objects.team().in_building(building).select_related("household"),
        key=lambda r: (r.role != Resident.Role.LEADER, room_key(r.household.room)),
    )
    candidates = [r for r in members if r.role == Resident.Role.RESIDENT and r.is_adult]
    invitations = (
        TalentInvitation.objects.filter(
            resident__household__building=building,
            status=TalentInvitation.Status.PENDING,
        )
        .select_related("resident__household", "skill", "proposed_by")
        .order_by("-created_at")
    )
    history = TeamEvent.objects.filter(building=building).select_related(
        "resident__household", "actor"
    )[:HISTORY_SHOWN]
    return render(
        request,
        "buildings/team.html",
        {
            "building": building,
            "team_members": team_members,
            "appoint_form": AppointForm(residents=candidates) if candidates else None,
            "remove_form": RemoveFromTeamForm(),
            "talent_form": ProposeTalentForm(residents=members) if members else None,
            "invitations": invitations,
            "history": history,
        },
    )


@require_POST
def team_appoint(request, pk):
    access = get_access_or_404(request.user, pk, MANAGE)
    residents = Resident.objects.approved().in_building(access.building)
    form = AppointForm(
        request.POST, residents=residents.filter(pk=_int(request.POST, "resident"))
    )
    if not form.is_valid():
        _show_errors(request, form)
        return redirect("buildings:team", pk)
    resident = get_object_or_404(residents, pk=form.cleaned_data["resident"])
    try:
        services.appoint_to_team(resident=resident, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("%(name)s is now on the team.") % {"name": resident.name}
        )
    return redirect("buildings:team", pk)


@require_POST
def team_remove(request, pk, resident_pk):
    access = get_access_or_404(request.user, pk, MANAGE)
    resident = get_object_or_404(
        Resident.objects.in_building(access.building), pk=resident_pk
    )
    form = RemoveFromTeamForm(request.POST)
    if not form.is_valid():
        _show_errors(request, form)
        return redirect("buildings:team", pk)
    try:
        services.remove_from_team(
            resident=resident, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(name)s is no longer on the team.") % {"name": resident.name},
        )
    return redirect("buildings:team", pk)


@require_POST
def talent_propose(request, pk):
    access = get_access_or_404(request.user, pk, MANAGE)
    residents = Resident.objects.approved().in_building(access.building)
    form = ProposeTalentForm(
        request.POST,
        residents=residents.filter(pk=_int(request.POST, "resident")).select_related(
            "household"
        ),
    )
    if not form.is_valid():
        _show_errors(request, form)
        return redirect("buildings:team", pk)
    resident = get_object_or_404(residents, pk=form.cleaned_data["resident"])
    try:
        services.propose_talent(
            resident=resident,
            skill_name=form.cleaned_data["skill"],
            offer=form.cleaned_data["offer"],
            actor=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _(
                "%(name)s has been asked. Nothing is shown until they accept on their page."
            )
            % {"name": resident.name},
        )
    return redirect("buildings:team", pk)


@require_POST
def talent_withdraw(request, pk, invitation_pk):
    access = get_access_or_404(request.user, pk, MANAGE)
    invitation = get_object_or_404(
        TalentInvitation.objects.filter(resident__household__building=access.building),
        pk=invitation_pk,
    )
    try:
        services.withdraw_talent_invitation(invitation=invitation, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The request has been withdrawn."))
    return redirect("buildings:team", pk)


@require_POST
def talent_answer(request, invitation_pk, decision):
    """The resident asked accepts or declines, on their own page."""
    if decision not in ("accept", "decline"):
        raise Http404
    membership = active_membership(request.user)
    if membership is None or not membership.is_approved:
        raise Http404
    invitation = get_object_or_404(
        TalentInvitation.objects.filter(resident=membership), pk=invitation_pk
    )
    try:
        services.answer_talent_invitation(
            invitation=invitation, user=request.user, accept=decision == "accept"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if decision == "accept":
            messages.success(
                request,
                _(
                    "Thank you! Your skill is listed, for the people you chose under “Who may see my skills”."
                ),
            )
        else:
            messages.success(request, _("Declined. Nothing is shown."))
    return redirect("buildings:me")


@require_POST
def party_badge(request):
    """A party member shows or hides their own badge."""
    membership = active_membership(request.user)
    if membership is None or not membership.is_approved:
        raise Http404
    return _save_badge(request, membership, "buildings:me")


@require_POST
def resident_party_badge(request, pk, resident_pk):
    """A leader switches the badge of a resident they act for (代录), recorded."""
    access = get_access_or_404(request.user, pk, MANAGE)
    resident = get_object_or_404(
        Resident.objects.in_building(access.building).approved(), pk=resident_pk
    )
    if not resident.is_proxy:
        raise PermissionDenied(
            _("Only for residents the leader registered and acts for (代录).")
        )
    return _save_badge(request, resident, "buildings:resident", pk, resident_pk)


def _save_badge(request, resident, redirect_to, *args):
    form = PartyBadgeForm(request.POST)
    form.is_valid()  # a lone checkbox: absent or any value is a valid answer
    show = bool(form.cleaned_data.get("shows_party_badge"))
    try:
        services.set_party_badge(resident=resident, show=show, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if show:
            messages.success(request, _("The party badge is shown."))
        else:
            messages.success(request, _("The party badge is hidden."))
    return redirect(redirect_to, *args)


def me_context(membership) -> dict:
    """What the person's own page shows of this: invitations and the badge switch."""
    if membership is None or not membership.is_approved:
        return {}
    return {
        "talent_invitations": membership.talent_invitations.filter(
            status=TalentInvitation.Status.PENDING
        ).select_related("skill", "proposed_by"),
        "badge_form": PartyBadgeForm(
            initial={"shows_party_badge": membership.shows_party_badge}
        )
        if membership.is_party_member
        else None,
    }


def _int(data, name) -> int:
    """A posted id, or 0 (no row) when it is not a small positive number."""
    value = (data.get(name) or "").strip()
    if value.isascii() and value.isdigit() and len(value) <= 12:
        return int(value)
    return 0
