"""What a building's WeCom group robot posts, in the text of the "Copy for WeChat group" box.

Posts follow the notifications residents get (a new announcement, a vote opening, closing
soon, its result), found by the notification's link, one post per building; a new activity
is posted when it is created. The robot is optional: without one nothing is queued.
"""

import time

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.translation import gettext as _

from buildings.models import Announcement, Building, Notification
from buildings.services import wechat_text
from core.templatetags.words import when
from outbox import services
from outbox.models import Channel, Delivery

GROUP_KINDS = {"announcement", "poll_open", "poll_closing", "poll_closed"}


def _when(moment) -> str:
    return when(moment, "exact")


def _poll_text(poll, kind: str) -> str:
    url = settings.SITE_URL + poll.get_absolute_url()
    if kind == "poll_closed":
        return wechat_text(
            heading=_("Vote result"),
            title=poll.question,
            body=poll.result_body,
            url=url,
        )
    heading = _("Vote closes soon") if kind == "poll_closing" else _("Vote")
    return wechat_text(
        heading=heading, title=poll.question, body=poll.wechat_body, url=url
    )


def _announcement_posts(announcement):
    url = settings.SITE_URL + announcement.get_absolute_url()
    if announcement.building_id:
        buildings = [announcement.building]
    else:
        buildings = list(Building.objects.filter(community=announcement.community_id))
    for building in buildings:
        heading = (
            building.display_name
            if announcement.building_id
            else announcement.community.name
        )
        yield (
            building,
            wechat_text(
                heading=heading,
                title=announcement.title,
                body=announcement.body,
                url=url,
            ),
        )


def posts_for(notification: Notification):
    """(building, text) for each group that should hear of this notification."""
    try:
        match = resolve(notification.link.split("?")[0])
    except Resolver404:
        return
    if notification.kind == "announcement" and match.url_name == "announcement":
        announcement = (
            Announcement.objects.select_related("building", "community")
            .filter(pk=match.kwargs.get("pk"))
            .first()
        )
        if announcement:
            yield from _announcement_posts(announcement)
    elif notification.kind.startswith("poll_") and match.url_name == "poll":
        poll = (
            apps.get_model("proposals", "Poll")
            .objects.select_related("building")
            .filter(pk=match.kwargs.get("pk"))
            .first()
        )
        if poll:
            yield poll.building, _poll_text(poll, notification.kind)


# (kind, link) of the messages this process looked at lately: notify_many() hands over
# one notification per resident, and only the first of them needs a look.
_recent: dict[tuple[str, str], float] = {}
RECENT_SECONDS = 60


def _seen_lately(kind: str, link: str) -> bool:
    now = time.monotonic()
    for key, at in list(_recent.items()):
        if now - at > RECENT_SECONDS:
            del _recent[key]
    if (kind, link) in _recent:
        return True
    _recent[(kind, link)] = now
    return False


def queue_for_notification(notification: Notification) -> int:
    """Sender for LOUZU_NOTIFICATION_SENDERS: one group post per building and message."""
    if notification.kind not in GROUP_KINDS or not notification.link:
        return 0
    if _seen_lately(notification.kind, notification.link):
        return 0
    queued = 0
    with translation.override(settings.LANGUAGE_CODE):
        for building, text in posts_for(notification):
            already = Delivery.objects.filter(
                channel=Channel.WECOM,
                building=building,
                kind=notification.kind,
                text=text,
            ).exists()
            if not already and services.queue_group_post(
                building, kind=notification.kind, text=text
            ):
                queued += 1
    return queued


def activity_created(sender, instance, created, raw=False, **kwargs):
    if not created or raw or instance.building_id is None:
        return
    url = settings.SITE_URL + instance.get_absolute_url()
    with translation.override(settings.LANGUAGE_CODE):
        body = _("%(when)s, %(place)s. %(text)s") % {
            "when": _when(instance.starts_at),
            "place": instance.place,
            "text": instance.text,
        }
        text = wechat_text(
            heading=_("Activity"), title=instance.title, body=body, url=url
        )
    building = instance.building
    transaction.on_commit(
        lambda: services.queue_group_post(building, kind="activity", text=text)
    )


def connect() -> None:
    if apps.is_installed("activities"):
        post_save.connect(
            activity_created,
            sender=apps.get_model("activities", "Activity"),
            dispatch_uid="outbox.activity_created",
        )
