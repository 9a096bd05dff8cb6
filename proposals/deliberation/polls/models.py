"""Polls (投票表决) and ballots.

Secret polls: the record that a household (or resident) voted is a Ballot with no
option; the choice is only a counter on the PollOption row, bumped with F() under the
household lock. Nothing links the two: no foreign key, no timestamp, no id.
"""

import uuid

from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, override
from django.utils.translation import gettext_lazy as _

from buildings.models import Cancellable
from buildings.rooms import natural
from buildings.wording import in_every_language
from core.templatetags.words import when
from proposals.deliberation.origin import Origin
from proposals.deliberation.proposals.models import Proposal


def slip_upload_to(instance, filename):
    return f"ballot-slips/{uuid.uuid4().hex}.jpg"


def option_photo_upload_to(instance, filename):
    return f"options/{uuid.uuid4().hex}.jpg"


class PollQuerySet(models.QuerySet):
    def in_building(self, building):
        return self.filter(building=building)

    def open_now(self, now=None):
        now = now or timezone.now()
        return self.filter(
            opens_at__lte=now,
            closes_at__gt=now,
            closed_at__isnull=True,
            cancelled_at__isnull=True,
        )

    def needing_vote_of(self, resident):
        """Open polls in the resident's building where their ballot is still missing."""
        if resident is None or not resident.is_adult:
            return self.none()
        voted = Ballot.objects.filter(
            poll=OuterRef("pk"), slot__in=Poll.voter_slots(resident)
        )
        return (
            self.open_now()
            .filter(building_id=resident.household.building_id)
            .exclude(Exists(voted))
        )

    def with_turnout(self):
        return self.annotate(ballot_count=Count("ballots", distinct=True))


class Poll(Cancellable):
    class Electorate(models.TextChoices):
        HOUSEHOLD = "household", _("One ballot per household (一户一票)")
        RESIDENT = "resident", _("One ballot per adult resident")

    class Outcome(models.TextChoices):
        ADOPTED = "adopted", _("Adopted")
        REJECTED = "rejected", _("Rejected")
        NO_QUORUM = "no_quorum", _("Quorum not reached")

    building = models.ForeignKey(
        "buildings.Building",
        on_delete=models.CASCADE,
        related_name="polls",
        verbose_name=_("building"),
    )
    proposal = models.ForeignKey(
        Proposal,
        on_delete=models.PROTECT,
        related_name="polls",
        verbose_name=_("proposal"),
    )
    question = models.CharField(_("question"), max_length=200)
    electorate = models.CharField(
        _("who votes"), max_length=10, choices=Electorate, default=Electorate.HOUSEHOLD
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    quorum_percent = models.PositiveSmallIntegerField(
        _("quorum (percent of households)"),
        default=50,
        help_text=_("Share of the building's households that must vote."),
    )
    is_secret = models.BooleanField(
        _("secret ballot"),
        default=False,
        help_text=_("Nobody, leaders included, can ever see who chose what."),
    )
    results_live = models.BooleanField(
        _("show results while voting"),
        default=False,
        help_text=_("Otherwise results are shown only after the poll closes."),
    )
    created_by = models.ForeignKey(
        "buildings.User",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("opened by"),
    )
    closed_at = models.DateTimeField(_("result announced at"), null=True, blank=True)
    closed_early_reason = models.CharField(
        _("why it was closed before its end time"),
        max_length=300,
        blank=True,
        help_text=_("Shown with the result of a poll closed before its end time."),
    )
    reminded_at = models.DateTimeField(
        _("closing reminder sent at"), null=True, blank=True, editable=False
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome, blank=True)
    winner = models.ForeignKey(
        "PollOption",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("winning option"),
    )
    household_count = models.PositiveIntegerField(
        _("households at closing"), null=True, blank=True
    )
    adult_count = models.PositiveIntegerField(
        _("adults at closing"), null=True, blank=True
    )  # one vote per adult: the electorate a closed poll's turnout is counted against
    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        editable=False,
        help_text=_("Raised by every edit: a ballot for an older version is refused."),
    )
    created_at = models.DateTimeField(
        _("created at"), default=timezone.now, editable=False
    )

    objects = PollQuerySet.as_manager()

    class Meta:
        verbose_name = _("poll")
        verbose_name_plural = _("polls")
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="poll_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(quorum_percent__lte=100), name="poll_quorum_is_a_share"
            ),
            models.CheckConstraint(
                condition=Q(is_secret=False) | Q(results_live=False),
                name="poll_secret_results_not_live",
            ),
        ]

    def __str__(self):
        return self.question

    def get_absolute_url(self):
        return reverse("proposals:poll", args=[self.building_id, self.pk])

    @staticmethod
    def voter_slots(resident) -> list[str]:
        """A resident's ballot slots: their household's and their own (a poll counts one
        ballot per household or per adult)."""
        return [f"h:{resident.household_id}", f"r:{resident.pk}"]

    def is_open_at(self, moment) -> bool:
        return (
            self.closed_at is None
            and self.cancelled_at is None
            and self.opens_at <= moment < self.closes_at
        )

    @property
    def is_open(self) -> bool:
        return self.is_open_at(timezone.now())

    @property
    def has_ended(self) -> bool:
        return (
            self.closed_at is not None
            or self.cancelled_at is not None
            or timezone.now() >= self.closes_at
        )

    @property
    def is_finalised(self) -> bool:
        return self.closed_at is not None

    @property
    def per_resident(self) -> bool:
        return self.electorate == self.Electorate.RESIDENT

    @property
    def wechat_body(self) -> str:
        """The line under the question in the WeChat-group text (page and group robot)."""
        if self.per_resident:
            text = gettext("Open until %(time)s. Every adult votes.")
        else:
            text = gettext("Open until %(time)s. One ballot per household.")
        closes = when(self.closes_at, "exact")
        return text % {"time": closes}

    @property
    def result_body(self) -> str:
        """The result under the question in the WeChat-group text: the words of the
        poll's page and poster (PollResults.outcome_text), with its turnout."""
        from proposals.deliberation.polls.services import poll_results

        results = poll_results(self)
        return gettext("Poll: %(outcome)s (%(voted)s / %(total)s households voted)") % {
            "outcome": results.outcome_text,
            "voted": results.households_voted,
            "total": results.household_count,
        }

    @property
    def results_visible(self) -> bool:
        return self.has_ended or self.results_live


