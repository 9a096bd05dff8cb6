"""Writes and the count for polls: opening, casting ballots, counting, closing, reminding.

Longer than 500 lines on purpose: casting, counting and closing share the lock order
and the one definition of the count (by household or by person, against the quorum);
one module keeps them together.

Lock order everywhere: building -> poll -> household (core/races.py).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from buildings.models import Building, Household, Resident, User
from buildings.notify import At, Message, notify_many
from buildings.services import record_proxy_act
from core.races import locked, pause, set_lock_timeout, share_lock
from proposals.deliberation.notices import notify_building, when_text
from proposals.deliberation.origin import Origin
from proposals.deliberation.polls.models import Ballot, Poll, PollOption
from proposals.deliberation.proposals.models import Proposal
from proposals.deliberation.proposals.services import apply_adoption
from proposals.deliberation.tally import (
    ADOPTED,
    NO_QUORUM,
    OptionCount,
    decide,
    percent,
)

MAX_OPTIONS = 10


def default_options(kind: str) -> list[tuple[str, str]]:
    return [
        (_("In favour"), PollOption.Kind.YES),
        (_("Against"), PollOption.Kind.NO),
        (_("Abstain"), PollOption.Kind.ABSTAIN),
    ]


@transaction.atomic
def open_poll(
    *,
    proposal: Proposal,
    created_by: User,
    question: str,
    option_labels: list[str],
    opens_at: datetime,
    closes_at: datetime,
    electorate: str = Poll.Electorate.HOUSEHOLD,
    quorum_percent: int = 50,
    is_secret: bool = False,
    results_live: bool = False,
) -> Poll:
    """Put a proposal to the vote: its status becomes 'voting'."""
    # The building first, as a status change and closing a poll do: the new poll's
    # key takes the building row, so taking the proposal first could deadlock.
    set_lock_timeout()
    locked(Building.objects.filter(pk=proposal.building_id)).get()
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != Proposal.Status.DISCUSSION:
        raise ValidationError(
            _("Only a proposal in discussion can be put to the vote.")
        )
    if closes_at <= opens_at:
        raise ValidationError(_("The poll must close after it opens."))
    if closes_at <= timezone.now():
        raise ValidationError(_("The closing time is already past."))
    if not 0 <= quorum_percent <= 100:
        raise ValidationError(_("The quorum is a share between 0 and 100%."))
    if is_secret and results_live:
        raise ValidationError(
            _(
                "A secret poll cannot show results while voting: watching the count change would reveal choices."
            )
        )
    labels = [label.strip() for label in option_labels if label.strip()]
    if len(set(labels)) != len(labels):
        raise ValidationError(_("Two options have the same text."))
    if proposal.kind == Proposal.Kind.NAMING:
        if len(labels) < 2:
            raise ValidationError(_("A naming poll needs at least two names."))
        if any(len(label) > 40 for label in labels):
            raise ValidationError(_("A building name has at most 40 characters."))
    if proposal.kind == Proposal.Kind.CONVENTION:
        labels = []
    if labels and len(labels) < 2:
        raise ValidationError(_("Give at least two options, or none for yes / no."))
    if len(labels) > MAX_OPTIONS:
        raise ValidationError(_("At most %(count)d options.") % {"count": MAX_OPTIONS})
    limit = PollOption._meta.get_field("label").max_length
    if any(len(label) > limit for label in labels):
        raise ValidationError(
            _("An option can be at most %(max)d characters long.") % {"max": limit}
        )
    pause()  # test-only: widen the window between the check and the write
    poll = Poll.objects.create(
        building=proposal.building,
        proposal=proposal,
        question=question.strip(),
        electorate=electorate,
        opens_at=opens_at,
        closes_at=closes_at,
        quorum_percent=quorum_percent,
        is_secret=is_secret,
        results_live=results_live,
        created_by=created_by,
    )
    pairs = (
        [(label, PollOption.Kind.CANDIDATE) for label in labels]
        if labels
        else default_options(proposal.kind)
    )
    PollOption.objects.bulk_create(
        PollOption(poll=poll, label=label, kind=kind, position=i)
        for i, (label, kind) in enumerate(pairs)
    )
    proposal.status = Proposal.Status.VOTING
    proposal.save(update_fields=["status", "updated_at"])
    notify_building(
        building=proposal.building,
        kind="poll_open",
        text=Message(
            gettext_noop("Vote now: %(question)s (until %(closes)s)"),
            question=poll.question,
            closes=At(closes_at),
        ),
        link=poll.get_absolute_url(),
    )
    return poll


def _already_voted_message(poll: Poll, ballot: Ballot) -> str:
    room = ballot.household.room
    if poll.per_resident:
        return _("%(name)s has already voted in this poll.") % {
            "name": ballot.resident.name if ballot.resident else room
        }
    if ballot.origin != Origin.ONLINE:
        return _(
            "Room %(room)s has already voted (%(origin)s, entered by a leader). One ballot per household."
        ) % {"room": room, "origin": ballot.get_origin_display()}
    if poll.is_secret or ballot.resident is None:
        return _("Room %(room)s has already voted. One ballot per household.") % {
            "room": room
        }
    return _(
        "Room %(room)s has already voted (%(name)s, %(when)s). One ballot per household."
    ) % {
        "room": room,
        "name": ballot.resident.name,
        "when": when_text(ballot.cast_at),
    }


@transaction.atomic
def cast_ballot(
    *,
    poll: Poll,
    option_id,
    resident: Resident | None = None,
    household: Household | None = None,
    origin: str = Origin.ONLINE,
    entered_by: User | None = None,
    slip_photo=None,
    seen_version: int | None = None,
) -> Ballot:
    """Record one ballot per household (or resident); an open ballot may be changed by its voter.

    The poll row is share-locked first (then the household), so a leader's edit or cancellation
    (polls.changes) happens wholly before or after a ballot; `seen_version`, the version of
    the poll the voter read, makes a ballot for an edited poll fail instead of mismatch.
    """
    online = origin == Origin.ONLINE
    if household is None:
        if resident is None:
            raise ValidationError(_("Choose the household that votes."))
        household = resident.household
    set_lock_timeout()
    share_lock(Poll, poll.pk)  # ballots share it; an edit (polls.changes) waits
    poll = Poll.objects.get(pk=poll.pk)
    # The household row only: locking its building too (a join) would take the building
    # after the poll, against close_poll's order (building, poll), and deadlock.
    household = locked(Household.objects.filter(pk=household.pk)).get()
    now = timezone.now()
    if household.building_id != poll.building_id:
        raise ValidationError(_("This household does not belong to this building."))
    if poll.is_cancelled:
        raise ValidationError(
            _("This poll was cancelled: %(reason)s") % {"reason": poll.cancel_reason}
        )
    if seen_version is not None and seen_version != poll.version:
        raise ValidationError(
            _(
                "This poll was changed after you opened it. Your ballot was not recorded: please read it again and vote."
            )
        )
    if poll.closed_at is not None or now >= poll.closes_at:
        raise ValidationError(
            _("Voting closed at %(time)s. Your ballot was not recorded.")
            % {"time": when_text(poll.closes_at)}
        )
    if now < poll.opens_at:
        raise ValidationError(
            _("Voting opens at %(time)s.") % {"time": when_text(poll.opens_at)}
        )
    try:
        option = poll.options.get(pk=int(option_id))
    except (PollOption.DoesNotExist, TypeError, ValueError) as exc:
        raise ValidationError(_("Please choose one of this poll's options.")) from exc
    if resident is not None:
        if resident.household_id != household.pk or not resident.is_approved:
            raise ValidationError(
                _("This resident is not an approved member of this household.")
            )
        if not resident.is_adult:
            raise ValidationError(_("Only adult residents may vote."))
    if poll.per_resident and resident is None:
        raise ValidationError(_("In this poll each adult votes: choose the resident."))
    if online and entered_by is None and resident is None:
        raise ValidationError(_("Choose the household that votes."))
    if not online and entered_by is None:
        raise ValidationError(_("A paper, visit or proxy ballot names who entered it."))
    if slip_photo and poll.is_secret:
        raise ValidationError(
            _(
                "A secret ballot's slip must not be photographed: the photo would show the choice. Keep the slip in the sealed box."
            )
        )
    slot = f"r:{resident.pk}" if poll.per_resident else f"h:{household.pk}"
    existing = (
        Ballot.objects.filter(poll=poll, slot=slot)
        .select_related("household", "resident")
        .first()
    )
    if existing is not None:
        own_online = (
            online
            and existing.origin == Origin.ONLINE
            and resident is not None
            and existing.resident_id == resident.pk
        )
        if own_online and not poll.is_secret:
            existing.option = option
            existing.changed_at = now
            existing.save(update_fields=["option", "changed_at"])
            return existing
        if own_online:
            raise ValidationError(
                _("Your secret ballot has been counted and cannot be changed.")
            )
        raise ValidationError(_already_voted_message(poll, existing))
    pause()  # test-only: widen the window a guard must close
    try:
        with transaction.atomic():
            ballot = Ballot.objects.create(
                poll=poll,
                household=household,
                resident=resident,
                slot=slot,
                option=None if poll.is_secret else option,
                origin=origin,
                entered_by=entered_by,
                cast_at=now,
            )
            if slip_photo:
                ballot.slip_photo.save(slip_photo.name, slip_photo, save=True)
            if poll.is_secret:
                # The choice is only a count: nothing ties it to the ballot above.
                PollOption.objects.filter(pk=option.pk).update(
                    secret_count=F("secret_count") + 1
                )
    except IntegrityError as exc:
        raise ValidationError(
            _("This household has already voted. One ballot per household.")
            if not poll.per_resident
            else _("This resident has already voted.")
        ) from exc
    if not online and resident is not None:
        record_proxy_act(
            resident=resident,
            actor=entered_by,
            action=Message(
                gettext_noop("Entered a ballot (%(origin)s) in “%(poll)s”"),
                origin=Origin(ballot.origin).label,
                poll=poll.question,
            ),
            link=poll.get_absolute_url(),
        )
    return ballot


@dataclass(frozen=True)
class OptionResult:
    option: PollOption
    votes: int
    percent: int
    is_winner: bool


@dataclass(frozen=True)
class PollResults:
    options: list[OptionResult]
    ballots: int
    households_voted: int
    household_count: int
    eligible_persons: int
    quorum_needed: int
    quorum_met: bool
    outcome: str
    winner_id: int | None

    @property
    def household_percent(self) -> int:
        return percent(self.households_voted, self.household_count)

    @property
    def person_percent(self) -> int:
        return percent(self.ballots, self.eligible_persons)

    @property
    def quorum_percent_of_bar(self) -> int:
        return percent(self.quorum_needed, self.household_count)

    @property
    def is_election(self) -> bool:
        """A choice among names (candidates), not a motion (in favour / against)."""
        return any(row.option.kind == PollOption.Kind.CANDIDATE for row in self.options)

    @property
    def outcome_text(self) -> str:
        winner = [row.option.text for row in self.options if row.is_winner]
        return outcome_words(
            self.outcome,
            is_election=self.is_election,
            winner=winner[0] if winner else None,
        )


def outcome_words(outcome: str, *, is_election: bool, winner: str | None) -> str:
    """A result as people say it, on the poll's page, its poster, the WeChat group and
    the admin: 通过 / 未通过 for a motion; "当选：…" only for a choice among names;
    未达到法定户数 for either."""
    if outcome == NO_QUORUM:
        return _("Quorum not reached")
    if is_election:
        if outcome == ADOPTED and winner:
            return _("Elected: %(name)s") % {"name": winner}
        return _("Nobody elected")
    return _("Passed") if outcome == ADOPTED else _("Not passed")


def adults_in(building_id: int) -> int:
    """The electorate of a one-vote-per-adult poll: the building's approved adults."""
    return (
        Resident.objects.approved()
        .filter(household__building_id=building_id, is_adult=True)
        .count()
    )


