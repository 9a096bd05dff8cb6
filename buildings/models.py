"""Who lives where: accounts, communities, buildings, households, memberships (Resident),
announcements, notifications, proxy acts and talents, each with its QuerySet.

Longer than 500 lines because these are one domain whose models refer to each other at
every step (a membership joins a person, a household and a building); one module keeps
their QuerySets and constraints side by side.
"""

import uuid

from django.conf import settings
from django.contrib.auth.models import (
    AbstractBaseUser,
    BaseUserManager,
    PermissionsMixin,
)
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buildings import wording
from buildings.phones import mask_phone, validate_mobile
from buildings.rooms import natural


def avatar_upload_to(instance, filename):
    return f"avatars/{uuid.uuid4().hex}.jpg"


def cover_upload_to(instance, filename):
    return f"covers/{uuid.uuid4().hex}.jpg"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, phone, password=None, **extra_fields):
        if not phone:
            raise ValueError("A phone number is required.")
        user = self.model(phone=phone, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, phone, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self.create_user(phone, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in, by mobile phone number. Residency lives on Resident."""

    phone = models.CharField(
        _("mobile phone"), max_length=11, unique=True, validators=[validate_mobile]
    )
    name = models.CharField(_("name"), max_length=40)
    avatar = models.ImageField(_("avatar"), upload_to=avatar_upload_to, blank=True)
    is_staff = models.BooleanField(
        _("branch staff"),
        default=False,
        help_text=_("Party branch or residents' committee staff: may use the admin."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(
        _("joined at"), default=timezone.now, editable=False
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("Of text messages; set when the person switches language."),
    )
    large_text = models.BooleanField(
        _("large text"),
        default=False,
        help_text=_("Larger letters and buttons on every page (适老化)."),
    )

    objects = UserManager()

    USERNAME_FIELD = "phone"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        permissions = [
            ("view_anonymous_reporter", _("Can see who filed an anonymous report")),
        ]

    def __str__(self):
        return f"{self.name} ({mask_phone(self.phone)})"

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class Town(models.Model):
    """A town or sub-district (街镇, e.g. 罗店镇): the level above communities, with its
    own staff who see its communities side by side."""

    name = models.CharField(_("name"), max_length=60)
    district = models.CharField(_("district"), max_length=60, blank=True)
    created_at = models.DateTimeField(
        _("created at"), default=timezone.now, editable=False
    )

    class Meta:
        verbose_name = _("town")
        verbose_name_plural = _("towns")
        ordering = ["district", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "name"], name="town_name_unique_in_district"
            )
        ]

    def __str__(self):
        return self.name


class Community(models.Model):
    name = models.CharField(_("name"), max_length=60)
    town = models.ForeignKey(
        Town,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="communities",
        verbose_name=_("town / sub-district"),
    )
    district = models.CharField(_("district"), max_length=60, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    created_at = models.DateTimeField(
        _("created at"), default=timezone.now, editable=False
    )

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("buildings:community", args=[self.pk])


class BuildingQuerySet(models.QuerySet):
    def in_natural_order(self):
        """3, 5, 8, 12, 16 within each community (also after with_counts(), whose
        GROUP BY drops the default ordering)."""
        return self.order_by("community__name", "community_id", *natural("number"))

    def with_counts(self):
        """Households, and households with at least one approved resident (joined)."""
        return self.annotate(
            household_count=Count("households", distinct=True),
            joined_count=Count(
                "households",
                filter=Q(households__residents__status="approved"),
                distinct=True,
            ),
        )


class Building(models.Model):
    community = models.ForeignKey(
        Community,
        on_delete=models.PROTECT,
        related_name="buildings",
        verbose_name=_("community"),
    )
    number = models.CharField(
        _("building number"), max_length=20, help_text=_("For example 8号楼.")
    )
    name = models.CharField(
        _("chosen name"),
        max_length=40,
        blank=True,
        help_text=_("The name residents chose for their building group."),
    )
    is_pilot = models.BooleanField(_("pilot building"), default=False)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    cover = models.ImageField(_("cover photo"), upload_to=cover_upload_to, blank=True)
    created_at = models.DateTimeField(
        _("created at"), default=timezone.now, editable=False
    )

    objects = BuildingQuerySet.as_manager()

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["community", *natural("number")]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "number"],
                name="building_number_unique_in_community",
            )
        ]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("buildings:detail", args=[self.pk])

    @property
    def display_name(self) -> str:
        return f"{self.number} · {self.name}" if self.name else self.number


class Household(models.Model):
    building = models.ForeignKey(
        Building,
        on_delete=models.CASCADE,
        related_name="households",
        verbose_name=_("building"),
    )
    room = models.CharField(_("room"), max_length=20, help_text=_("For example 302."))
    created_at = models.DateTimeField(
        _("created at"), default=timezone.now, editable=False
    )

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["building", *natural("room")]
        constraints = [
            models.UniqueConstraint(
                fields=["building", "room"], name="household_room_unique_in_building"
            )
        ]

    def __str__(self):
        return _("%(building)s, room %(room)s") % {
            "building": self.building.number,
            "room": self.room,
        }

    @property
    def masked_room(self) -> str:
        """3*2: enough for neighbours to see a household took part, not which one."""
        room = self.room
        if len(room) <= 2:
            return room[0] + "*"
        return room[0] + "*" * (len(room) - 2) + room[-1]


class ResidentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Resident.Status.APPROVED)

    def pending(self):
        return self.filter(status=Resident.Status.PENDING)

    def in_building(self, building):
        return self.filter(household__building=building)

    def bulk_create(self, objs, *args, **kwargs):
        """Fill each membership's building from its household, as save() does."""
        objs = list(objs)
        for resident in objs:
            if resident.building_id is None:
                resident.building_id = resident.household.building_id
        return super().bulk_create(objs, *args, **kwargs)

    def leaders(self):
        return self.approved().filter(role=Resident.Role.LEADER)

    def team(self):
        return self.approved().filter(
            role__in=[Resident.Role.TEAM, Resident.Role.LEADER]
        )


class Resident(models.Model):
    """Membership of one person in one household; carries the role in the building."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Not approved")
        LEFT = "left", _("Left")

    class Role(models.TextChoices):
        RESIDENT = "resident", _("Resident")
        TEAM = "team", _("Self-governance team")
        LEADER = "leader", _("Building leader")

    class PublicDisplay(models.TextChoices):
        """How a resident wants to appear on public lists (the same values as the fund's)."""

        NAME = "name", _("My real name")
        ROOM = "room", _("Only my room (某室)")
        ANONYMOUS = "anonymous", _("Anonymous")

    class Visibility(models.TextChoices):
        BUILDING = "building", _("My building")
        COMMUNITY = "community", _("The whole community")
        STAFF = "staff", _("Branch staff only")

    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("user"),
        help_text=_(
            "Empty for a resident without a smartphone, registered by a leader."
        ),
    )
    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        related_name="residents",
        verbose_name=_("household"),
    )
    # The household's building, copied on save so the database itself can hold one
    # active membership per person and building (one_active_membership_per_building).
    building = models.ForeignKey(
        Building,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("building"),
    )
    name = models.CharField(_("real name"), max_length=40)
    contact_phone = models.CharField(
        _("contact phone"),
        max_length=20,
        blank=True,
        help_text=_("Only for residents without an account."),
    )
    is_adult = models.BooleanField(_("adult"), default=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.PENDING
    )
    role = models.CharField(
        _("role"), max_length=10, choices=Role, default=Role.RESIDENT
    )
    decided_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reject_reason = models.CharField(_("reason"), max_length=200, blank=True)
    registered_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by (代录)"),
    )
    is_party_member = models.BooleanField(_("party member"), default=False)
    shows_party_badge = models.BooleanField(_("shows party badge"), default=False)
    talent_visibility = models.CharField(
        _("who may see my skills"),
        max_length=10,
        choices=Visibility,
        default=Visibility.BUILDING,
    )
    public_display = models.CharField(
        _("how I appear on public lists"),
        max_length=10,
        choices=PublicDisplay,
        blank=True,
        help_text=_("For example the fund's list of donations. Empty: no preference."),
    )
    created_at = models.DateTimeField(
        _("asked at"), default=timezone.now, editable=False
    )

    objects = ResidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        ordering = [*natural("household__room"), "name"]
        constraints = [
            # One active membership per person and building (a person may belong to
            # several buildings: a leader of two, staff who also live in one).
            # request_to_join checks it first under a lock on the user, to answer
            # with a message; the constraint holds against every other way in.
            models.UniqueConstraint(
                fields=["user", "household"],
                condition=Q(status__in=["pending", "approved"]),
                name="one_active_membership_per_household",
            ),
            models.UniqueConstraint(
                fields=["user", "building"],
                condition=Q(status__in=["pending", "approved"]),
                name="one_active_membership_per_building",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(registered_by__isnull=False),
                name="resident_without_account_has_registrar",
            ),
        ]

    def __str__(self):
        return f"{self.name} · {self.household}"

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if self.household_id and (
            update_fields is None or "household" in update_fields
        ):
            self.building_id = self.household.building_id
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "building"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("buildings:resident", args=[self.household.building_id, self.pk])

    def clean(self):
        """A second active membership in one building is refused with a message
        (the admin's form cannot check the constraint: the building is not a field)."""
        super().clean()
        if not self.household_id or self.user_id is None:
            return
        if self.status not in (self.Status.PENDING, self.Status.APPROVED):
            return
        others = (
            Resident.objects.filter(
                user_id=self.user_id,
                household__building_id=self.household.building_id,
                status__in=[self.Status.PENDING, self.Status.APPROVED],
            )
            .exclude(pk=self.pk)
            .exclude(household_id=self.household_id)
        )  # the same household: the constraint Django checks itself
        if others.exists():
            raise ValidationError(
                _(
                    "This person already belongs to or asked to join this building; "
                    "one membership per building."
                )
            )

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def is_proxy(self) -> bool:
        """A resident without an account, whose leader acts for them (代录)."""
        return self.user_id is None

    @property
    def shows_badge(self) -> bool:
        return self.is_party_member and self.shows_party_badge


