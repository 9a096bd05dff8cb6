"""Proposal pages: list, draft, edit, detail, comment, change of status."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from buildings.permissions import ORGANISE, PARTICIPATE, VIEW, get_access_or_404
from buildings.services import wechat_text
from proposals.deliberation.polls.permissions import can_open_poll
from proposals.deliberation.proposals import permissions as perms
from proposals.deliberation.proposals import services
from proposals.deliberation.proposals.forms import CommentForm, ProposalForm, StatusForm
from proposals.deliberation.proposals.models import Proposal
from proposals.deliberation.proposals.permissions import get_proposal_or_404
from proposals.deliberation.raising.views import raised_context
from proposals.deliberation.views import T, full_url, show_error


def proposal_list(request, building_pk):
    access = get_access_or_404(request.user, building_pk, VIEW)
    proposals = (
        access.building.proposals.visible_to(access)
        .with_comment_counts()
        .order_by("-updated_at")
    )
    status = request.GET.get("status", "")
    if status in Proposal.Status.values:
        proposals = proposals.filter(status=status)
    return render(
        request,
        T + "proposal_list.html",
        {
            "building": access.building,
            "access": access,
            "proposals": proposals[:200],
            "statuses": Proposal.Status.choices,
            "current_status": status,
        },
    )


def proposal_create(request, building_pk):
    access = get_access_or_404(request.user, building_pk, ORGANISE)
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.create_proposal(
                building=access.building,
                author=request.user,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                budget=form.cleaned_data["budget"],
                origin_issue_ids=form.cleaned_data["origin_issues"],
            )
        except ValidationError as error:
            show_error(request, error)
        else:
            messages.success(
                request, _("The draft is saved. Open it for discussion when ready.")
            )
            return redirect(proposal)
    return render(
        request,
        T + "proposal_form.html",
        {"building": access.building, "form": form, "proposal": None},
    )


def proposal_edit(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, ORGANISE)
    proposal = get_proposal_or_404(access, pk)
    if not perms.can_edit_proposal(access, proposal):
        messages.error(request, _("This proposal can no longer be edited."))
        return redirect(proposal)
    form = ProposalForm(request.POST or None, instance=proposal)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_proposal(
                proposal=proposal,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                budget=form.cleaned_data["budget"],
                origin_issue_ids=form.cleaned_data["origin_issues"],
            )
        except ValidationError as error:
            show_error(request, error)
        else:
            messages.success(request, _("The proposal has been saved."))
            return redirect(proposal)
    return render(
        request,
        T + "proposal_form.html",
        {"building": access.building, "form": form, "proposal": proposal},
    )


def proposal_detail(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, VIEW)
    proposal = get_proposal_or_404(access, pk)
    raised = raised_context(access, proposal)
    # A gathering matter is handled in its own box (agenda now, or decline with a reason).
    changes = (
        []
        if raised.get("can_handle_raised")
        else perms.allowed_status_changes(access, proposal)
    )
    polls = list(proposal.polls.with_turnout().order_by("-opens_at"))
    # A poll's result is said in the reader's language, not stored in the closer's.
    deciding = next(
        (p for p in polls if p.closed_at and p.closed_at == proposal.decided_at), None
    )
    return render(
        request,
        T + "proposal_detail.html",
        {
            **raised,
            "building": access.building,
            "proposal": proposal,
            "comments": proposal.comments.all(),
            "polls": polls,
            "decided_by_poll": deciding.result_body if deciding else "",
            "meetings": proposal.meetings.order_by("-starts_at"),
            "comment_form": CommentForm(),
            "can_comment": perms.can_comment(access, proposal),
            "can_edit": perms.can_edit_proposal(access, proposal),
            "can_open_poll": can_open_poll(access, proposal),
            "status_changes": [(s, Proposal.Status(s).label) for s in changes],
            "decide_changes": [
                s
                for s in changes
                if s in (Proposal.Status.ADOPTED, Proposal.Status.REJECTED)
            ],
            "wechat_text": wechat_text(
                heading=_("Proposal"),
                title=proposal.title,
                body=proposal.body,
                url=full_url(proposal),
            ),
        },
    )


@require_POST
def proposal_comment(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, PARTICIPATE)
    proposal = get_proposal_or_404(access, pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["text"]))
        return redirect(proposal)
    if not perms.can_comment(access, proposal):
        messages.error(request, _("The discussion of this proposal is closed."))
        return redirect(proposal)
    name = access.resident.name if access.resident else request.user.name
    try:
        services.add_comment(
            proposal=proposal,
            author=request.user,
            name=name,
            text=form.cleaned_data["text"],
        )
    except ValidationError as error:
        show_error(request, error)
    else:
        messages.success(request, _("Your comment has been posted."))
    return redirect(proposal)


@require_POST
def proposal_status(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, ORGANISE)
    proposal = get_proposal_or_404(access, pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose a valid status."))
        return redirect(proposal)
    to_status = form.cleaned_data["status"]
    if to_status in perms.LEADER_DECISIONS and not access.can_manage:
        raise PermissionDenied(_("Only the building leader can make this decision."))
    if to_status not in perms.allowed_status_changes(access, proposal):
        messages.error(request, _("You cannot make this change to the proposal."))
        return redirect(proposal)
    try:
        services.change_proposal_status(
            proposal=proposal,
            to_status=to_status,
            actor=request.user,
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        show_error(request, error)
    else:
        messages.success(
            request,
            _("The proposal is now: %(status)s")
            % {"status": Proposal.Status(to_status).label},
        )
    return redirect(proposal)
