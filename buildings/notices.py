"""What every printed lobby notice (公示) carries: how long it stays up (公示期) and
whom to ask. Only what the building already shows its residents: the leaders' names and
roles, never a phone number or a room, never a voter or a reporter."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone

from buildings.models import Resident


@dataclass(frozen=True)
class PostingNotice:
    start: date
    end: date
    days: int
    leaders: list[str]


def posting_notice(building, start: date | None = None) -> PostingNotice:
    """The posting period, from the day it is printed (put up) for
    settings.NOTICE_POSTING_DAYS days, both ends included; and the building's leaders."""
    days = settings.NOTICE_POSTING_DAYS
    start = start or timezone.localdate()
    leaders = (
        Resident.objects.approved()
        .in_building(building)
        .filter(role=Resident.Role.LEADER)
        .order_by("name")
        .values_list("name", flat=True)
    )
    return PostingNotice(
        start=start,
        end=start + timedelta(days=days - 1),
        days=days,
        leaders=list(leaders),
    )