class StaffPostQuerySet(models.QuerySet):
    def community_ids_for(self, user) -> set[int]:
        """The communities a staff member is responsible for: those of their posts, and
        every community of the towns of their town posts (one query)."""
        return set(
            Community.objects.filter(
                Q(staff_posts__user=user) | Q(town__staff_posts__user=user)
            ).values_list("pk", flat=True)
        )


class StaffPost(models.Model):
    """Branch staff (党支部 / 居委) of one community, or town staff (街镇) of one town.

    Staff see and act only where they hold a post; a superuser operates the whole site.
    """

    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="staff_posts",
        verbose_name=_("staff member"),
    )
    community = models.ForeignKey(
        Community,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="staff_posts",
        verbose_name=_("community"),
    )
    town = models.ForeignKey(
        Town,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="staff_posts",
        verbose_name=_("town / sub-district"),
        help_text=_("Town staff see every community of the town."),
    )
    created_at = models.DateTimeField(
        _("created at"), default=timezone.now, editable=False
    )

    objects = StaffPostQuerySet.as_manager()

    class Meta:
        verbose_name = _("staff post")
        verbose_name_plural = _("staff posts")
        ordering = ["user", "town", "community"]
        constraints = [
            models.CheckConstraint(
                condition=Q(community__isnull=True, town__isnull=False)
                | Q(community__isnull=False, town__isnull=True),
                name="staff_post_community_or_town",
            ),
            models.UniqueConstraint(
                fields=["user", "community"], name="staff_post_once_per_community"
            ),
            models.UniqueConstraint(
                fields=["user", "town"], name="staff_post_once_per_town"
            ),
        ]

    def __str__(self):
        return f"{self.user.name} · {self.community or self.town}"


