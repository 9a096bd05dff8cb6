"""Who may see, edit, comment on and decide proposals.

Building-level access comes from buildings.permissions (VIEW / PARTICIPATE /
ORGANISE / MANAGE); these pure predicates add the rules that depend on the object.
"""

from django.shortcuts import get_object_or_404

from buildings.permissions import Access
from proposals.deliberation.proposals.models import Proposal


def get_proposal_or_404(access: Access, pk) -> Proposal:
    """A proposal of the access's building that this person may see."""
    return get_object_or_404(
        access.building.proposals.visible_to(access).select_related("author"), pk=pk
    )


# Deciding a proposal without a poll is the leader's (opening and closing polls is too).
LEADER_DECISIONS = (Proposal.Status.ADOPTED, Proposal.Status.REJECTED)


def can_edit_proposal(access: Access, proposal: Proposal) -> bool:
    return access.can_organise and proposal.status in (
        Proposal.Status.DRAFT,
        Proposal.Status.DISCUSSION,
    )


def can_comment(access: Access, proposal: Proposal) -> bool:
    return access.can_participate and proposal.status in (
        Proposal.Status.GATHERING,
        Proposal.Status.DRAFT,
        Proposal.Status.DISCUSSION,
        Proposal.Status.VOTING,
    )


def allowed_status_changes(access: Access, proposal: Proposal) -> list[str]:
    """The team opens and withdraws proposals; deciding without a poll is the leader's,
    and so is handling a matter residents raised while it gathers co-signatures."""
    Status = Proposal.Status
    changes = []
    if access.can_manage and proposal.status == Status.GATHERING:
        # A matter residents raised: on the agenda without waiting, or declined.
        changes += [Status.DISCUSSION, Status.WITHDRAWN]
    if access.can_organise and proposal.status == Status.DRAFT:
        changes += [Status.DISCUSSION, Status.WITHDRAWN]
    if access.can_organise and proposal.status == Status.DISCUSSION:
        changes.append(Status.WITHDRAWN)
    if access.can_manage and proposal.status == Status.DISCUSSION:
        changes += [Status.ADOPTED, Status.REJECTED]
    return changes
