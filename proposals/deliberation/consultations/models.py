"""Consultations (征询): questionnaires answered online or on a door-to-door visit."""

import uuid

from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buildings.models import Cancellable
from buildings.rooms import natural
from proposals.deliberation.origin import Origin


class ConsultationQuerySet(models.QuerySet):
    def open_now(self):
        now = timezone.now()
        return self.filter(
            opens_at__lte=now, closes_at__gt=now, cancelled_at__isnull=True
        )

    def with_response_counts(self):
        return self.annotate(response_count=Count("responses", distinct=True))


class Consultation(Cancellable):
    building = models.ForeignKey(
        "buildings.Building",
        on_delete=models.CASCADE,
        related_name="consultations",
        verbose_name=_("building"),
    )
    title = models.CharField(_("title"), max_length=120)
    intro = models.TextField(_("introduction"), blank=True, max_length=3000)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    created_by = models.ForeignKey(
        "buildings.User",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("published by"),
    )
    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        editable=False,
        help_text=_("Raised by every edit: answers to an older version are refused."),
    )
    created_at = models.DateTimeField(
        _("created at"), default=timezone.now, editable=False
    )

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="consultation_closes_after_opening",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("proposals:consultation", args=[self.building_id, self.pk])

    def is_open_at(self, moment) -> bool:
        return self.cancelled_at is None and self.opens_at <= moment < self.closes_at

    @property
    def is_open(self) -> bool:
        return self.is_open_at(timezone.now())

    @property
    def has_opened(self) -> bool:
        return timezone.now() >= self.opens_at

    @property
    def has_closed(self) -> bool:
        return timezone.now() >= self.closes_at


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        TEXT = "text", _("Free text")

    consultation = models.ForeignKey(
        Consultation,
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name=_("consultation"),
    )
    text = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.SINGLE)
    required = models.BooleanField(_("an answer is required"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(
        _("created at"), default=timezone.now, editable=False
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text

    @property
    def has_choices(self) -> bool:
        return self.kind != self.Kind.TEXT


def option_photo_upload_to(instance, filename):
    return f"options/{uuid.uuid4().hex}.jpg"


class Choice(models.Model):
    question = models.ForeignKey(
        Question,
        on_delete=models.CASCADE,
        related_name="choices",
        verbose_name=_("question"),
    )
    label = models.CharField(_("choice"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # A photo or drawing of the choice (the lobby's design choices), shown large.
    photo = models.ImageField(
        _("photo or drawing"), upload_to=option_photo_upload_to, blank=True
    )
    created_at = models.DateTimeField(
        _("created at"), default=timezone.now, editable=False
    )

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.label

    @property
    def text(self) -> str:
        """As written (the pages show poll options and choices alike)."""
        return self.label


class ConsultationResponse(models.Model):
    """One resident's answers, or one household's answers taken on a door-to-door visit.

    One answer per household on a visit: a household where someone answered online is
    not entered again at the door, and a household visited answers no more online
    (submit_response checks it under the household's row lock; on PostgreSQL the
    constraint consultation_visit_or_online, migration 0005, holds it as well).
    """

    consultation = models.ForeignKey(
        Consultation,
        on_delete=models.CASCADE,
        related_name="responses",
        verbose_name=_("consultation"),
    )
    household = models.ForeignKey(
        "buildings.Household",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("household"),
    )
    resident = models.ForeignKey(
        "buildings.Resident",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resident"),
        help_text=_("Empty for the answers of a household taken on a visit."),
    )
    # "r:<resident id>" online, "h:<household id>" for a door-to-door visit: one each.
    slot = models.CharField(_("respondent key"), max_length=30, editable=False)
    origin = models.CharField(
        _("how it reached us"), max_length=12, choices=Origin, default=Origin.ONLINE
    )
    entered_by = models.ForeignKey(
        "buildings.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by (volunteer)"),
    )
    created_at = models.DateTimeField(
        _("answered at"), default=timezone.now, editable=False
    )

    class Meta:
        verbose_name = _("consultation response")
        verbose_name_plural = _("consultation responses")
        ordering = [*natural("household__room"), "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "slot"], name="consultation_answer_once"
            )
        ]

    def __str__(self):
        return f"{self.consultation} · {self.household.room}"


class Answer(models.Model):
    response = models.ForeignKey(
        ConsultationResponse,
        on_delete=models.CASCADE,
        related_name="answers",
        verbose_name=_("answer sheet"),
    )
    question = models.ForeignKey(
        Question,
        on_delete=models.CASCADE,
        related_name="answers",
        verbose_name=_("question"),
    )
    choice = models.ForeignKey(
        Choice,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="answers",
        verbose_name=_("choice"),
    )
    text = models.TextField(_("answer"), blank=True, max_length=1000)
    created_at = models.DateTimeField(
        _("created at"), default=timezone.now, editable=False
    )

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["question__position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question", "choice"],
                name="answer_choice_once",
            ),
            models.UniqueConstraint(
                fields=["response", "question"],
                condition=Q(choice__isnull=True),
                name="answer_text_once",
            ),
        ]

    def __str__(self):
        return self.text or str(self.choice)
