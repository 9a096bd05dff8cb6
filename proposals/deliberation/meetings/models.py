"""Council meetings (议事会): agenda, sign-in sheet, minutes and follow-up tasks."""

import uuid

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buildings.models import Cancellable
from buildings.rooms import natural
from proposals.deliberation.proposals.models import Proposal


def meeting_photo_upload_to(instance, filename):
    return f"meetings/{uuid.uuid4().hex}.jpg"


class MeetingQuerySet(models.QuerySet):
    def upcoming(self):
        return self.filter(starts_at__gte=timezone.now()).order_by("starts_at")

    def past(self):
        return self.filter(starts_at__lt=timezone.now()).order_by("-starts_at")


class Meeting(Cancellable):
    building = models.ForeignKey(
        "buildings.Building",
        on_delete=models.CASCADE,
        related_name="meetings",
        verbose_name=_("building"),
    )
    title = models.CharField(_("title"), max_length=120)
    starts_at = models.DateTimeField(_("when"))
    place = models.CharField(_("where"), max_length=120)
    agenda = models.ManyToManyField(
        Proposal,
        blank=True,
        related_name="meetings",
        verbose_name=_("proposals on the agenda"),
    )
    agenda_notes = models.TextField(
        _("other agenda items"), blank=True, max_length=3000
    )
    minutes = models.TextField(_("minutes"), blank=True, max_length=20000)
    decisions = models.TextField(_("decisions taken"), blank=True, max_length=5000)
    photo = models.ImageField(_("photo"), upload_to=meeting_photo_upload_to, blank=True)
    created_by = models.ForeignKey(
        "buildings.User",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organised by"),
    )
    created_at = models.DateTimeField(
        _("created at"), default=timezone.now, editable=False
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("council meeting")
        verbose_name_plural = _("council meetings")
        ordering = ["-starts_at"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("proposals:meeting", args=[self.building_id, self.pk])

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()


class MeetingAttendance(models.Model):
    """One line of the sign-in sheet: a resident of the building, or branch staff."""

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("meeting"),
    )
    resident = models.ForeignKey(
        "buildings.Resident",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resident"),
    )
    staff = models.ForeignKey(
        "buildings.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("branch staff"),
        help_text=_("Branch staff who came to the meeting (instead of a resident)."),
    )
    recorded_by = models.ForeignKey(
        "buildings.User",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(
        _("signed in at"), default=timezone.now, editable=False
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = [
            *natural("resident__household__room"),
            "resident__name",
            "staff__name",
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "resident"], name="attendance_once_per_meeting"
            ),
            models.UniqueConstraint(
                fields=["meeting", "staff"], name="staff_attendance_once_per_meeting"
            ),
            models.CheckConstraint(
                condition=Q(resident__isnull=False, staff__isnull=True)
                | Q(resident__isnull=True, staff__isnull=False),
                name="attendance_is_resident_or_staff",
            ),
        ]

    def __str__(self):
        return f"{self.meeting} · {self.attendee_name}"

    @property
    def attendee_name(self) -> str:
        return self.resident.name if self.resident_id else self.staff.name


class MeetingTaskQuerySet(models.QuerySet):
    def open(self):
        return self.filter(done_at__isnull=True)


class MeetingTask(models.Model):
    """A follow-up from a meeting, with an owner, tracked until done."""

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        related_name="tasks",
        verbose_name=_("meeting"),
    )
    title = models.CharField(_("what"), max_length=200)
    owner = models.ForeignKey(
        "buildings.Resident",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        "buildings.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("marked done by"),
    )
    created_at = models.DateTimeField(
        _("created at"), default=timezone.now, editable=False
    )

    objects = MeetingTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up task")
        verbose_name_plural = _("follow-up tasks")
        ordering = ["done_at", "due_on", "created_at"]

    def __str__(self):
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def is_overdue(self) -> bool:
        return (
            not self.is_done
            and self.due_on is not None
            and self.due_on < timezone.localdate()
        )
