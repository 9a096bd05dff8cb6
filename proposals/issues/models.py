"""Issue reports (诉求): a resident raises a problem, the building follows it to a fix.

Anonymous reporters are stored (abuse handling needs it) but never shown in the app:
events and comments written by the reporter of an anonymous issue keep no author at
all (only `by_reporter`), and only Issue.reporter / Issue.entered_by remember who it
was, readable in the admin by staff with `buildings.view_anonymous_reporter`.
"""

import statistics
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def issue_photo_upload_to(instance, filename):
    return f"issues/{uuid.uuid4().hex}.jpg"


def response_deadline_hours() -> int:
    return int(getattr(settings, "LOUZU_ISSUE_RESPONSE_HOURS", 48))


def median_response_hours(waits) -> float | None:
    """The median of times to first response (hours), one decimal: the issue list's
    "usually answered within" and the dashboard's median (of two, their mean)."""
    waits = list(waits)
    return round(statistics.median(waits), 1) if waits else None


class IssueQuerySet(models.QuerySet):
    def in_building(self, building):
        return self.filter(building=building)

    def shown(self):
        """What residents see: not hidden by a leader for abuse."""
        return self.filter(hidden_at__isnull=True)

    def problems(self):
        """One row per problem: not merged into another as a duplicate, not hidden for
        abuse. The base of the dashboard's rates (reported, resolved, satisfied)."""
        return self.filter(merged_into__isnull=True, hidden_at__isnull=True)

    def open(self):
        """Still to be dealt with: not closed, not merged into another, not hidden."""
        return self.exclude(status__in=Issue.CLOSED_STATUSES).filter(
            merged_into__isnull=True, hidden_at__isnull=True
        )

    def overdue(self, now=None):
        """Open issues nobody has answered within LOUZU_ISSUE_RESPONSE_HOURS."""
        now = now or timezone.now()
        limit = now - timedelta(hours=response_deadline_hours())
        return self.open().filter(first_response_at__isnull=True, created_at__lte=limit)

    def answered_in_time(self):
        """Issues whose first response came within LOUZU_ISSUE_RESPONSE_HOURS."""
        deadline = timedelta(hours=response_deadline_hours())
        return self.filter(first_response_at__lte=F("created_at") + deadline)

    def with_support_count(self):
        return self.annotate(support_count=Count("supports", distinct=True))

    def for_list(self):
        """What an issue list shows: counts, and the first photo through a prefetch."""
        return (
            self.with_support_count()
            .select_related("building")
            .prefetch_related(
                models.Prefetch(
                    "photos",
                    queryset=IssuePhoto.objects.filter(
                        kind=IssuePhoto.Kind.BEFORE
                    ).order_by("pk"),
                    to_attr="before_photos",
                )
            )
        )

    def similar_to(self, *, building, category):
        """Open issues of the same kind in the same building: press "me too" instead."""
        return (
            self.in_building(building)
            .open()
            .filter(category=category)
            .with_support_count()
        )