class Skill(models.Model):
    name = models.CharField(_("skill"), max_length=40, unique=True)
    created_at = models.DateTimeField(
        _("created at"), default=timezone.now, editable=False
    )

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["name"]

    def __str__(self):
        return self.name


class TalentQuerySet(models.QuerySet):
    def visible_in_building(self, building, include_staff_only=False):
        """Talents the building may see; staff also see those shown to staff only."""
        audiences = [Resident.Visibility.BUILDING, Resident.Visibility.COMMUNITY]
        if include_staff_only:
            audiences.append(Resident.Visibility.STAFF)
        return self.filter(
            resident__household__building=building,
            resident__status=Resident.Status.APPROVED,
            resident__talent_visibility__in=audiences,
        ).select_related("resident", "skill")

    def visible_in_community(self, community):
        return self.filter(
            resident__household__building__community=community,
            resident__status=Resident.Status.APPROVED,
            resident__talent_visibility=Resident.Visibility.COMMUNITY,
        ).select_related("resident__household__building", "skill")


class Talent(models.Model):
    """A resident's skill and what they offer with it (达人 / 能人)."""

    resident = models.ForeignKey(
        Resident,
        on_delete=models.CASCADE,
        related_name="talents",
        verbose_name=_("resident"),
    )
    skill = models.ForeignKey(
        Skill, on_delete=models.PROTECT, related_name="talents", verbose_name=_("skill")
    )
    offer = models.CharField(_("what I offer"), max_length=200, blank=True)
    created_at = models.DateTimeField(
        _("created at"), default=timezone.now, editable=False
    )

    objects = TalentQuerySet.as_manager()

    class Meta:
        verbose_name = _("talent")
        verbose_name_plural = _("talents")
        ordering = ["skill__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "skill"], name="talent_unique_skill"
            )
        ]

    def __str__(self):
        return f"{self.resident.name}: {self.skill.name}"


