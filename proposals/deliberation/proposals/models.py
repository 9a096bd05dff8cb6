"""Proposals (议题): what the building discusses and decides, with their comments."""

from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ProposalQuerySet(models.QuerySet):
    def in_building(self, building):
        return self.filter(building=building)

    def adopted(self):
        """Adopted proposals: the decisions the fund may cite as spending approvals."""
        return self.filter(status=Proposal.Status.ADOPTED)

    def in_discussion(self):
        return self.filter(status=Proposal.Status.DISCUSSION)

    def visible_to(self, access):
        """Drafts are seen by the team only."""
        if access.can_organise:
            return self
        return self.exclude(status=Proposal.Status.DRAFT)

    def raised_by_residents(self):
        return self.filter(raised=True)

    def waiting_for_agenda(self):
        """Raised matters that reached their co-signatures but no meeting has them yet."""
        return self.filter(
            raised=True, status=Proposal.Status.DISCUSSION, meetings__isnull=True
        ).exclude(agenda_reached_at__isnull=True)

    def with_cosign_counts(self):
        return self.annotate(cosign_count=Count("cosigns", distinct=True))

    def with_comment_counts(self):
        return self.annotate(comment_count=Count("comments", distinct=True))


class Proposal(models.Model):
    class Kind(models.TextChoices):
        GENERAL = "general", _("General")
        NAMING = "naming", _("Naming the building group")
        CONVENTION = "convention", _("Building convention")
        FUND_USE = "fund_use", _("Use of the fund")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        # A matter a resident raised (举手), waiting for neighbours to co-sign it.
        GATHERING = "gathering", _("Gathering co-signatures")
        DISCUSSION = "discussion", _("In discussion")
        VOTING = "voting", _("Voting")
        ADOPTED = "adopted", _("Adopted")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    building = models.ForeignKey(
        "buildings.Building",
        on_delete=models.CASCADE,
        related_name="proposals",
        verbose_name=_("building"),
    )
    author = models.ForeignKey(
        "buildings.User",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("drafted by"),
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=Kind, default=Kind.GENERAL
    )
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(
        _("text"),
        max_length=10000,
        help_text=_("For a convention proposal, this is the text of the convention."),
    )
    budget = models.DecimalField(
        _("budget (¥)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status, default=Status.DRAFT
    )
    origin_issues = models.ManyToManyField(
        "proposals.Issue",
        blank=True,
        related_name="proposals",
        verbose_name=_("from issue reports"),
    )
    raised = models.BooleanField(
        _("raised by a resident"),
        default=False,
        help_text=_(
            "A resident raised it; it reaches the council once enough "
            "households co-sign it."
        ),
    )
    cosigns_needed = models.PositiveSmallIntegerField(
        _("households needed to co-sign"), null=True, blank=True
    )
    agenda_reached_at = models.DateTimeField(
        _("reached the council agenda at"), null=True, blank=True
    )
    fund_category = models.CharField(_("fund category"), max_length=80, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(
        _("how it was decided"), max_length=300, blank=True
    )
    created_at = models.DateTimeField(
        _("created at"), default=timezone.now, editable=False
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0),
                name="proposal_budget_not_negative",
            )
        ]

    def __str__(self):
        return f"#{self.pk} {self.title}"

    def get_absolute_url(self):
        return reverse("proposals:proposal", args=[self.building_id, self.pk])

    @property
    def is_gathering(self) -> bool:
        return self.status == self.Status.GATHERING

    @property
    def is_adopted(self) -> bool:
        return self.status == self.Status.ADOPTED

    @property
    def decision_reference(self) -> str:
        """How a decision is cited elsewhere, e.g. 议题 #12 · 2026-11-20 通过."""
        if not self.is_adopted or self.decided_at is None:
            return ""
        day = timezone.localtime(self.decided_at).date().isoformat()
        return _("Proposal #%(number)s · adopted %(date)s") % {
            "number": self.pk,
            "date": day,
        }


class ProposalComment(models.Model):
    proposal = models.ForeignKey(
        Proposal,
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("proposal"),
    )
    author = models.ForeignKey(
        "buildings.User",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    author_name = models.CharField(_("name shown"), max_length=40)
    text = models.TextField(_("comment"), max_length=2000)
    created_at = models.DateTimeField(
        _("created at"), default=timezone.now, editable=False
    )

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.author_name}: {self.text[:30]}"