class Issue(models.Model):
    class Category(models.TextChoices):
        FACILITIES = "facilities", _("Public facilities (e.g. the lobby iron door)")
        THROWN_OBJECTS = "thrown_objects", _("Objects thrown from height")
        SANITATION = "sanitation", _("Sanitation and cleanliness")
        CORRIDOR_CLUTTER = "corridor_clutter", _("Clutter in corridors")
        BICYCLES = "bicycles", _("Bicycle and e-bike parking")
        GREENING = "greening", _("Greening")
        SAFETY = "safety", _("Safety hazard")
        NEIGHBOURS = "neighbours", _("Neighbour dispute")
        OTHER = "other", _("Other")

    class Location(models.TextChoices):
        LOBBY = "lobby", _("Lobby")
        CORRIDOR = "corridor", _("Corridor on a floor")
        STAIRWELL = "stairwell", _("Stairwell")
        ROOFTOP = "rooftop", _("Rooftop")
        BIKE_SHED = "bike_shed", _("Bike shed")
        OUTSIDE = "outside", _("Outside the building")
        OTHER = "other", _("Somewhere else")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        DELIBERATING = "deliberating", _("Being discussed")
        IN_PROGRESS = "in_progress", _("In progress")
        RESOLVED = "resolved", _("Resolved")
        DECLINED = "declined", _("Declined")

    class Satisfaction(models.TextChoices):
        NONE = "", _("Not asked yet")
        SATISFIED = "satisfied", _("Fixed, satisfied")
        NOT_SATISFIED = "not_satisfied", _("Not fixed")

    CLOSED_STATUSES = (Status.RESOLVED, Status.DECLINED)

    building = models.ForeignKey(
        "buildings.Building",
        on_delete=models.CASCADE,
        related_name="issues",
        verbose_name=_("building"),
    )
    reporter = models.ForeignKey(
        "buildings.Resident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reported_issues",
        verbose_name=_("reporter"),
        help_text=_("Empty when branch staff filed it themselves."),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
        help_text=_(
            "A leader or staff member who wrote it down for someone else; empty when self-reported."
        ),
    )
    is_anonymous = models.BooleanField(_("anonymous"), default=False)
    category = models.CharField(_("category"), max_length=20, choices=Category)
    title = models.CharField(_("title"), max_length=80)
    text = models.TextField(_("what is wrong"), max_length=2000)
    location = models.CharField(
        _("where in the building"), max_length=20, choices=Location
    )
    floor = models.SmallIntegerField(
        _("floor"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-5), MaxValueValidator(200)],
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status, default=Status.SUBMITTED
    )
    first_response_at = models.DateTimeField(
        _("first response at"), null=True, blank=True
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    escalated_at = models.DateTimeField(
        _("escalated to branch staff at"),
        null=True,
        blank=True,
        help_text=_("Set when the issue went unanswered past the response deadline."),
    )
    satisfaction = models.CharField(
        _("resident's satisfaction"),
        max_length=16,
        choices=Satisfaction,
        default=Satisfaction.NONE,
        blank=True,
    )
    created_at = models.DateTimeField(
        _("reported at"), default=timezone.now, editable=False
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_duplicates",
        verbose_name=_("merged into"),
        help_text=_("Set when a leader merged this duplicate into another report."),
    )
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    hidden_reason = models.CharField(
        _("why it was hidden"),
        max_length=300,
        blank=True,
        help_text=_("Hidden reports are kept for branch staff in the admin."),
    )
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hidden by"),
    )

    objects = IssueQuerySet.as_manager()

    class Meta:
        verbose_name = _("issue report")
        verbose_name_plural = _("issue reports")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["building", "status", "-created_at"],
                name="issue_building_status_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(floor__isnull=True) | Q(floor__gte=-5, floor__lte=200),
                name="issue_floor_sensible",
            ),
            models.CheckConstraint(
                condition=~Q(status="resolved") | Q(resolved_at__isnull=False),
                name="issue_resolved_has_time",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("proposals:issue", args=[self.building_id, self.pk])

    @property
    def is_open(self) -> bool:
        return self.status not in self.CLOSED_STATUSES and self.merged_into_id is None

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_overdue(self) -> bool:
        if not self.is_open or self.first_response_at is not None:
            return False
        return timezone.now() - self.created_at >= timedelta(
            hours=response_deadline_hours()
        )

    @property
    def response_time(self) -> timedelta | None:
        if self.first_response_at is None:
            return None
        return self.first_response_at - self.created_at

    @property
    def response_hours(self) -> float | None:
        """Time to first response in hours, one decimal (what the page shows)."""
        delta = self.response_time
        return None if delta is None else round(delta.total_seconds() / 3600, 1)

    @property
    def place(self) -> str:
        """Where, as residents say it: "5楼走道" or "大堂"."""
        if self.location == self.Location.CORRIDOR and self.floor is not None:
            return _("Corridor, floor %(floor)s") % {"floor": self.floor}
        return self.get_location_display()


class IssueEvent(models.Model):
    """One line of an issue's public timeline: who did what, and why."""

    class Kind(models.TextChoices):
        REPORTED = "reported", _("Reported")
        STATUS = "status", _("Status changed")
        FIXED = "fixed", _("Confirmed fixed")
        NOT_FIXED = "not_fixed", _("Said it is not fixed")
        EDITED = "edited", _("Edited")
        RECATEGORISED = "recategorised", _("Category changed")
        MERGED = "merged", _("Merged into another report")
        MERGED_IN = "merged_in", _("A duplicate was merged in")

    class Role(models.TextChoices):
        REPORTER = "reporter", _("Reporter")
        SUPPORTER = "supporter", _("Neighbour with the same problem")
        RESIDENT = "resident", _("Resident")
        TEAM = "team", _("Self-governance team")
        LEADER = "leader", _("Building leader")
        STAFF = "staff", _("Branch staff")

    issue = models.ForeignKey(
        Issue, on_delete=models.CASCADE, related_name="events", verbose_name=_("issue")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind)
    from_status = models.CharField(
        _("from"), max_length=16, choices=Issue.Status, blank=True
    )
    to_status = models.CharField(
        _("to"), max_length=16, choices=Issue.Status, blank=True
    )
    # A change of category keeps both as choices, so each reader sees them in their
    # own language (not in the words of the leader who changed it).
    from_category = models.CharField(
        _("from category"), max_length=20, choices=Issue.Category, blank=True
    )
    to_category = models.CharField(
        _("to category"), max_length=20, choices=Issue.Category, blank=True
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
        help_text=_("Empty when the reporter of an anonymous issue acted."),
    )
    actor_name = models.CharField(_("name shown"), max_length=40, blank=True)
    actor_role = models.CharField(_("acting as"), max_length=16, choices=Role)
    reason = models.TextField(_("reason"), max_length=1000, blank=True)
    on_behalf = models.BooleanField(_("entered for a resident"), default=False)
    created_at = models.DateTimeField(_("when"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("issue timeline event")
        verbose_name_plural = _("issue timeline events")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.issue_id} {self.kind} {self.to_status}"

    @property
    def is_backward(self) -> bool:
        from proposals.issues.transitions import is_backward

        return self.kind == self.Kind.STATUS and is_backward(
            self.from_status, self.to_status
        )


class IssueSupport(models.Model):
    """我也遇到: one per resident and issue."""

    issue = models.ForeignKey(
        Issue,
        on_delete=models.CASCADE,
        related_name="supports",
        verbose_name=_("issue"),
    )
    resident = models.ForeignKey(
        "buildings.Resident",
        on_delete=models.CASCADE,
        related_name="issue_supports",
        verbose_name=_("resident"),
    )
    created_at = models.DateTimeField(
        _("created at"), default=timezone.now, editable=False
    )

    class Meta:
        verbose_name = _("me too")
        verbose_name_plural = _("me too")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "resident"], name="issue_support_once_per_resident"
            )
        ]

    def __str__(self):
        return f"{self.resident.name} → {self.issue.title}"


