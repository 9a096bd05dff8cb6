"""Who may raise, co-sign and handle matters residents raise (举手)."""

from buildings.permissions import Access
from proposals.deliberation.proposals.models import Proposal


def can_raise(access: Access) -> bool:
    """An approved adult of the building (staff are no household, so they do not)."""
    return (
        access.resident is not None
        and access.resident.is_adult
        and access.can_participate
    )


def can_cosign(access: Access, proposal: Proposal, household_signed: bool) -> bool:
    return (
        can_raise(access)
        and proposal.raised
        and proposal.is_gathering
        and not household_signed
    )


def can_handle_raised(access: Access, proposal: Proposal) -> bool:
    """The leader puts a gathering matter on the agenda early, or declines it."""
    return access.can_manage and proposal.raised and proposal.is_gathering


def can_set_threshold(access: Access) -> bool:
    return access.can_manage
