"""Who may sign the building convention."""

from buildings.permissions import Access


def can_sign_convention(access: Access) -> bool:
    return access.resident is not None and access.resident.is_adult
