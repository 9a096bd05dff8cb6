"""A leader corrects or cancels a poll, only before the first ballot, with a reason.

The poll row is locked, as `cast_ballot` locks it before the household: an edit and a
ballot never interleave. Either the ballot came first (the edit is refused: the poll can
then only be closed early, with a reason) or the edit did (the poll's version rises and a
ballot form read before it is refused, so no one votes on words they did not see).
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from buildings import changes
from buildings.models import Building, User
from buildings.notify import At, Message
from core.races import locked, pause, set_lock_timeout
from proposals.deliberation.notices import notify_building
from proposals.deliberation.polls.models import Ballot, Poll, PollOption
from proposals.deliberation.proposals.models import Proposal


def _lock_unvoted(poll: Poll) -> Poll:
    set_lock_timeout()
    # The building first, as close_poll does (its change note refers to the building).
    locked(Building.objects.filter(pk=poll.building_id)).get()
    poll = locked(Poll.objects.filter(pk=poll.pk)).get()
    if poll.is_cancelled:
        raise ValidationError(_("This poll was already cancelled."))
    if poll.closed_at is not None:
        raise ValidationError(_("This poll is closed: it can no longer be changed."))
    if Ballot.objects.filter(poll=poll).exists():
        raise ValidationError(
            _(
                "Someone has already voted: the poll can no longer be changed or cancelled. You can close it early, with a reason."
            )
        )
    return poll


@transaction.atomic
def edit_poll(
    *,
    poll: Poll,
    by: User,
    question: str,
    option_labels: list[str],
    closes_at: datetime,
    reason: str,
) -> Poll:
    """Change the question, the options' words and the closing time before anyone voted."""
    reason = changes.clean_reason(reason)
    poll = _lock_unvoted(poll)
    question = " ".join(question.split())
    if not question:
        raise ValidationError(_("Please write the question."))
    if closes_at <= max(poll.opens_at, timezone.now()):
        raise ValidationError(_("The poll must close after it opens, in the future."))
    options = list(poll.options.order_by("position", "pk"))
    labels = [" ".join(label.split()) for label in option_labels]
    if len(labels) != len(options) or not all(labels):
        raise ValidationError(_("Give a text for each option."))
    if len(set(labels)) != len(labels):
        raise ValidationError(_("Two options have the same text."))
    limit = PollOption._meta.get_field("label").max_length
    if any(len(label) > limit for label in labels):
        raise ValidationError(
            _("An option can be at most %(max)d characters long.") % {"max": limit}
        )
    pause()  # test-only: widen the window the poll lock must close
    for option, label in zip(options, labels, strict=True):
        if option.text != label:  # as the form showed it
            option.label = label
            option.save(update_fields=["label"])
    poll.question = question[:200]
    poll.closes_at = closes_at
    poll.version += 1
    poll.save(update_fields=["question", "closes_at", "version"])
    changes.record_change(obj=poll, by=by, reason=reason)
    notify_building(
        building=poll.building,
        kind="poll_changed",
        text=Message(
            gettext_noop(
                "The vote “%(question)s” was changed (until %(closes)s): %(reason)s"
            ),
            question=poll.question,
            closes=At(poll.closes_at),
            reason=reason,
        ),
        link=poll.get_absolute_url(),
    )
    return poll


@transaction.atomic
def cancel_poll(*, poll: Poll, by: User, reason: str) -> Poll:
    """Call a poll off before anyone voted; its proposal goes back to discussion."""
    reason = changes.clean_reason(reason)
    poll = _lock_unvoted(poll)
    pause()
    changes.cancel(obj=poll, by=by, reason=reason)
    Proposal.objects.filter(pk=poll.proposal_id, status=Proposal.Status.VOTING).update(
        status=Proposal.Status.DISCUSSION, updated_at=timezone.now()
    )
    notify_building(
        building=poll.building,
        kind="poll_changed",
        text=Message(
            gettext_noop("The vote “%(question)s” was cancelled: %(reason)s"),
            question=poll.question,
            reason=reason,
        ),
        link=poll.get_absolute_url(),
    )
    return poll
