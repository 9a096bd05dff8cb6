"""The notification inbox and the choice of which messages to receive."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from buildings import extensions, services
from buildings.forms import (
    NotificationChoicesForm,
)
from core import pagecache


@never_cache
def notifications(request):
    items = list(request.user.notifications.all()[:100])
    # Opening the inbox reads what was new, so this GET writes only when something is
    # unread; most visits find nothing new and change nothing (no UPDATE, no write lock).
    # Unread messages are always the newest (reading marks them all at once), so if
    # any is unread, one of the newest 100 shown here is.
    if any(item.read_at is None for item in items):
        request.user.notifications.unread().update(read_at=timezone.now())
        pagecache.touch_inboxes([request.user.pk])  # the unread count in the top bar
    request.user._louzu_unread = 0  # this page reads them all
    return render(request, "buildings/notifications.html", {"items": items})


def notification_settings(request):
    from buildings.notify import KINDS

    muted = set(request.user.notification_mutes.values_list("kind", flat=True))
    form = NotificationChoicesForm(
        request.POST or None,
        initial={"kinds": [kind for kind in KINDS if kind not in muted]},
    )
    if request.method == "POST" and form.is_valid():
        services.set_notification_choices(
            user=request.user, wanted=set(form.cleaned_data["kinds"])
        )
        messages.success(request, _("Your choices have been saved."))
        return redirect("buildings:notifications")
    return render(
        request,
        "buildings/notification_settings.html",
        {"form": form, "more": extensions.notification_settings_links(request.user)},
    )
