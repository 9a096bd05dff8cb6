"""Raised-matter pages (举手): the list, raising one, co-signing, the leader's threshold."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from buildings.permissions import MANAGE, PARTICIPATE, VIEW, get_access_or_404
from proposals.deliberation.proposals.models import Proposal
from proposals.deliberation.proposals.permissions import get_proposal_or_404
from proposals.deliberation.raising import permissions as perms
from proposals.deliberation.raising import services
from proposals.deliberation.raising.forms import RaiseForm, ThresholdForm
from proposals.deliberation.views import T, show_error

FILTERS = ("gathering", "waiting", "all")


def raised_list(request, building_pk):
    """Matters residents raised: gathering co-signatures, waiting for the agenda, all."""
    access = get_access_or_404(request.user, building_pk, VIEW)
    building = access.building
    shown = request.GET.get("show", "gathering")
    if shown not in FILTERS:
        shown = "gathering"
    raised = building.proposals.raised_by_residents()
    matters = {
        "gathering": raised.filter(status=Proposal.Status.GATHERING),
        "waiting": raised.waiting_for_agenda(),
        "all": raised,
    }[shown]
    return render(
        request,
        T + "raised_list.html",
        {
            "building": building,
            "matters": matters.with_cosign_counts().order_by("-created_at")[:200],
            "shown": shown,
            "filters": [
                ("gathering", _("Gathering co-signatures")),
                ("waiting", _("Waiting for the agenda")),
                ("all", _("All")),
            ],
            "threshold": services.threshold_for(building),
            "can_raise": perms.can_raise(access),
            "can_set_threshold": perms.can_set_threshold(access),
        },
    )


def raise_create(request, building_pk):
    access = get_access_or_404(request.user, building_pk, PARTICIPATE)
    if not perms.can_raise(access):
        raise PermissionDenied(
            _("Only adult residents of this building raise matters.")
        )
    building = access.building
    form = RaiseForm(request.POST or None, request.FILES or None, building=building)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = services.raise_matter(
                resident=access.resident,
                title=data["title"],
                body=data["body"],
                budget=data["budget"],
                fund_category=data.get("fund_category", ""),
                photos=data["photos"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "Your matter is raised. Ask your neighbours to co-sign it: "
                    "with %(needed)d households it goes to the council."
                )
                % {"needed": proposal.cosigns_needed},
            )
            return redirect(proposal)
    return render(
        request,
        T + "raise_form.html",
        {
            "building": building,
            "form": form,
            "threshold": services.threshold_for(building),
        },
    )


@require_POST
def proposal_cosign(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, PARTICIPATE)
    proposal = get_proposal_or_404(access, pk)
    if not perms.can_raise(access):
        messages.error(request, _("Only adult residents of this building co-sign."))
        return redirect(proposal)
    try:
        services.cosign(proposal=proposal, resident=access.resident)
    except ValidationError as error:
        show_error(request, error)
    else:
        messages.success(request, _("Your household has co-signed. Thank you!"))
    return redirect(proposal)


def raise_threshold(request, building_pk):
    access = get_access_or_404(request.user, building_pk, MANAGE)
    building = access.building
    form = ThresholdForm(
        request.POST or None, initial={"threshold": services.threshold_for(building)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_threshold(
                building=building,
                threshold=form.cleaned_data["threshold"],
                set_by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                ngettext(
                    "From now on a raised matter needs %(count)d household.",
                    "From now on a raised matter needs %(count)d households.",
                    form.cleaned_data["threshold"],
                )
                % {"count": form.cleaned_data["threshold"]},
            )
            return redirect("proposals:raised", building.pk)
    return render(
        request, T + "raise_threshold.html", {"building": building, "form": form}
    )


def raised_context(access, proposal: Proposal) -> dict:
    """What the proposal page shows of a raised matter: photos, co-signatures, actions."""
    if not proposal.raised:
        return {"raised": False}
    cosigns = list(proposal.cosigns.select_related("household", "resident"))
    household_id = access.resident.household_id if access.resident else None
    mine = next((c for c in cosigns if c.household_id == household_id), None)
    return {
        "raised": True,
        "cosigns": cosigns,
        "my_cosign": mine,
        "photos": list(proposal.photos.all()),
        "can_cosign": perms.can_cosign(access, proposal, mine is not None),
        "can_handle_raised": perms.can_handle_raised(access, proposal),
    }
