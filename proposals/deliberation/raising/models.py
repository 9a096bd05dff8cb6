"""Matters residents raise (举手): co-signatures, photos, and the building's threshold.

A raised matter is a Proposal with `raised=True`. It gathers co-signatures, one per
household, until `cosigns_needed` households (the proposer's included) have signed;
then it becomes a proposal in discussion on the council agenda.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from proposals.deliberation.proposals.models import Proposal

DEFAULT_THRESHOLD = 3


def raised_photo_upload_to(instance, filename):
    return f"proposals/{uuid.uuid4().hex}.jpg"


class RaiseRule(models.Model):
    """How many households must co-sign a raised matter in one building (the leader's choice)."""

    building = models.OneToOneField(
        "buildings.Building",
        on_delete=models.CASCADE,
        related_name="raise_rule",
        verbose_name=_("building"),
    )
    threshold = models.PositiveSmallIntegerField(
        _("households needed to co-sign"),
        default=DEFAULT_THRESHOLD,
        help_text=_("The proposer's household counts as the first."),
    )
    updated_by = models.ForeignKey(
        "buildings.User",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("set by"),
    )
    created_at = models.DateTimeField(
        _("created at"), default=timezone.now, editable=False
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("co-signature threshold")
        verbose_name_plural = _("co-signature thresholds")
        constraints = [
            models.CheckConstraint(
                condition=Q(threshold__gte=1) & Q(threshold__lte=50),
                name="raise_threshold_between_1_and_50",
            )
        ]

    def __str__(self):
        return f"{self.building} · {self.threshold}"


class ProposalCosign(models.Model):
    """One household's co-signature of a raised matter (the proposer's is the first)."""

    proposal = models.ForeignKey(
        Proposal,
        on_delete=models.CASCADE,
        related_name="cosigns",
        verbose_name=_("proposal"),
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
        related_name="+",
        verbose_name=_("signed by"),
    )
    created_at = models.DateTimeField(
        _("signed at"), default=timezone.now, editable=False
    )

    class Meta:
        verbose_name = _("co-signature")
        verbose_name_plural = _("co-signatures")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "household"],
                name="proposal_cosigned_once_per_household",
            )
        ]

    def __str__(self):
        return f"{self.proposal_id} · {self.household.masked_room}"


class ProposalPhoto(models.Model):
    MAX = 4

    proposal = models.ForeignKey(
        Proposal,
        on_delete=models.CASCADE,
        related_name="photos",
        verbose_name=_("proposal"),
    )
    image = models.ImageField(_("photo"), upload_to=raised_photo_upload_to)
    created_at = models.DateTimeField(
        _("created at"), default=timezone.now, editable=False
    )

    class Meta:
        verbose_name = _("proposal photo")
        verbose_name_plural = _("proposal photos")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.proposal_id} · {self.pk}"
