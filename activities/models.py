import uuid
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buildings.models import Building, Cancellable, Community, Household, Resident, User


def activity_cover_upload_to(instance, filename):
    return f"activities/{uuid.uuid4().hex}.jpg"


def recap_photo_upload_to(instance, filename):
    return f"activities/recap/{uuid.uuid4().hex}.jpg"


def to_hours(duration: timedelta | None) -> Decimal:
    """A duration as hours with one decimal place (ROUND_HALF_UP)."""
    if not duration:
        return Decimal("0.0")
    hours = Decimal(int(duration.total_seconds())) / Decimal(3600)
    return hours.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


PARTY = F("adults") + F("children")


def free_places(capacity: int, confirmed_people: int, waiting: int) -> int:
    """The places a new sign-up can take: none while anyone waits (the seats free are
    kept for the waiting list: nobody jumps the queue), else those not confirmed. The
    one rule of the activity's page (`Activity.places_left`) and of `sign_up`."""
    if waiting:
        return 0
    return max(capacity - confirmed_people, 0)


class ActivityQuerySet(models.QuerySet):
    def visible_in(self, building: Building):
        """What residents of the building see: their building's and community-wide ones."""
        return self.filter(
            Q(building=building)
            | Q(community_id=building.community_id, building__isnull=True)
        )

    def upcoming(self):
        return self.filter(ends_at__gte=timezone.now()).order_by("starts_at", "pk")

    def past(self):
        return self.filter(ends_at__lt=timezone.now()).order_by("-starts_at", "-pk")

    def held(self, now=None):
        """Activities that took place: over, and not called off (a cancelled one stays
        in the past list, marked, but was never held)."""
        return self.filter(ends_at__lt=now or timezone.now(), cancelled_at__isnull=True)

    def with_counts(self):
        """Confirmed people (party sizes), and waiting registrations."""
        return self.annotate(
            confirmed_people=Coalesce(
                Sum(
                    F("registrations__adults") + F("registrations__children"),
                    filter=Q(registrations__status=Registration.Status.CONFIRMED),
                ),
                0,
            ),
            waitlisted_count=Count(
                "registrations",
                filter=Q(registrations__status=Registration.Status.WAITLISTED),
            ),
        )