def poll_results(poll: Poll) -> PollResults:
    """Turnout and the count, from the ballots (open) or the option counters (secret)."""
    options = list(poll.options.all())
    if poll.is_secret:
        votes = {option.pk: option.secret_count for option in options}
    else:
        votes = dict(
            poll.ballots.values_list("option").annotate(n=Count("pk")).order_by()
        )
    ballots = poll.ballots.count()
    households_voted = (
        poll.ballots.values("household").distinct().count()
        if poll.per_resident
        else ballots
    )
    if poll.household_count is not None:
        household_count = poll.household_count
    else:
        household_count = Household.objects.filter(building_id=poll.building_id).count()
    if not poll.per_resident:
        eligible = household_count
    elif poll.adult_count is not None:
        eligible = poll.adult_count
    else:
        eligible = adults_in(poll.building_id)
    counts = [OptionCount(o.pk, o.text, o.kind, votes.get(o.pk, 0)) for o in options]
    decision = decide(
        counts=counts,
        households_voted=households_voted,
        household_count=household_count,
        quorum_percent=poll.quorum_percent,
    )
    total_votes = sum(c.votes for c in counts)
    return PollResults(
        options=[
            OptionResult(
                option=o,
                votes=c.votes,
                percent=percent(c.votes, total_votes),
                is_winner=decision.winner_id == o.pk,
            )
            for o, c in zip(options, counts, strict=True)
        ],
        ballots=ballots,
        households_voted=households_voted,
        household_count=household_count,
        eligible_persons=eligible,
        quorum_needed=decision.quorum_needed,
        quorum_met=decision.quorum_met,
        outcome=decision.outcome,
        winner_id=decision.winner_id,
    )


