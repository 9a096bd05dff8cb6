"""Who may open, vote in, enter ballots for, close and read the choices of polls."""

from buildings.permissions import Access
from proposals.deliberation.polls.models import Poll
from proposals.deliberation.proposals.models import Proposal


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
    return access.can_manage and not poll.is_finalised and not poll.is_cancelled


def can_see_voter_choices(access: Access, poll: Poll) -> bool:
    """Open polls only, once results are visible; a secret poll's choices never."""
    return not poll.is_secret and poll.results_visible


def can_change_poll(access: Access, poll: Poll) -> bool:
    """Leaders and staff, while it is neither cancelled nor closed (and, checked under
    the poll's lock by polls.changes, before the first ballot)."""
    return access.can_manage and not poll.is_cancelled and not poll.is_finalised
