"""Deliberation and decisions: proposals, meetings, consultations, polls, conventions.

Secret polls (DESIGN.md 5b): the record that a household (or resident) voted is a
Ballot with no option; the choice is only a counter on the PollOption row, bumped
with F() under the household lock. Nothing links the two: no foreign key, no
timestamp, no id.
"""

import uuid

from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

__all__ = [
    "Answer",
    "Ballot",
    "Choice",
    "Consultation",
    "ConsultationResponse",
    "Convention",
    "ConventionSignature",
    "Meeting",
    "MeetingAttendance",
    "MeetingTask",
    "Poll",
    "PollOption",
    "Proposal",
    "ProposalComment",
    "Question",
]


def slip_upload_to(instance, filename):
    return f"ballot-slips/{uuid.uuid4().hex}.jpg"


def meeting_photo_upload_to(instance, filename):
    return f"meetings/{uuid.uuid4().hex}.jpg"


class Origin(models.TextChoices):
    """How a ballot, answer or signature reached us."""

    ONLINE = "online", _("Online")
    PAPER = "paper", _("Paper slip")
    DOOR_TO_DOOR = "door_to_door", _("Door-to-door visit (扫楼)")
    PROXY = "proxy", _("By proxy (代签)")


# --- Proposals -------------------------------------------------------------------


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


# --- Council meetings ------------------------------------------------------------


class MeetingQuerySet(models.QuerySet):
    def upcoming(self):
        return self.filter(starts_at__gte=timezone.now()).order_by("starts_at")

    def past(self):
        return self.filter(starts_at__lt=timezone.now()).order_by("-starts_at")


class Meeting(models.Model):
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


class MeetingAttendance(models.Model):
    """One line of the sign-in sheet."""

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("meeting"),
    )
    resident = models.ForeignKey(
        "buildings.Resident",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("resident"),
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
        ordering = ["resident__household__room", "resident__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "resident"], name="attendance_once_per_meeting"
            )
        ]

    def __str__(self):
        return f"{self.meeting} · {self.resident.name}"


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


# --- Consultations (征询) ----------------------------------------------------------


class ConsultationQuerySet(models.QuerySet):
    def open_now(self):
        now = timezone.now()
        return self.filter(opens_at__lte=now, closes_at__gt=now)

    def with_response_counts(self):
        return self.annotate(response_count=Count("responses", distinct=True))


class Consultation(models.Model):
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
        return self.opens_at <= moment < self.closes_at

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


class Choice(models.Model):
    question = models.ForeignKey(
        Question,
        on_delete=models.CASCADE,
        related_name="choices",
        verbose_name=_("question"),
    )
    label = models.CharField(_("choice"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(
        _("created at"), default=timezone.now, editable=False
    )

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ["position", "pk"]

    def __str__(self):
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
        ordering = ["household__room", "created_at"]
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


# --- Polls (投票表决) ----------------------------------------------------------------


class PollQuerySet(models.QuerySet):
    def in_building(self, building):
        return self.filter(building=building)

    def open_now(self, now=None):
        now = now or timezone.now()
        return self.filter(opens_at__lte=now, closes_at__gt=now, closed_at__isnull=True)

    def needing_vote_of(self, resident):
        """Open polls in the resident's building where their ballot is still missing."""
        if resident is None or not resident.is_adult:
            return self.none()
        return self.needing_vote(**Poll.voter_values(resident), now=timezone.now())

    def needing_vote(self, building_id, household_slot, resident_slot, now):
        """needing_vote_of() by values (see buildings.compiled)."""
        voted = Ballot.objects.filter(poll=OuterRef("pk")).filter(
            Q(slot=household_slot) | Q(slot=resident_slot)
        )
        return self.open_now(now).filter(building_id=building_id).exclude(Exists(voted))

    def with_turnout(self):
        return self.annotate(ballot_count=Count("ballots", distinct=True))


class Poll(models.Model):
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
    def voter_values(resident) -> dict:
        """The values that find a resident's ballot slots: their building, household and
        own slot (a poll counts one ballot per household or per adult)."""
        return {
            "building_id": resident.household.building_id,
            "household_slot": f"h:{resident.household_id}",
            "resident_slot": f"r:{resident.pk}",
        }

    def is_open_at(self, moment) -> bool:
        return self.closed_at is None and self.opens_at <= moment < self.closes_at

    @property
    def is_open(self) -> bool:
        return self.is_open_at(timezone.now())

    @property
    def has_ended(self) -> bool:
        return self.closed_at is not None or timezone.now() >= self.closes_at

    @property
    def is_finalised(self) -> bool:
        return self.closed_at is not None

    @property
    def per_resident(self) -> bool:
        return self.electorate == self.Electorate.RESIDENT

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


class BallotQuerySet(models.QuerySet):
    def for_household(self, household):
        return self.filter(household=household)

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
        ordering = ["household__room"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "slot"], name="one_ballot_per_slot")
        ]

    def __str__(self):
        return f"{self.poll} · {self.household.masked_room}"


# --- Building convention (楼组公约) ------------------------------------------------
# DESIGN.md lists these under buildings; they live here because adopting one is a
# poll outcome and buildings must not import proposals.


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

    @property
    def adopted_on_display(self) -> str:
        return date_format(timezone.localtime(self.adopted_at), "DATE_FORMAT")


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
        ordering = ["household__room"]
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "household"], name="convention_signed_once"
            )
        ]

    def __str__(self):
        return f"{self.convention} · {self.household.masked_room}"
