"""Notifications any app can send.

Every notification lands in the recipient's in-app inbox, unless they muted its kind.
Its words are best given as a `Message` (buildings.wording): stored as the English message
id and its values, so that each person reads it in their own language; plain text is
stored as it is.
External senders (SMS, WeChat) plug in through settings.LOUZU_NOTIFICATION_SENDERS:
dotted paths of callables taking the Notification; development prints to the console,
tests send nothing anywhere.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from buildings.models import Notification, NotificationMute
from buildings.wording import At, Message  # noqa: F401 (for the apps that notify)
from core import pagecache

logger = logging.getLogger(__name__)

# The kinds a person may switch off, with what they mean to them; a kind not listed here is
# always delivered, whatever mutes are stored. Feature apps add theirs with
# register_kinds() in AppConfig.ready().
KINDS = {
    "announcement": _("New announcements"),
    "join_request": _("Someone asks to join my building (leaders)"),
    "join_decided": _("My request to join was decided"),
}


# The kinds no one may switch off, because they change what the person may do in the
# building; named here so the admin lists and filters them in words, not codes.
ALWAYS_DELIVERED = {
    "team_role": _("My place on the self-governance team changed"),
    "talent_invitation": _("A leader asks me to be a building talent"),
    "talent_answered": _("An answer to my talent question (leaders)"),
    "membership_ended": _("My building no longer lists me as a resident"),
}


def kind_label(kind: str) -> str:
    """A notification kind as people read it; its code only if it has no name."""
    return KINDS.get(kind) or ALWAYS_DELIVERED.get(kind, kind)


def register_kinds(kinds: dict) -> None:
    """Let people mute these notification kinds ({kind: what it means to them})."""
    KINDS.update(kinds)


def _words(text) -> dict:
    """The fields that keep a notification's words: text as of now, and the message."""
    if isinstance(text, Message):
        return {"text": str(text)[:300], "message": text.stored()}
    return {"text": str(text)[:300], "message": None}


def notify(
    *, recipient, kind: str, text: str | Message, link: str = ""
) -> Notification | None:
    """Store an in-app notification for a user (nothing for residents without an account,
    nor for an account that is closed: someone who left the app)."""
    if recipient is None or not recipient.is_active:
        return None
    if (
        kind in KINDS
        and NotificationMute.objects.filter(user=recipient, kind=kind).exists()
    ):
        return None
    notification = Notification.objects.create(
        recipient=recipient, kind=kind, link=link, **_words(text)
    )
    transaction.on_commit(lambda: deliver(notification))
    return notification


def notify_many(*, recipients, kind: str, text: str | Message, link: str = "") -> int:
    """Notify many users at once (one query for mutes, one insert); returns how many."""
    users = {
        user.pk: user for user in recipients if user is not None and user.is_active
    }
    muted = (
        set(
            NotificationMute.objects.filter(user_id__in=users, kind=kind).values_list(
                "user_id", flat=True
            )
        )
        if kind in KINDS
        else set()
    )
    words = _words(text)
    created = Notification.objects.bulk_create(
        Notification(recipient=user, kind=kind, link=link, **words)
        for pk, user in users.items()
        if pk not in muted
    )
    pagecache.touch_inboxes(notification.recipient_id for notification in created)
    transaction.on_commit(lambda: [deliver(notification) for notification in created])
    return len(created)


def deliver(notification: Notification) -> None:
    """Pass a stored notification to every configured external sender."""
    for path in getattr(settings, "LOUZU_NOTIFICATION_SENDERS", []):
        try:
            import_string(path)(notification)
        except Exception:  # one failing sender must not break the others or the request
            logger.exception("Notification sender %s failed", path)


def console_sender(notification: Notification) -> None:
    """Development sender: prints what an SMS would say, and to whom, but for the kinds
    the admin never lists (an anonymous reporter's own message): the line next to the
    others about the same issue would say whose it is."""
    from buildings.admin import UNLISTED_NOTIFICATION_KINDS  # filled by the apps' admin

    to = notification.recipient.masked_phone
    if notification.kind in UNLISTED_NOTIFICATION_KINDS:
        to = "***"
    print(f"[notify {to}] {notification.body} {notification.link}")