class Cancellable(models.Model):
    """Something a leader may call off with a reason: it stays, marked, with the reason."""

    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(
        _("why it was cancelled"), max_length=300, blank=True
    )

    class Meta:
        abstract = True

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class ChangeNoteQuerySet(models.QuerySet):
    def about(self, obj):
        """The notes of one object, oldest first (one query)."""
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        ).select_related("by")


class ChangeNote(models.Model):
    """A visible line in an item's history: "changed on … by …: reason" (buildings.changes)."""

    class Action(models.TextChoices):
        EDITED = "edited", _("Changed")
        CANCELLED = "cancelled", _("Cancelled")
        HIDDEN = "hidden", _("Hidden")
        MERGED = "merged", _("Merged")
        RECATEGORISED = "recategorised", _("Category changed")

    building = models.ForeignKey(
        "Building",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="change_notes",
        verbose_name=_("building"),
    )
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField()
    action = models.CharField(_("what"), max_length=16, choices=Action)
    reason = models.CharField(_("reason"), max_length=300)
    by = models.ForeignKey(
        "User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now, editable=False)

    objects = ChangeNoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("change note")
        verbose_name_plural = _("change notes")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.action}: {self.reason[:40]}"


class TalentInvitation(models.Model):
    """A leader asks a resident to be listed as a talent (达人 / 能人) for a skill.

    Nothing is shown until the resident accepts on their own page: accepting makes the
    Talent row, shown to the audience the resident chose for their skills.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for their answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    resident = models.ForeignKey(
        Resident,
        on_delete=models.CASCADE,
        related_name="talent_invitations",
        verbose_name=_("resident"),
    )
    skill = models.ForeignKey(
        Skill, on_delete=models.PROTECT, related_name="+", verbose_name=_("skill")
    )
    offer = models.CharField(_("what they would offer"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.PENDING
    )
    proposed_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    created_at = models.DateTimeField(
        _("proposed at"), default=timezone.now, editable=False
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("talent invitation")
        verbose_name_plural = _("talent invitations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "skill"],
                condition=Q(status="pending"),
                name="talent_invitation_pending_once",
            )
        ]

    def __str__(self):
        return f"{self.resident.name}: {self.skill.name}"


class TeamEvent(models.Model):
    """One line of a building's visible history of roles, talents and party badges."""

    class Kind(models.TextChoices):
        APPOINTED = "appointed", _("Appointed to the team")
        REMOVED = "removed", _("Removed from the team")
        TALENT_PROPOSED = "talent_proposed", _("Asked to be a talent")
        TALENT_ACCEPTED = "talent_accepted", _("Accepted to be a talent")
        TALENT_DECLINED = "talent_declined", _("Declined to be a talent")
        TALENT_WITHDRAWN = "talent_withdrawn", _("Talent invitation withdrawn")
        BADGE_SHOWN = "badge_shown", _("Shows their party badge")
        BADGE_HIDDEN = "badge_hidden", _("Hides their party badge")

    building = models.ForeignKey(
        Building,
        on_delete=models.CASCADE,
        related_name="team_events",
        verbose_name=_("building"),
    )
    resident = models.ForeignKey(
        Resident,
        on_delete=models.CASCADE,
        related_name="team_events",
        verbose_name=_("resident"),
    )
    kind = models.CharField(_("what happened"), max_length=20, choices=Kind)
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    actor = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("done by"),
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("team history entry")
        verbose_name_plural = _("team history")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["building", "-created_at"], name="team_event_building_time"
            )
        ]

    def __str__(self):
        return f"{self.resident.name}: {self.get_kind_display()}"


class AnnouncementQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__lte=timezone.now())

    def community_wide(self, community):
        return self.published().filter(community=community, building__isnull=True)

    def for_building(self, building):
        """The building's own and its community's announcements, pinned first."""
        return (
            self.published()
            .filter(
                Q(building=building)
                | Q(community_id=building.community_id, building__isnull=True)
            )
            .select_related("building", "community")
        )


