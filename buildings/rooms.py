"""Rooms in the order residents count them: 2, 3, 10, 101, 102, 201 (not 10, 101, 2)."""

import re

_PARTS = re.compile(r"(\d+)")


def room_key(room: str) -> tuple:
    """A sort key reading each run of digits as a number: 3-201 < 3-1001, 8 < 12."""
    key = []
    for index, part in enumerate(_PARTS.split(room or "")):
        if index % 2:
            key.append((0, int(part), ""))
        elif part:
            key.append((1, 0, part))
    return tuple(key)


def in_room_order(households) -> list:
    """Households (anything with a .room) sorted in natural room order."""
    return sorted(households, key=lambda household: room_key(household.room))
