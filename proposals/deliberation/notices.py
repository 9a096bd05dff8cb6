"""How deliberation tells people: a time written the local way, a notice to the building."""

from datetime import datetime

from buildings.models import Building, Resident
from buildings.notify import Message, notify_many
from core.templatetags.words import when


def when_text(moment: datetime) -> str:
    return when(moment, "exact")


def notify_building(
    *, building: Building, kind: str, text: str | Message, link: str
) -> None:
    """Tell every approved resident with an account in the building."""
    residents = (
        Resident.objects.approved()
        .in_building(building)
        .filter(user__isnull=False)
        .select_related("user")
    )
    notify_many(
        recipients=[resident.user for resident in residents],
        kind=kind,
        text=text,
        link=link,
    )