class Announcement(Cancellable):
    community = models.ForeignKey(
        Community,
        on_delete=models.CASCADE,
        related_name="announcements",
        verbose_name=_("community"),
    )
    building = models.ForeignKey(
        Building,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="announcements",
        verbose_name=_("building"),
        help_text=_("Empty for a community-wide announcement."),
    )
    title = models.CharField(_("title"), max_length=80)
    body = models.TextField(_("text"), max_length=5000)
    pinned = models.BooleanField(_("pinned"), default=False)
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    author = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(
        _("created at"), default=timezone.now, editable=False
    )

    objects = AnnouncementQuerySet.as_manager()

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-pinned", "-published_at"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("buildings:announcement", args=[self.pk])

    @property
    def is_community_wide(self) -> bool:
        return self.building_id is None


class ProxyAct(models.Model):
    """Something a leader did for a resident without a smartphone (代录)."""

    resident = models.ForeignKey(
        Resident,
        on_delete=models.CASCADE,
        related_name="proxy_acts",
        verbose_name=_("resident"),
    )
    actor = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("done by")
    )
    # As written in the actor's language; `message` keeps its words for every reader.
    action = models.CharField(_("what was done"), max_length=200)
    message = models.JSONField(
        _("message id and values"), null=True, blank=True, editable=False
    )
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(
        _("done at"), default=timezone.now, editable=False
    )

    class Meta:
        verbose_name = _("act on behalf (代录)")
        verbose_name_plural = _("acts on behalf (代录)")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.actor.name} → {self.resident.name}: {self.said}"

    @property
    def said(self) -> str:
        """What was done, in the active language (older rows: as they were written)."""
        if not self.message:
            return self.action
        return wording.render(self.message)[:200]


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """Generic in-app message; any app may create one (see buildings.notify)."""

    recipient = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=40)
    # As written in the sender's language; `message` keeps its words for every reader.
    text = models.CharField(_("text"), max_length=300)
    message = models.JSONField(
        _("message id and values"), null=True, blank=True, editable=False
    )
    link = models.CharField(_("link"), max_length=300, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    created_at = models.DateTimeField(
        _("created at"), default=timezone.now, editable=False
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["recipient", "read_at"], name="notification_unread_idx"
            )
        ]

    def __str__(self):
        return self.text

    @property
    def body(self) -> str:
        """The text in the active language (older rows: as they were written)."""
        if not self.message:
            return self.text
        return wording.render(self.message)[:300]


class NotificationMute(models.Model):
    """A kind of notification the user chose not to receive."""

    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="notification_mutes",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=40)
    created_at = models.DateTimeField(
        _("created at"), default=timezone.now, editable=False
    )

    class Meta:
        verbose_name = _("muted notification kind")
        verbose_name_plural = _("muted notification kinds")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"], name="notification_mute_unique"
            )
        ]

    def __str__(self):
        return f"{self.user} − {self.kind}"


class PhoneCodeQuerySet(models.QuerySet):
    def live(self, phone: str, purpose: str):
        """Codes for this number and purpose that may still be used, newest first."""
        return self.filter(
            phone=phone,
            purpose=purpose,
            used_at__isnull=True,
            expires_at__gt=timezone.now(),
        ).order_by("-created_at")


class PhoneCode(models.Model):
    """A one-time 6-digit code: sent by text message, or handed over by a leader.

    Only its hash is stored; it is valid for a few minutes (a leader's for a day),
    used once, and void after a few wrong guesses. Rows also count the codes asked
    for per number, per address and per day (the limits in buildings/codes.py).
    """

    class Purpose(models.TextChoices):
        LOGIN = "login", _("log in")
        REGISTER = "register", _("register")
        RESET = "reset", _("reset password")
        ASSISTED = "assisted", _("reset by a leader")

    phone = models.CharField(_("mobile phone"), max_length=11, db_index=True)
    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose)
    code_hash = models.CharField(max_length=128, editable=False)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    created_at = models.DateTimeField(
        _("created at"), default=timezone.now, db_index=True, editable=False
    )
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    tries = models.PositiveSmallIntegerField(_("wrong guesses"), default=0)
    sent = models.BooleanField(
        _("sent"), default=False, help_text=_("False when no message went out.")
    )
    issued_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issued_codes",
        verbose_name=_("issued by"),
    )

    objects = PhoneCodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")
        indexes = [models.Index(fields=["address", "created_at"])]

    def __str__(self):
        return (
            f"{mask_phone(self.phone)} {self.purpose} {self.created_at:%Y-%m-%d %H:%M}"
        )
