"""A leader changes or cancels a poll before the first ballot (polls.changes)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from buildings.forms import ReasonForm
from buildings.permissions import MANAGE, get_access_or_404
from proposals.deliberation.polls import changes
from proposals.deliberation.polls import permissions as perms
from proposals.deliberation.polls.forms import PollEditForm
from proposals.deliberation.polls.views import _get_poll
from proposals.deliberation.views import T, show_error


def _poll_to_change(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, MANAGE)
    poll = _get_poll(access, pk)
    if not perms.can_change_poll(access, poll):
        messages.error(
            request,
            _(
                "Someone has already voted, or the poll is over: it can no longer be changed or cancelled."
            ),
        )
        return access, poll, False
    return access, poll, True


def poll_edit(request, building_pk, pk):
    access, poll, allowed = _poll_to_change(request, building_pk, pk)
    if not allowed:
        return redirect(poll)
    options = list(poll.options.order_by("position", "pk"))
    form = PollEditForm(
        request.POST or None,
        options=options,
        initial={
            "question": poll.question,
            "closes_at": timezone.localtime(poll.closes_at),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changes.edit_poll(
                poll=poll,
                by=request.user,
                question=data["question"],
                option_labels=form.option_labels(),
                closes_at=data["closes_at"],
                reason=data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The poll is changed; the building is told."))
            return redirect(poll)
    return render(
        request,
        T + "poll_edit.html",
        {"building": access.building, "poll": poll, "form": form},
    )


def poll_cancel(request, building_pk, pk):
    access, poll, allowed = _poll_to_change(request, building_pk, pk)
    if not allowed:
        return redirect(poll)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            changes.cancel_poll(
                poll=poll, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            show_error(request, error)
        else:
            messages.success(
                request,
                _("The poll is cancelled; the proposal is back in discussion."),
            )
        return redirect(poll)
    return render(
        request,
        "buildings/confirm_with_reason.html",
        {
            "heading": _("Cancel the poll"),
            "explanation": _(
                "Nobody has voted yet. The poll stays on its page, marked as cancelled, with your reason; the building is told."
            ),
            "form": form,
            "button": _("Cancel the poll"),
            "back_url": poll.get_absolute_url(),
            "back_label": poll.question,
        },
    )