class PollOption(models.Model):
    class Kind(models.TextChoices):
        CANDIDATE = "candidate", _("Candidate")
        YES = "yes", _("In favour")
        NO = "no", _("Against")
        ABSTAIN = "abstain", _("Abstain")

    poll = models.ForeignKey(
        Poll, on_delete=models.CASCADE, related_name="options", verbose_name=_("poll")
    )
    label = models.CharField(_("option"), max_length=100)
    kind = models.CharField(
        _("kind"), max_length=10, choices=Kind, default=Kind.CANDIDATE
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # A photo or drawing of the option (the lobby's design choices), shown large.
    photo = models.ImageField(
        _("photo or drawing"), upload_to=option_photo_upload_to, blank=True
    )
    # Secret polls only: the choices, as a bare count (never linked to a ballot).
    secret_count = models.PositiveIntegerField(
        _("secret votes"), default=0, editable=False
    )
    created_at = models.DateTimeField(
        _("created at"), default=timezone.now, editable=False
    )

    class Meta:
        verbose_name = _("poll option")
        verbose_name_plural = _("poll options")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.label

    @property
    def text(self) -> str:
        """The option as the reader says it. In favour / Against / Abstain are written
        by the app in the language of whoever opened the poll: while the option keeps
        those words they are said in the reader's language; words a person wrote (a
        name, an edited option) stay as written."""
        if self.kind != self.Kind.CANDIDATE and self.label in _given_words(self.kind):
            return self.get_kind_display()
        return self.label


def _given_words(kind: str) -> frozenset[str]:
    """The words the app gives an option of this kind, in every language."""
    with override(None):
        msgid = str(PollOption.Kind(kind).label)
    return in_every_language(msgid)


class BallotQuerySet(models.QuerySet):
    def households_by_building(self) -> dict[int, int]:
        """How many different households cast these ballots, per building id."""
        return dict(
            self.order_by()
            .values_list("poll__building")
            .annotate(households=Count("household", distinct=True))
        )


class Ballot(models.Model):
    """Who voted. In an open poll it also carries the choice; in a secret poll never."""

    poll = models.ForeignKey(
        Poll, on_delete=models.CASCADE, related_name="ballots", verbose_name=_("poll")
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
        verbose_name=_("voter"),
    )
    # "h:<household id>" (一户一票) or "r:<resident id>": the one-ballot key.
    slot = models.CharField(_("electorate key"), max_length=30, editable=False)
    option = models.ForeignKey(
        PollOption,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ballots",
        verbose_name=_("choice (open polls only)"),
    )
    origin = models.CharField(
        _("how it was cast"), max_length=12, choices=Origin, default=Origin.ONLINE
    )
    entered_by = models.ForeignKey(
        "buildings.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by (leader)"),
    )
    slip_photo = models.ImageField(
        _("photo of the slip"), upload_to=slip_upload_to, blank=True
    )
    cast_at = models.DateTimeField(_("cast at"), default=timezone.now, editable=False)
    changed_at = models.DateTimeField(_("last changed at"), null=True, blank=True)

    objects = BallotQuerySet.as_manager()

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = natural("household__room")
        constraints = [
            models.UniqueConstraint(fields=["poll", "slot"], name="one_ballot_per_slot")
        ]

    def __str__(self):
        return f"{self.poll} · {self.household.masked_room}"
