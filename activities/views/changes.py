"""A leader cancels an activity with a reason; everyone signed up or waiting is told."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from activities import permissions, services
from buildings.permissions import MANAGE, get_access_or_404
from buildings.views.changes import confirm_with_reason


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
    return confirm_with_reason(
        request,
        act=lambda reason: services.cancel_activity(
            activity=activity, by=request.user, reason=reason
        ),
        done=lambda told: (
            ngettext(
                "The activity is cancelled; %(count)s person was told.",
                "The activity is cancelled; %(count)s people were told.",
                told,
            )
            % {"count": told}
        ),
        back_url=back,
        back_label=activity.title,
        heading=_("Cancel the activity"),
        explanation=_(
            "It stays on its page, marked as cancelled, with your reason; everyone signed up or waiting is told."
        ),
        button=_("Cancel the activity"),
    )
