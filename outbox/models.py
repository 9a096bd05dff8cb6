"""What leaves the app: one Delivery per message and channel, and the channels' settings."""

import re
from urllib.parse import parse_qs, urlsplit

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buildings import wording
from buildings.models import Building, Community, Notification, User

WECOM_HOST = "qyapi.weixin.qq.com"
WECOM_PATH = "/cgi-bin/webhook/send"
WECOM_KEY_RE = re.compile(r"^[0-9A-Za-z-]{8,64}$")


def validate_wecom_webhook(value: str) -> None:
    """A WeCom group robot's address: https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=..."""
    parts = urlsplit(value.strip())
    keys = parse_qs(parts.query).get("key", [])
    if parts.scheme != "https":
        raise ValidationError(
            _("The robot's address must start with https://."), code="scheme"
        )
    if parts.hostname != WECOM_HOST or parts.port not in (None, 443):
        raise ValidationError(
            _("The robot's address must be on %(host)s.") % {"host": WECOM_HOST},
            code="host",
        )
    if parts.path != WECOM_PATH:
        raise ValidationError(
            _("The robot's address must end in %(path)s?key=…") % {"path": WECOM_PATH},
            code="path",
        )
    if len(keys) != 1 or not WECOM_KEY_RE.match(keys[0]):
        raise ValidationError(
            _(
                "The robot's address has no valid key=…; copy the whole address "
                "from the robot's settings in WeCom."
            ),
            code="key",
        )


def wecom_key(url: str) -> str:
    return parse_qs(urlsplit(url).query)["key"][0]


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    WECOM = "wecom", _("WeCom group robot")


class DeliveryQuerySet(models.QuerySet):
    def sms_sent_in_month(self, community, now=None):
        now = timezone.localtime(now)
        start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        return self.filter(
            channel=Channel.SMS,
            community=community,
            status=Delivery.Status.SENT,
            sent_at__gte=start,
        )

    def held_due(self, now=None):
        return self.filter(
            status=Delivery.Status.HELD, not_before__lte=now or timezone.now()
        )


class Delivery(models.Model):
    """One message through one channel: an SMS to a person or a post to a building group."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        HELD = "held", _("held for quiet hours")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    channel = models.CharField(_("channel"), max_length=10, choices=Channel)
    notification = models.ForeignKey(
        Notification,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("notification"),
    )
    building = models.ForeignKey(
        Building,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("building group"),
    )
    community = models.ForeignKey(
        Community,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("community"),
        help_text=_("Whose monthly SMS budget an SMS counts against."),
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    kind = models.CharField(_("kind"), max_length=40)
    text = models.TextField(_("text"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # As written in the worker's language; `error` keeps its words for every reader.
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    error = models.JSONField(
        _("last error, message id and values"), null=True, blank=True, editable=False
    )
    not_before = models.DateTimeField(_("not before"), null=True, blank=True)
    created_at = models.DateTimeField(
        _("created at"), default=timezone.now, editable=False
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "not_before"], name="delivery_held_idx"),
            models.Index(
                fields=["community", "channel", "status", "sent_at"],
                name="delivery_budget_idx",
            ),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} #{self.pk} ({self.get_status_display()})"

    @property
    def error_said(self) -> str:
        """The last error in the active language (older rows: as they were written)."""
        if not self.error:
            return self.last_error
        text = wording.render(self.error)
        return f"[{self.error['code']}] {text}" if "code" in self.error else text


class WecomRobot(models.Model):
    """A building's WeCom group robot, set up by its leader."""

    building = models.OneToOneField(
        Building,
        on_delete=models.CASCADE,
        related_name="wecom_robot",
        verbose_name=_("building"),
    )
    webhook_url = models.URLField(
        _("robot address (webhook)"),
        max_length=300,
        validators=[validate_wecom_webhook],
        help_text=_(
            "In the WeCom group: ··· → Group robots → Add → copy the webhook address."
        ),
    )
    is_active = models.BooleanField(_("post to the group"), default=True)
    updated_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("WeCom group robot")
        verbose_name_plural = _("WeCom group robots")

    def __str__(self):
        return str(self.building)


class SmsBudget(models.Model):
    """How many SMS a community may send a month (staff set it)."""

    community = models.OneToOneField(
        Community,
        on_delete=models.CASCADE,
        related_name="sms_budget",
        verbose_name=_("community"),
    )
    monthly_limit = models.PositiveIntegerField(_("SMS per month"), default=0)

    class Meta:
        verbose_name = _("monthly SMS budget")
        verbose_name_plural = _("monthly SMS budgets")

    def __str__(self):
        return f"{self.community}: {self.monthly_limit}"


class SmsChoice(models.Model):
    """A kind of notification the person also wants by SMS (the default is inbox only)."""

    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="sms_choices",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=40)

    class Meta:
        verbose_name = _("SMS choice")
        verbose_name_plural = _("SMS choices")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="sms_choice_unique")
        ]

    def __str__(self):
        return f"{self.user} − {self.kind}"


class ScheduledRun(models.Model):
    """When a periodic job was last queued, so several workers queue it only once."""

    name = models.CharField(_("job"), max_length=40, unique=True)
    last_queued_at = models.DateTimeField(_("last queued at"))

    class Meta:
        verbose_name = _("periodic job")
        verbose_name_plural = _("periodic jobs")

    def __str__(self):
        return self.name
