"""The fund's part of a person's data export and of leaving (see buildings.privacy).

Ledger entries are append-only and stay: the donor link points at the Resident row,
whose name the root app replaces, so the amounts remain and the name goes.
"""

from funds.models import LedgerEntry, Pledge


def export_user_data(user) -> dict:
    donations = LedgerEntry.objects.filter(donor_resident__user=user).select_related(
        "campaign", "reversed_by"
    )
    pledges = Pledge.objects.filter(resident__user=user).select_related(
        "need__campaign"
    )
    return {
        "donations": [
            {
                "date": entry.occurred_on.isoformat(),
                "kind": entry.kind,
                "amount": f"{entry.amount:.2f}",
                "shown_as": entry.public_name,
                "campaign": entry.campaign.title if entry.campaign_id else "",
                # The date of the reversal (冲正) that cancelled it, if one did.
                "reversed_on": _reversed_on(entry),
            }
            for entry in donations
        ],
        "pledges": [
            {
                "campaign": pledge.need.campaign.title,
                "need": pledge.need.description,
                "quantity": pledge.quantity,
                "note": pledge.note,
            }
            for pledge in pledges
        ],
    }


def _reversed_on(entry: LedgerEntry) -> str:
    reversal = getattr(entry, "reversed_by", None)
    return reversal.occurred_on.isoformat() if reversal is not None else ""


def anonymise_user(user) -> None:
    # A pledge's count stays (the campaign's progress); a free-text note may name the person.
    Pledge.objects.filter(resident__user=user).update(note="")
