"""Editing and withdrawing an announcement, with a reason shown to readers (buildings.changes),
and the page every app uses to cancel or withdraw something with a reason."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from buildings import services
from buildings.forms import AnnouncementForm, ReasonForm
from buildings.models import Announcement
from buildings.permissions import can_change_announcement, get_access_or_404


def confirm_with_reason(
    request, *, act, done, back_url, back_label, heading, explanation, button
):
    """Ask for the reason before an action that cannot be taken back (cancel, withdraw),
    and on POST take it: act(reason) does it; done is the message then shown, or a
    function of what act returned (how many people were told). A refusal
    (ValidationError) is shown instead. Either way, back to back_url."""
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = act(form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, done(result) if callable(done) else done)
        return redirect(back_url)
    return render(
        request,
        "buildings/confirm_with_reason.html",
        {
            "heading": heading,
            "explanation": explanation,
            "form": form,
            "button": button,
            "back_url": back_url,
            "back_label": back_label,
        },
    )


def _announcement_for_change(request, pk) -> Announcement:
    """Outsiders get 404 (the building's page rules); others without the right, 403."""
    announcement = get_object_or_404(
        Announcement.objects.published().select_related("building", "community"), pk=pk
    )
    if announcement.building_id:
        get_access_or_404(request.user, announcement.building_id)
    if not can_change_announcement(request.user, announcement):
        raise PermissionDenied(
            _("Only the building leader or branch staff can change this announcement.")
        )
    return announcement


class AnnouncementEditForm(AnnouncementForm, ReasonForm):
    class Meta(AnnouncementForm.Meta):
        pass


def announcement_edit(request, pk):
    announcement = _announcement_for_change(request, pk)
    if announcement.is_cancelled:
        messages.error(request, _("A withdrawn announcement cannot be changed."))
        return redirect(announcement)
    form = AnnouncementEditForm(request.POST or None, instance=announcement)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.edit_announcement(
                announcement=announcement,
                by=request.user,
                title=data["title"],
                body=data["body"],
                pinned=data["pinned"],
                reason=data["reason"],
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request, _("The announcement is changed; readers are told.")
            )
        return redirect(announcement)
    return render(
        request,
        "buildings/announcement_form.html",
        {
            "form": form,
            "target": announcement.building or announcement.community,
            "editing": announcement,
        },
    )


def announcement_withdraw(request, pk):
    announcement = _announcement_for_change(request, pk)
    return confirm_with_reason(
        request,
        act=lambda reason: services.withdraw_announcement(
            announcement=announcement, by=request.user, reason=reason
        ),
        done=_("The announcement is withdrawn; it stays with your reason."),
        back_url=announcement.get_absolute_url(),
        back_label=announcement.title,
        heading=_("Withdraw the announcement"),
        explanation=_(
            "It stays readable, marked as withdrawn, with your reason; readers are told."
        ),
        button=_("Withdraw"),
    )