class IssuePhoto(models.Model):
    class Kind(models.TextChoices):
        BEFORE = "before", _("Before")
        AFTER = "after", _("After")

    MAX_PER_KIND = 4

    issue = models.ForeignKey(
        Issue, on_delete=models.CASCADE, related_name="photos", verbose_name=_("issue")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind, default=Kind.BEFORE)
    image = models.ImageField(_("photo"), upload_to=issue_photo_upload_to)
    created_at = models.DateTimeField(
        _("created at"), default=timezone.now, editable=False
    )

    class Meta:
        verbose_name = _("issue photo")
        verbose_name_plural = _("issue photos")
        ordering = ["kind", "pk"]

    def __str__(self):
        return f"{self.issue_id} {self.kind}"


class IssueComment(models.Model):
    """A public reply on an issue's timeline (one level of replies)."""

    issue = models.ForeignKey(
        Issue,
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("issue"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
        help_text=_("Empty when the reporter of an anonymous issue wrote it."),
    )
    author_name = models.CharField(_("name shown"), max_length=40, blank=True)
    author_role = models.CharField(
        _("writing as"), max_length=16, choices=IssueEvent.Role
    )
    reply_to = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("reply to"),
    )
    text = models.TextField(_("comment"), max_length=1000)
    created_at = models.DateTimeField(
        _("written at"), default=timezone.now, editable=False
    )

    class Meta:
        verbose_name = _("issue comment")
        verbose_name_plural = _("issue comments")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.text[:40]


class IssueReporterLook(models.Model):
    """Audit trail: a staff member looked at who filed an anonymous report."""

    issue = models.ForeignKey(
        Issue,
        on_delete=models.CASCADE,
        related_name="reporter_looks",
        verbose_name=_("issue"),
    )
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("looked by"),
    )
    created_at = models.DateTimeField(
        _("looked at"), default=timezone.now, editable=False
    )

    class Meta:
        verbose_name = _("look at an anonymous reporter")
        verbose_name_plural = _("looks at anonymous reporters")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.viewer_id} → {self.issue_id}"
