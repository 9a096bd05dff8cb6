"""A leader cancels an activity with a reason; everyone signed up or waiting is told."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from activities import permissions, services
from buildings.forms import ReasonForm
from buildings.permissions import MANAGE, get_access_or_404


def cancel_activity(request, building_pk, pk):
    access = get_access_or_404(request.user, building_pk, MANAGE)
    activity = permissions.get_activity_or_404(access, pk)
    back = activity.url_in(access.building.pk)
    if not permissions.can_cancel_activity(access, activity):
        if activity.is_community_wide and not access.is_staff:
            raise PermissionDenied(
                _("Only branch staff can cancel a community-wide activity.")
            )
        messages.error(request, _("This activity has begun or was cancelled already."))
        return redirect(back)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            told = services.cancel_activity(
                activity=activity, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request,
                _("The activity is cancelled; %(count)s people were told.")
                % {"count": told},
            )
        return redirect(back)
    return render(
        request,
        "buildings/confirm_with_reason.html",
        {
            "heading": _("Cancel the activity"),
            "explanation": _(
                "It stays on its page, marked as cancelled, with your reason; everyone signed up or waiting is told."
            ),
            "form": form,
            "button": _("Cancel the activity"),
            "back_url": back,
            "back_label": activity.title,
        },
    )
