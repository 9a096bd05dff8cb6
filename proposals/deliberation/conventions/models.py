"""The building convention (楼组公约) and the households' signatures.

A convention lives in this app, not in buildings, because adopting one is the outcome of
a proposal or a poll, and buildings imports no feature app.
"""

from django.db import models
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buildings.rooms import natural
from proposals.deliberation.origin import Origin
from proposals.deliberation.polls.models import Poll
from proposals.deliberation.proposals.models import Proposal


class ConventionQuerySet(models.QuerySet):
    def current_for(self, building):
        return self.filter(building=building).order_by("-version").first()

    def with_signature_counts(self):
        return self.annotate(signature_count=Count("signatures", distinct=True))


class Convention(models.Model):
    building = models.ForeignKey(
        "buildings.Building",
        on_delete=models.CASCADE,
        related_name="conventions",
        verbose_name=_("building"),
    )
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=120)
    text = models.TextField(_("text"), max_length=10000)
    proposal = models.ForeignKey(
        Proposal,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposal"),
    )
    adopted_by_poll = models.ForeignKey(
        Poll,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("adopted by poll"),
    )
    adopted_at = models.DateTimeField(_("adopted at"), default=timezone.now)
    created_at = models.DateTimeField(
        _("created at"), default=timezone.now, editable=False
    )

    objects = ConventionQuerySet.as_manager()

    class Meta:
        verbose_name = _("building convention")
        verbose_name_plural = _("building conventions")
        ordering = ["building", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["building", "version"], name="convention_version_unique"
            )
        ]

    def __str__(self):
        return _("%(title)s (version %(version)s)") % {
            "title": self.title,
            "version": self.version,
        }

    def get_absolute_url(self):
        return reverse("proposals:convention", args=[self.building_id, self.pk])


class ConventionSignature(models.Model):
    """A household promises to keep the convention (承诺遵守): one per household and version."""

    convention = models.ForeignKey(
        Convention,
        on_delete=models.CASCADE,
        related_name="signatures",
        verbose_name=_("convention"),
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
        verbose_name=_("signed by"),
    )
    signer_name = models.CharField(_("name on the signature"), max_length=40)
    origin = models.CharField(
        _("how it was signed"), max_length=12, choices=Origin, default=Origin.ONLINE
    )
    entered_by = models.ForeignKey(
        "buildings.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("paper signature entered by"),
    )
    created_at = models.DateTimeField(
        _("signed at"), default=timezone.now, editable=False
    )

    class Meta:
        verbose_name = _("convention signature")
        verbose_name_plural = _("convention signatures")
        ordering = natural("household__room")
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "household"], name="convention_signed_once"
            )
        ]

    def __str__(self):
        return f"{self.convention} · {self.household.masked_room}"
