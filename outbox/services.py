"""Turning notifications into deliveries, and sending them with retries.

A notification is stored for the inbox by buildings.notify; its `deliver` hands it to
`queue_notification` (named in settings.LOUZU_NOTIFICATION_SENDERS), which records an SMS
delivery when the person asked for this kind by SMS and queues a task. Group posts to a
building's WeCom robot come from `queue_group_post`. The worker runs `attempt`, which
sends, records the outcome, and queues the next try with back-off when it may succeed later.
"""

import logging
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_noop

from buildings.models import Building, Notification, Resident, User
from buildings.wording import Message
from core.races import locked, pause, set_lock_timeout
from outbox.models import Channel, Delivery, SmsBudget, SmsChoice, WecomRobot

logger = logging.getLogger("outbox")

# The kinds a person may also receive by SMS (each one costs the community money).
SMS_KINDS = (
    "poll_closing",
    "waitlist_promoted",
    "activity_changed",
    "activity_cancelled",
    "poll_changed",
    "campaign_cancelled",
    "meeting",
    "shift_reminder",
    "issue_status",
)
MAX_ATTEMPTS = 5
# A busy provider usually answers again within seconds; two failures cost 30 s, so a
# reminder still goes out within a minute of being due (with the 20 s schedule).
FIRST_RETRY = timedelta(seconds=10)  # then 20, 40, 80 seconds
QUIET_FROM, QUIET_UNTIL = time(21, 0), time(8, 0)


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the given number of failed attempts."""
    return FIRST_RETRY * 2 ** max(attempts - 1, 0)


def quiet_until(now: datetime) -> datetime | None:
    """The end of the quiet hours if `now` falls in them (21:00–08:00 local), else None."""
    local = timezone.localtime(now)
    if QUIET_UNTIL <= local.time() < QUIET_FROM:
        return None
    day = local.date() if local.time() < QUIET_UNTIL else local.date() + timedelta(1)
    return timezone.make_aware(datetime.combine(day, QUIET_UNTIL))


def sms_kinds_of(user) -> set[str]:
    return set(user.sms_choices.values_list("kind", flat=True))


@transaction.atomic
def set_sms_choices(*, user, wanted: set[str]) -> None:
    """Inbox + SMS for the kinds in `wanted`, inbox only for the other SMS kinds."""
    wanted &= set(SMS_KINDS)
    SmsChoice.objects.filter(user=user).exclude(kind__in=wanted).delete()
    for kind in wanted:
        SmsChoice.objects.get_or_create(user=user, kind=kind)


@transaction.atomic
def save_wecom_robot(
    *, building: Building, webhook_url: str, is_active: bool, by: User
) -> WecomRobot | None:
    """Set up, change or (with no address) remove the building's robot.

    The building row is locked and the robot read again under it: two leaders saving
    at once would otherwise both insert one (one robot per building)."""
    set_lock_timeout()
    locked(Building.objects.filter(pk=building.pk)).get()
    robot = WecomRobot.objects.filter(building=building).first()
    pause()  # test-only: widen the window between the read and the write
    if not webhook_url:
        if robot is not None:
            robot.delete()
        return None
    robot = robot or WecomRobot(building=building)
    robot.webhook_url, robot.is_active, robot.updated_by = webhook_url, is_active, by
    robot.save()
    return robot


def community_of(user):
    resident = (
        Resident.objects.approved()
        .filter(user=user)
        .select_related("household__building")
        .order_by("pk")
        .first()
    )
    return resident.household.building.community if resident else None


def queue_notification(notification: Notification) -> Delivery | None:
    """Sender for LOUZU_NOTIFICATION_SENDERS: an SMS if the person chose it for this kind."""
    if notification.kind not in SMS_KINDS:
        return None
    if not SmsChoice.objects.filter(
        user_id=notification.recipient_id, kind=notification.kind
    ).exists():
        return None
    user = notification.recipient
    # In the language the person reads (kept fresh on the account, not the cached copy).
    language = (
        User.objects.filter(pk=user.pk).values_list("language", flat=True).first()
        or settings.LANGUAGE_CODE
    )
    with translation.override(language):
        text = notification.body
    if notification.link:
        text = f"{text} {settings.SITE_URL}{notification.link}"
    now = timezone.now()
    held = (
        None
        if notification.kind in settings.LOUZU_SMS_URGENT_KINDS
        else quiet_until(now)
    )
    delivery = Delivery.objects.create(
        channel=Channel.SMS,
        notification=notification,
        community=community_of(user),
        phone=user.phone,
        kind=notification.kind,
        text=text,
        status=Delivery.Status.HELD if held else Delivery.Status.PENDING,
        not_before=held,
    )
    if not held:
        transaction.on_commit(lambda: enqueue(delivery.pk))
    return delivery


def queue_group_post(building: Building, *, kind: str, text: str) -> Delivery | None:
    """A post to the building's WeCom group, if its leader set up a robot."""
    if not WecomRobot.objects.filter(building=building, is_active=True).exists():
        return None
    delivery = Delivery.objects.create(
        channel=Channel.WECOM,
        building=building,
        community_id=building.community_id,
        kind=kind,
        text=text,
    )
    transaction.on_commit(lambda: enqueue(delivery.pk))
    return delivery


