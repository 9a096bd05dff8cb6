"""Writes for proposals: drafting, editing, discussing, deciding and what a decision changes."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from buildings.models import Building, User
from buildings.notify import Message, notify_many
from core.races import locked
from proposals.deliberation.conventions.services import adopt_convention
from proposals.deliberation.notices import notify_building
from proposals.deliberation.polls.models import Poll
from proposals.deliberation.proposals.models import Proposal, ProposalComment
from proposals.issues.models import Issue

TRANSITIONS = {
    # A raised matter: the leader may put it on the agenda early, or decline it.
    Proposal.Status.GATHERING: {
        Proposal.Status.DISCUSSION,
        Proposal.Status.WITHDRAWN,
    },
    Proposal.Status.DRAFT: {Proposal.Status.DISCUSSION, Proposal.Status.WITHDRAWN},
    Proposal.Status.DISCUSSION: {
        Proposal.Status.WITHDRAWN,
        Proposal.Status.ADOPTED,
        Proposal.Status.REJECTED,
    },
}


def create_proposal(
    *,
    building: Building,
    author: User,
    kind: str,
    title: str,
    body: str,
    budget: Decimal | None = None,
    origin_issue_ids: list[int] | None = None,
) -> Proposal:
    """Draft a proposal (议题), possibly from issue reports."""
    if budget is not None and budget < 0:
        raise ValidationError(_("The budget cannot be negative."))
    issues = _issues_of(building, origin_issue_ids or [])
    proposal = Proposal.objects.create(
        building=building,
        author=author,
        kind=kind,
        title=title.strip(),
        body=body.strip(),
        budget=budget,
    )
    proposal.origin_issues.set(issues)
    return proposal


def _issues_of(building: Building, issue_ids: list[int]) -> list:
    """The building's issues with those numbers, or a clear error naming the first stranger."""
    wanted = sorted(set(issue_ids))
    issues = list(Issue.objects.in_building(building).filter(pk__in=wanted))
    found = {issue.pk for issue in issues}
    for number in wanted:
        if number not in found:
            raise ValidationError(
                _("There is no issue #%(number)d in this building.")
                % {"number": number}
            )
    return issues


@transaction.atomic
def update_proposal(
    *,
    proposal: Proposal,
    title: str,
    body: str,
    budget: Decimal | None,
    origin_issue_ids: list[int],
) -> Proposal:
    """Edit a proposal while it is a draft or in discussion."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status not in (Proposal.Status.DRAFT, Proposal.Status.DISCUSSION):
        raise ValidationError(
            _("A proposal can only be edited while it is a draft or in discussion.")
        )
    issues = _issues_of(proposal.building, origin_issue_ids)
    proposal.title = title.strip()
    proposal.body = body.strip()
    proposal.budget = budget
    proposal.save(update_fields=["title", "body", "budget", "updated_at"])
    proposal.origin_issues.set(issues)
    return proposal


@transaction.atomic
def change_proposal_status(
    *, proposal: Proposal, to_status: str, actor: User, note: str = ""
) -> Proposal:
    """Move a proposal along draft -> discussion -> adopted | rejected | withdrawn."""
    # The building first, as closing a poll does (it decides the proposal too, and an
    # adoption may rename the building): the other order could deadlock with it.
    locked(Building.objects.filter(pk=proposal.building_id)).get()
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if to_status not in TRANSITIONS.get(proposal.status, set()):
        raise ValidationError(
            _("A proposal that is “%(current)s” cannot become “%(new)s”.")
            % {
                "current": proposal.get_status_display(),
                "new": Proposal.Status(to_status).label
                if to_status in Proposal.Status.values
                else to_status,
            }
        )
    if to_status in (Proposal.Status.ADOPTED, Proposal.Status.REJECTED):
        if not note.strip():
            raise ValidationError(
                _("Say how it was decided, for example at which council meeting.")
            )
        proposal.decided_at = timezone.now()
    was_gathering = proposal.is_gathering
    if was_gathering and to_status == Proposal.Status.WITHDRAWN and not note.strip():
        raise ValidationError(
            _("Say why the matter is declined: the residents who raised it are told.")
        )
    if was_gathering and to_status == Proposal.Status.DISCUSSION:
        proposal.agenda_reached_at = timezone.now()
    proposal.status = to_status
    proposal.decision_note = note.strip()[:300]
    proposal.save(
        update_fields=[
            "status",
            "decided_at",
            "decision_note",
            "agenda_reached_at",
            "updated_at",
        ]
    )
    if proposal.raised:
        values = {
            "title": proposal.title,
            "status": Proposal.Status(proposal.status).label,  # the reader's words
        }
        if proposal.decision_note:
            text = Message(
                gettext_noop("“%(title)s” is now: %(status)s. Why: %(note)s"),
                note=proposal.decision_note,
                **values,
            )
        else:
            text = Message(gettext_noop("“%(title)s” is now: %(status)s."), **values)
        notify_followers(proposal=proposal, text=text)
    if to_status == Proposal.Status.DISCUSSION and not was_gathering:
        notify_building(
            building=proposal.building,
            kind="proposal_discussion",
            text=Message(
                gettext_noop("New proposal for discussion: %(title)s"),
                title=proposal.title,
            ),
            link=proposal.get_absolute_url(),
        )
    elif proposal.is_adopted:
        apply_adoption(proposal=proposal, poll=None, winner=None)
    return proposal


def add_comment(*, proposal: Proposal, author: User, name: str, text: str):
    """Comment on a proposal while it is being discussed or voted on."""
    text = text.strip()
    if not text:
        raise ValidationError(_("Write something before sending."))
    if proposal.status not in (
        Proposal.Status.GATHERING,
        Proposal.Status.DRAFT,
        Proposal.Status.DISCUSSION,
        Proposal.Status.VOTING,
    ):
        raise ValidationError(_("The discussion of this proposal is closed."))
    return ProposalComment.objects.create(
        proposal=proposal, author=author, author_name=name[:40], text=text
    )


def followers(proposal: Proposal) -> list[User]:
    """Who follows a raised matter: its proposer and the residents who co-signed it."""
    users = {proposal.author_id: proposal.author}
    for cosign in proposal.cosigns.select_related("resident__user"):
        if cosign.resident.user_id is not None:
            users.setdefault(cosign.resident.user_id, cosign.resident.user)
    return list(users.values())


def notify_followers(*, proposal: Proposal, text: str | Message) -> int:
    """Tell the proposer and co-signers of a raised matter how it is getting on."""
    return notify_many(
        recipients=followers(proposal),
        kind="proposal_followed",
        text=text,
        link=proposal.get_absolute_url(),
    )


def apply_adoption(*, proposal: Proposal, poll: Poll | None, winner) -> None:
    """What an adopted proposal changes: the building's name or its convention."""
    building = proposal.building
    if proposal.kind == Proposal.Kind.NAMING and winner is not None:
        building = locked(Building.objects.filter(pk=building.pk)).get()
        building.name = winner.label[:40]
        building.save(update_fields=["name"])
    elif proposal.kind == Proposal.Kind.CONVENTION:
        adopt_convention(proposal=proposal, poll=poll)
