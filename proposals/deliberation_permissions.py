"""Who may do what with proposals, polls, meetings, consultations and conventions.

Building-level access comes from buildings.permissions (VIEW / PARTICIPATE /
ORGANISE / MANAGE); these pure predicates add the rules that depend on the object.
"""

from buildings.permissions import Access
from proposals.deliberation_models import Meeting, MeetingTask, Poll, Proposal

# Deciding a proposal without a poll is the leader's (opening and closing polls is too).
LEADER_DECISIONS = (Proposal.Status.ADOPTED, Proposal.Status.REJECTED)


def can_see_proposal(access: Access, proposal: Proposal) -> bool:
    """Drafts are the team's working copies."""
    return proposal.status != Proposal.Status.DRAFT or access.can_organise


def can_edit_proposal(access: Access, proposal: Proposal) -> bool:
    return access.can_organise and proposal.status in (
        Proposal.Status.DRAFT,
        Proposal.Status.DISCUSSION,
    )


def can_comment(access: Access, proposal: Proposal) -> bool:
    return access.can_participate and proposal.status in (
        Proposal.Status.DRAFT,
        Proposal.Status.DISCUSSION,
        Proposal.Status.VOTING,
    )


def allowed_status_changes(access: Access, proposal: Proposal) -> list[str]:
    """The team opens and withdraws proposals; deciding without a poll is the leader's."""
    Status = Proposal.Status
    changes = []
    if access.can_organise and proposal.status == Status.DRAFT:
        changes += [Status.DISCUSSION, Status.WITHDRAWN]
    if access.can_organise and proposal.status == Status.DISCUSSION:
        changes.append(Status.WITHDRAWN)
    if access.can_manage and proposal.status == Status.DISCUSSION:
        changes += [Status.ADOPTED, Status.REJECTED]
    return changes


def can_open_poll(access: Access, proposal: Proposal) -> bool:
    return access.can_manage and proposal.status == Proposal.Status.DISCUSSION


def can_vote(access: Access, poll: Poll) -> bool:
    """An approved adult of the building, while the poll is open (staff do not vote)."""
    return (
        access.resident is not None
        and access.resident.is_adult
        and access.can_participate
        and poll.is_open
    )


def can_enter_ballots(access: Access, poll: Poll) -> bool:
    """Paper, door-to-door and proxy ballots are entered by a leader."""
    return access.can_manage and poll.is_open


def can_close_poll(access: Access, poll: Poll) -> bool:
    return access.can_manage and not poll.is_finalised


def can_see_voter_choices(access: Access, poll: Poll) -> bool:
    """Open polls only, once results are visible; a secret poll's choices never."""
    return not poll.is_secret and poll.results_visible


def can_manage_meeting(access: Access, meeting: Meeting) -> bool:
    return access.can_organise


def can_complete_task(access: Access, task: MeetingTask) -> bool:
    """The team, or the task's owner."""
    if task.is_done:
        return False
    return access.can_organise or (
        access.resident is not None and task.owner_id == access.resident.pk
    )


def can_answer_consultation(access: Access) -> bool:
    return access.resident is not None and access.can_participate


def can_sign_convention(access: Access) -> bool:
    return access.resident is not None and access.resident.is_adult
