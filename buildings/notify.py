"""Notifications any app can send.

Every notification lands in the recipient's in-app inbox. External senders (SMS,
WeChat) plug in through settings.LOUZU_NOTIFICATION_SENDERS: dotted paths of
callables taking the Notification; development prints to the console, tests send
nothing anywhere.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from buildings.models import Notification

logger = logging.getLogger(__name__)


def notify(*, recipient, kind: str, text: str, link: str = "") -> Notification | None:
    """Store an in-app notification for a user (nothing for residents without an account)."""
    if recipient is None:
        return None
    notification = Notification.objects.create(
        recipient=recipient, kind=kind, text=text[:300], link=link
    )
    transaction.on_commit(lambda: deliver(notification))
    return notification


def deliver(notification: Notification) -> None:
    """Pass a stored notification to every configured external sender."""
    for path in getattr(settings, "LOUZU_NOTIFICATION_SENDERS", []):
        try:
            import_string(path)(notification)
        except Exception:  # one failing sender must not break the others or the request
            logger.exception("Notification sender %s failed", path)


def console_sender(notification: Notification) -> None:
    """Development sender: prints what an SMS would say."""
    print(
        f"[notify {notification.recipient.masked_phone}] {notification.text} {notification.link}"
    )