MAX_CLOSING_REASON = 300


@transaction.atomic
def close_poll(*, poll: Poll, closed_by: User | None = None, reason: str = "") -> Poll:
    """Close the poll (early, with a reason, if need be), count it and apply the decision."""
    set_lock_timeout()
    locked(Building.objects.filter(pk=poll.building_id)).get()
    poll = locked(Poll.objects.filter(pk=poll.pk)).select_related("proposal").get()
    if poll.closed_at is not None:
        raise ValidationError(_("This poll is already closed."))
    if poll.is_cancelled:
        raise ValidationError(_("This poll was cancelled: there is no result."))
    now = timezone.now()
    early = now < poll.closes_at
    reason = (reason or "").strip() if early else ""
    if early and not reason:
        raise ValidationError(
            _(
                "Closing a poll before its end time needs a reason; it is shown with the result."
            )
        )
    if len(reason) > MAX_CLOSING_REASON:
        raise ValidationError(
            _("The reason has at most %(max)s characters.")
            % {"max": MAX_CLOSING_REASON}
        )
    # Wait for ballots being cast right now: they hold their household's lock.
    list(
        locked(
            Household.objects.filter(building_id=poll.building_id).order_by("pk")
        ).values_list("pk", flat=True)
    )
    if poll.closes_at > now:
        poll.closes_at = max(now, poll.opens_at + timedelta(seconds=1))
    poll.household_count = Household.objects.filter(
        building_id=poll.building_id
    ).count()
    if poll.per_resident:  # a result that does not change when people move later
        poll.adult_count = adults_in(poll.building_id)
    results = poll_results(poll)
    below_quorum = not results.quorum_met
    everyone_voted = results.households_voted >= results.household_count
    if early and poll.is_secret and below_quorum and not everyone_voted:
        # So few secret ballots, counted early, could be traced back to their voters.
        raise ValidationError(
            _(
                "A secret poll below its quorum cannot be closed before its end time unless every household has voted (%(voted)s of %(total)s have)."
            )
            % {"voted": results.households_voted, "total": results.household_count}
        )
    poll.closed_early_reason = reason
    poll.closed_at = now
    poll.outcome = results.outcome
    poll.winner_id = results.winner_id
    poll.save(
        update_fields=[
            "closes_at",
            "closed_at",
            "closed_early_reason",
            "outcome",
            "winner",
            "household_count",
            "adult_count",
        ]
    )
    proposal = poll.proposal
    proposal.status = (
        Proposal.Status.ADOPTED
        if results.outcome == ADOPTED
        else Proposal.Status.REJECTED
    )
    proposal.decided_at = now
    proposal.decision_note = (
        _("Poll: %(outcome)s (%(voted)s / %(total)s households voted)")
        % {
            "outcome": results.outcome_text,
            "voted": results.households_voted,
            "total": results.household_count,
        }
    )[:300]
    proposal.save(update_fields=["status", "decided_at", "decision_note", "updated_at"])
    if results.outcome == ADOPTED:
        winner = poll.options.get(pk=results.winner_id)
        apply_adoption(proposal=proposal, poll=poll, winner=winner)
    if results.outcome == NO_QUORUM:
        text = gettext_noop("Poll closed without quorum: %(question)s")
    else:
        text = gettext_noop("Poll result: %(question)s")
    notify_building(
        building=proposal.building,
        kind="poll_closed",
        text=Message(text, question=poll.question),
        link=poll.get_absolute_url(),
    )
    return poll


