"""One-foot gardens (一尺花园): the building's small shared spaces, each adopted by one
household per season, cared for on a rota (an activities Task whose shifts are the turns)."""

import uuid

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from activities.models import Task
from buildings.models import Building, Household, Resident, User
from gardens.seasons import season_label


def space_photo_upload_to(instance, filename):
    return f"gardens/{uuid.uuid4().hex}.jpg"


class GardenSpace(models.Model):
    """A planter, a corner of the lobby, a stair-window sill."""

    building = models.ForeignKey(
        Building,
        on_delete=models.CASCADE,
        related_name="garden_spaces",
        verbose_name=_("building"),
    )
    name = models.CharField(_("space name"), max_length=60)
    place = models.CharField(
        _("where"), max_length=100, help_text=_("For example: stair window, 3rd floor.")
    )
    notes = models.TextField(_("notes"), max_length=2000, blank=True)
    photo = models.ImageField(_("photo"), upload_to=space_photo_upload_to, blank=True)
    rota = models.OneToOneField(
        Task,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="garden_space",
        verbose_name=_("care rota"),
    )
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("listed by")
    )
    created_at = models.DateTimeField(
        _("created at"), default=timezone.now, editable=False
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("one-foot garden")
        verbose_name_plural = _("one-foot gardens")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("gardens:detail", args=[self.building_id, self.pk])


class AdoptionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Adoption.Status.ACTIVE)

    def in_season(self, season):
        return self.active().filter(season=season)


class Adoption(models.Model):
    """One household looks after one space for one season."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Adopted for the season")
        GIVEN_UP = "given_up", _("Given up")

    space = models.ForeignKey(
        GardenSpace,
        on_delete=models.CASCADE,
        related_name="adoptions",
        verbose_name=_("one-foot garden"),
    )
    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        related_name="garden_adoptions",
        verbose_name=_("household"),
    )
    season = models.DateField(_("season"), help_text=_("The first day of the season."))
    adopted_by = models.ForeignKey(
        Resident,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("adopted by"),
    )
    shown_as = models.CharField(
        _("how our household appears"),
        max_length=10,
        choices=Resident.PublicDisplay,
        default=Resident.PublicDisplay.ROOM,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.ACTIVE
    )
    ended_at = models.DateTimeField(_("given up at"), null=True, blank=True)
    ended_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("given up by"),
    )
    created_at = models.DateTimeField(
        _("adopted at"), default=timezone.now, editable=False
    )

    objects = AdoptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("garden adoption")
        verbose_name_plural = _("garden adoptions")
        ordering = ["-season", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["space", "season"],
                condition=Q(status="active"),
                name="one_household_per_space_per_season",
            ),
            models.CheckConstraint(
                condition=Q(status="active", ended_at__isnull=True)
                | Q(status="given_up", ended_at__isnull=False),
                name="adoption_given_up_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.space} · {self.season_label}"

    @property
    def season_label(self) -> str:
        return season_label(self.season)

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    def public_name(self) -> str:
        """The household as it chose to appear (needs household and adopted_by read)."""
        if self.shown_as == Resident.PublicDisplay.NAME and self.adopted_by:
            return gettext("%(name)s's household") % {"name": self.adopted_by.name}
        if self.shown_as == Resident.PublicDisplay.ANONYMOUS:
            return gettext("A household of our building")
        return gettext("Room %(room)s") % {"room": self.household.room}
