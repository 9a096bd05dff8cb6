"""Pure predicates for the fund; the building-level access comes from buildings.permissions."""

from buildings.permissions import Access
from funds.models import LedgerEntry, Receipt


def can_log_money(access: Access) -> bool:
    """Only the building's leaders and staff log donations, expenses and goods."""
    return access.can_manage


def can_adopt_rules(access: Access) -> bool:
    """Usage rules are adopted by the self-governance team."""
    return access.can_organise


def can_start_campaign(access: Access) -> bool:
    return access.can_organise


def can_pledge(access: Access) -> bool:
    """Residents pledge for themselves; staff have no household to pledge from."""
    return access.resident is not None and access.can_participate


def can_reverse(access: Access, entry: LedgerEntry, already_reversed: bool) -> bool:
    return (
        access.can_manage
        and entry.kind != LedgerEntry.Kind.REVERSAL
        and not already_reversed
    )


def can_see_receipt(access: Access, receipt: Receipt) -> bool:
    """The building sees a receipt once it is blurred and confirmed; leaders see it at once."""
    return receipt.is_public or access.can_manage


def can_see_original_receipt(access: Access) -> bool:
    return access.can_manage
