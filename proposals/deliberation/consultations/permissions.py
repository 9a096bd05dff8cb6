"""Who may answer consultations."""

from buildings.permissions import Access


def can_answer_consultation(access: Access) -> bool:
    return access.resident is not None and access.can_participate
