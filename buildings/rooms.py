"""Buildings and rooms in the order residents count them: 3, 5, 8, 12, 16 and 101, 102,
201, 1201 (not 12, 16, 3 or 101, 1201, 201).

Two spellings of one order: `room_key` sorts in Python (lists already fetched, numbers
inside any text: 3-201 before 3-1001), and `natural` orders in the database (any
backend): a shorter number before a longer one, then alphabetically, which is counting
order for numbers written the same way ("8号楼" before "12号楼", "302" before "1201").
"""

import re

from django.db.models.functions import Length

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


def natural(field: str) -> list:
    """Order-by terms for a number or room field (or a lookup reaching one), natural order."""
    return [Length(field).asc(), field]


def in_room_order(households) -> list:
    """Households (anything with a .room) sorted in natural room order."""
    return sorted(households, key=lambda household: room_key(household.room))


def in_building_order(buildings) -> list:
    """Buildings (anything with a .number) sorted in natural order: 3, 5, 8, 12, 16."""
    return sorted(buildings, key=lambda building: room_key(building.number))