class Activity(Cancellable):
    """Something the building (or the whole community) does together."""

    class Kind(models.TextChoices):
        PARENT_CHILD = "parent_child", _("Parent-child activity")
        FLOWER_LECTURE = "flower_lecture", _("Flower lecture")
        GARDEN_WORKDAY = "garden_workday", _("Garden workday")
        CLEAN_UP = "clean_up", _("Clean-up")
        OTHER = "other", _("Other")

    community = models.ForeignKey(
        Community,
        on_delete=models.CASCADE,
        related_name="activities",
        verbose_name=_("community"),
    )
    building = models.ForeignKey(
        Building,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("building"),
        help_text=_("Empty for an activity for the whole community."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.OTHER)
    title = models.CharField(_("title"), max_length=80)
    text = models.TextField(_("what we will do"), max_length=3000, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=100)
    capacity = models.PositiveIntegerField(_("capacity (people)"))
    signup_deadline = models.DateTimeField(_("sign-up deadline"))
    organiser = models.ForeignKey(
        Resident,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organised_activities",
        verbose_name=_("organiser"),
    )
    cover = models.ImageField(
        _("cover photo"), upload_to=activity_cover_upload_to, blank=True
    )
    max_adults_per_household = models.PositiveSmallIntegerField(
        _("adults per household (at most)"), null=True, blank=True
    )
    max_children_per_household = models.PositiveSmallIntegerField(
        _("children per household (at most)"), null=True, blank=True
    )
    counts_as_volunteering = models.BooleanField(
        _("counts as volunteering"),
        default=False,
        help_text=_(
            "Those checked in earn volunteer hours (for example a garden workday)."
        ),
    )
    recap = models.TextField(_("recap"), max_length=3000, blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(
        _("created at"), default=timezone.now, editable=False
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=1), name="activity_capacity_positive"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="activity_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(signup_deadline__lte=F("starts_at")),
                name="activity_deadline_before_start",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        if self.building_id is None:
            return reverse(
                "activities:community-detail", args=[self.community_id, self.pk]
            )
        return reverse("activities:detail", args=[self.building_id, self.pk])

    def url_in(self, building_id: int) -> str:
        """The activity's page as seen from one building (community-wide ones have many)."""
        return reverse("activities:detail", args=[building_id, self.pk])

    @property
    def is_community_wide(self) -> bool:
        return self.building_id is None

    @property
    def has_quota(self) -> bool:
        return (
            self.max_adults_per_household is not None
            or self.max_children_per_household is not None
        )

    @property
    def places_left(self) -> int:
        """Places a new sign-up can take now (needs `with_counts()`); none once called off."""
        if self.is_cancelled:
            return 0
        return free_places(self.capacity, self.confirmed_people, self.waitlisted_count)

    @property
    def duration(self) -> timedelta:
        return self.ends_at - self.starts_at

    @property
    def hours(self) -> Decimal:
        return to_hours(self.duration)

    def signup_open(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.cancelled_at is None
            and now < self.signup_deadline
            and now < self.starts_at
        )

    def has_started(self, now=None) -> bool:
        return (now or timezone.now()) >= self.starts_at


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(
            status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITLISTED]
        )

    def confirmed(self):
        return self.filter(status=Registration.Status.CONFIRMED)

    def attended(self):
        """Confirmed registrations whose party was checked in at the activity (never
        one called off: its sign-ups stay confirmed, but it did not take place)."""
        return self.confirmed().filter(
            attendance=Registration.Attendance.CHECKED_IN,
            activity__cancelled_at__isnull=True,
        )

    def took_part(self, now=None):
        """Check-ins at activities held (over, and not called off): what the dashboard
        counts as taking part, and volunteer hours as given. A check-in at an activity
        still under way counts once it is over."""
        return self.attended().filter(activity__ends_at__lt=now or timezone.now())

    def waitlisted(self):
        """The waiting list, in order: registrations are created under the activity's lock."""
        return self.filter(status=Registration.Status.WAITLISTED).order_by("pk")

    def confirmed_people(self) -> int:
        return self.confirmed().aggregate(n=Coalesce(Sum(PARTY), 0))["n"]


class Registration(models.Model):
    """One resident's sign-up, with the people they bring (party size)."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    class Attendance(models.TextChoices):
        UNKNOWN = "unknown", _("Not yet checked in")
        CHECKED_IN = "checked_in", _("Checked in")
        NO_SHOW = "no_show", _("Did not come")

    activity = models.ForeignKey(
        Activity,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("activity"),
    )
    resident = models.ForeignKey(
        Resident,
        on_delete=models.PROTECT,
        related_name="registrations",
        verbose_name=_("resident"),
    )
    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        related_name="registrations",
        verbose_name=_("household"),
    )
    adults = models.PositiveSmallIntegerField(_("adults"), default=1)
    children = models.PositiveSmallIntegerField(_("children"), default=0)
    status = models.CharField(_("status"), max_length=12, choices=Status)
    attendance = models.CharField(
        _("attendance"), max_length=12, choices=Attendance, default=Attendance.UNKNOWN
    )
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    registered_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    created_at = models.DateTimeField(
        _("signed up at"), default=timezone.now, editable=False
    )

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "resident"],
                condition=Q(status__in=["confirmed", "waitlisted"]),
                name="one_active_registration_per_resident",
            ),
            models.CheckConstraint(
                condition=Q(adults__gte=0)
                & Q(children__gte=0)
                & Q(adults__lte=20)
                & Q(children__lte=20),
                name="registration_party_bounds",
            ),
            models.CheckConstraint(
                condition=Q(adults__gt=0) | Q(children__gt=0),
                name="registration_party_not_empty",
            ),
        ]
        indexes = [
            models.Index(
                fields=["activity", "status"], name="registration_activity_status"
            )
        ]

    def __str__(self):
        return f"{self.resident.name} · {self.activity.title}"

    @property
    def party_size(self) -> int:
        return self.adults + self.children

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.CONFIRMED, self.Status.WAITLISTED)


class RecapPhoto(models.Model):
    activity = models.ForeignKey(
        Activity,
        on_delete=models.CASCADE,
        related_name="photos",
        verbose_name=_("activity"),
    )
    image = models.ImageField(_("photo"), upload_to=recap_photo_upload_to)
    caption = models.CharField(_("caption"), max_length=100, blank=True)
    uploaded_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(
        _("created at"), default=timezone.now, editable=False
    )

    class Meta:
        verbose_name = _("recap photo")
        verbose_name_plural = _("recap photos")
        ordering = ["pk"]

    def __str__(self):
        return self.caption or self.image.name


class Task(models.Model):
    """Recurring volunteer work of one building (watering the one-foot garden, the lobby rota)."""

    class Kind(models.TextChoices):
        GARDEN = "garden", _("One-foot garden (一尺花园)")
        LOBBY = "lobby", _("Lobby and corridors")
        ELDERLY = "elderly", _("Visiting elderly neighbours")
        OTHER = "other", _("Other")

    building = models.ForeignKey(
        Building,
        on_delete=models.CASCADE,
        related_name="tasks",
        verbose_name=_("building"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind, default=Kind.OTHER)
    title = models.CharField(_("title"), max_length=80)
    description = models.TextField(_("what to do"), max_length=2000, blank=True)
    place = models.CharField(_("place"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(
        _("created at"), default=timezone.now, editable=False
    )

    class Meta:
        verbose_name = _("volunteer task")
        verbose_name_plural = _("volunteer tasks")
        ordering = ["title", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("activities:task", args=[self.building_id, self.pk])


class ShiftQuerySet(models.QuerySet):
    def done(self):
        return self.filter(done_at__isnull=False)

    def open(self):
        return self.filter(volunteer__isnull=True, done_at__isnull=True)

    def upcoming(self):
        return self.filter(ends_at__gte=timezone.now())

    def with_duration(self):
        return self.annotate(
            duration=ExpressionWrapper(
                F("ends_at") - F("starts_at"), output_field=DurationField()
            )
        )


class Shift(models.Model):
    """One turn of a task; a resident raises a hand to claim it."""

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="shifts", verbose_name=_("task")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    volunteer = models.ForeignKey(
        Resident,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="shifts",
        verbose_name=_("volunteer"),
    )
    swap_wanted = models.BooleanField(_("looking for a swap"), default=False)
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    done_at = models.DateTimeField(_("marked done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("marked done by"),
    )
    created_at = models.DateTimeField(
        _("created at"), default=timezone.now, editable=False
    )

    objects = ShiftQuerySet.as_manager()

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="shift_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(done_at__isnull=True) | Q(volunteer__isnull=False),
                name="shift_done_has_volunteer",
            ),
        ]

    def __str__(self):
        return f"{self.task.title} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return self.task.get_absolute_url()

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def hours(self) -> Decimal:
        return to_hours(self.ends_at - self.starts_at)