REMIND_BEFORE_CLOSE = timedelta(hours=24)


@transaction.atomic
def remind_closing_polls(*, now: datetime | None = None) -> int:
    """Once per poll, a day before it closes: remind only those who have not voted yet."""
    now = now or timezone.now()
    due = (
        Poll.objects.open_now()
        .filter(reminded_at__isnull=True, closes_at__lte=now + REMIND_BEFORE_CLOSE)
        .select_related("building")
        .select_for_update(of=("self",))
    )
    reminded = 0
    for poll in due:
        voted = set(Ballot.objects.filter(poll=poll).values_list("slot", flat=True))
        residents = (
            Resident.objects.approved()
            .in_building(poll.building)
            .filter(user__isnull=False, is_adult=True)
            .select_related("user")
        )
        household_poll = poll.electorate == Poll.Electorate.HOUSEHOLD
        missing = [
            resident.user
            for resident in residents
            if (f"h:{resident.household_id}" if household_poll else f"r:{resident.pk}")
            not in voted
        ]
        if household_poll:
            text = gettext_noop(
                "The vote “%(question)s” closes %(when)s and your household has not voted yet."
            )
        else:
            text = gettext_noop(
                "The vote “%(question)s” closes %(when)s and you have not voted yet."
            )
        notify_many(
            recipients=missing,
            kind="poll_closing",
            text=Message(text, question=poll.question, when=At(poll.closes_at)),
            link=poll.get_absolute_url(),
        )
        Poll.objects.filter(pk=poll.pk).update(reminded_at=now)
        reminded += 1
    return reminded


def close_due_polls() -> int:
    """Count every poll whose closing time has passed (run from cron)."""
    closed = 0
    for poll in Poll.objects.filter(
        closed_at__isnull=True, cancelled_at__isnull=True, closes_at__lte=timezone.now()
    ):
        try:
            close_poll(poll=poll)
        except ValidationError:
            continue
        closed += 1
    return closed