def enqueue(delivery_id: int, *, run_after: datetime | None = None) -> None:
    """Queue a delivery's next attempt (after `run_after` where the queue can wait)."""
    from outbox.tasks import send_delivery

    task = send_delivery
    if run_after is not None and task.get_backend().supports_defer:
        task = task.using(run_after=run_after)
    task.enqueue(delivery_id)


def release_held(now: datetime | None = None) -> int:
    """Queue the SMS held for the quiet hours once they are over."""
    ids = list(Delivery.objects.held_due(now).values_list("pk", flat=True))
    Delivery.objects.filter(pk__in=ids, status=Delivery.Status.HELD).update(
        status=Delivery.Status.PENDING
    )
    for pk in ids:
        enqueue(pk)
    return len(ids)


class Refused(Exception):
    """A delivery that must not be sent (no robot any more, budget used up)."""


def _words(message, **extra) -> dict | None:
    """An error's words kept for every reader: its message id and values."""
    if isinstance(message, str) and not isinstance(message, Promise):
        return None  # text from elsewhere: shown as it was written
    stored = message if isinstance(message, Message) else Message(message)
    return {**stored.stored(), **extra}


def _send_sms(delivery: Delivery) -> None:
    from core import sms

    if delivery.community_id is None:
        raise Refused(
            Message(
                gettext_noop("The person lives in no building, so no community pays.")
            )
        )
    budget = (
        SmsBudget.objects.select_for_update()
        .filter(community_id=delivery.community_id)
        .first()
    )
    limit = budget.monthly_limit if budget else 0
    used = Delivery.objects.sms_sent_in_month(delivery.community_id).count()
    if used >= limit:
        raise Refused(
            Message(
                gettext_noop(
                    "The community's monthly SMS budget (%(limit)s) is used up."
                ),
                limit=limit,
            )
        )
    sms.send(
        delivery.phone,
        delivery.text,
        kind="notification",
        params={"text": delivery.text},
    )


def _send_wecom(delivery: Delivery) -> None:
    from outbox import wecom

    robot = WecomRobot.objects.filter(
        building_id=delivery.building_id, is_active=True
    ).first()
    if robot is None:
        raise Refused(
            Message(
                gettext_noop("The building's WeCom robot was removed or switched off.")
            )
        )
    wecom.post_text(robot.webhook_url, delivery.text)


def attempt(delivery_id: int) -> str:
    """Try to send one delivery; record the outcome and queue a retry if it may succeed."""
    from core.sms import SmsError
    from outbox.wecom import WecomError

    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().filter(pk=delivery_id).first()
        if delivery is None or delivery.status != Delivery.Status.PENDING:
            return "skipped"
        delivery.attempts += 1
        retry_at = None
        try:
            if delivery.channel == Channel.SMS:
                _send_sms(delivery)
            else:
                _send_wecom(delivery)
        except Refused as refusal:
            delivery.status = Delivery.Status.FAILED
            delivery.last_error = str(refusal)[:500]
            delivery.error = _words(refusal.args[0])
        except (SmsError, WecomError) as error:
            delivery.last_error = f"[{error.code}] {error}"[:500]
            delivery.error = _words(error.message, code=error.code)
            if error.retryable and delivery.attempts < MAX_ATTEMPTS:
                retry_at = timezone.now() + retry_delay(delivery.attempts)
                delivery.not_before = retry_at
            else:
                delivery.status = Delivery.Status.FAILED
        else:
            delivery.status = Delivery.Status.SENT
            delivery.sent_at = timezone.now()
        delivery.save(
            update_fields=[
                "attempts",
                "status",
                "last_error",
                "error",
                "sent_at",
                "not_before",
            ]
        )
        if delivery.status == Delivery.Status.FAILED:
            logger.warning(
                "Delivery %s (%s) failed after %s attempt(s): %s",
                delivery.pk,
                delivery.channel,
                delivery.attempts,
                delivery.last_error,
            )
    if retry_at is not None:
        enqueue(delivery.pk, run_after=retry_at)
    return delivery.status
