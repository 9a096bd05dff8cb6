"""A leader moves, re-plans or cancels a council meeting (meetings.changes)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from buildings.permissions import MANAGE, get_access_or_404
from buildings.views.changes import confirm_with_reason
from proposals.deliberation.meetings import changes
from proposals.deliberation.meetings import permissions as perms
from proposals.deliberation.meetings.forms import MeetingChangeForm
from proposals.deliberation.meetings.views import _get_meeting
from proposals.deliberation.views import T


def _meeting_to_change(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, MANAGE)
    meeting = _get_meeting(access, pk)
    if not perms.can_change_meeting(access, meeting):
        messages.error(
            request,
            _("This meeting has taken place or was cancelled: it cannot be changed."),
        )
        return access, meeting, False
    return access, meeting, True


def meeting_change(request, building_pk, pk):
    access, meeting, allowed = _meeting_to_change(request, building_pk, pk)
    if not allowed:
        return redirect(meeting)
    form = MeetingChangeForm(
        request.POST or None, instance=meeting, building=access.building
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changes.change_meeting(
                meeting=meeting,
                by=request.user,
                title=data["title"],
                starts_at=data["starts_at"],
                place=data["place"],
                agenda=list(data["agenda"]),
                agenda_notes=data["agenda_notes"],
                reason=data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The meeting is changed; the building is told.")
            )
            return redirect(meeting)
    return render(
        request,
        T + "meeting_form.html",
        {"building": access.building, "form": form, "meeting": meeting},
    )


def meeting_cancel(request, building_pk, pk):
    access, meeting, allowed = _meeting_to_change(request, building_pk, pk)
    if not allowed:
        return redirect(meeting)
    return confirm_with_reason(
        request,
        act=lambda reason: changes.cancel_meeting(
            meeting=meeting, by=request.user, reason=reason
        ),
        done=_("The meeting is cancelled; the building is told."),
        back_url=meeting.get_absolute_url(),
        back_label=meeting.title,
        heading=_("Cancel the meeting"),
        explanation=_(
            "It stays on its page, marked as cancelled, with your reason; the building is told."
        ),
        button=_("Cancel the meeting"),
    )
