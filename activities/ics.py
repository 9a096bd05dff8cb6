"""A tiny RFC 5545 writer for one event.

Written by hand rather than with the icalendar library: one VEVENT with a handful of
properties needs only text escaping (3.3.11), UTC date-times (3.3.5), CRLF line ends
and folding at 75 octets (3.1), which must not split a UTF-8 character (our titles
are Chinese). Fewer than 60 lines, no new dependency.
"""

import re
from datetime import UTC, datetime

from django.conf import settings
from django.utils import timezone

from activities.models import Activity

# Control characters other than tab, which TEXT may not hold.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def escape_text(value: str) -> str:
    """TEXT value escaping: backslash, semicolon, comma and newlines; no other controls."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    value = value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")
    return CONTROL_CHARACTERS.sub("", value)  # TEXT allows no control but tab (3.3.11)


def fold(line: str) -> str:
    """Fold a content line into chunks of at most 75 octets, never inside a character."""
    chunks, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > 75:
            chunks.append(current)
            current, size = "", 1  # continuation lines start with one space
        current += char
        size += width
    chunks.append(current)
    return "\r\n ".join(chunks)


def utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def activity_ics(activity: Activity, url: str) -> str:
    """The activity as a VCALENDAR with one VEVENT."""
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "louzu"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Louzu//Activities//ZH",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:activity-{activity.pk}@{host}",
        f"DTSTAMP:{utc(timezone.now())}",
        f"DTSTART:{utc(activity.starts_at)}",
        f"DTEND:{utc(activity.ends_at)}",
        f"SUMMARY:{escape_text(activity.title)}",
        f"LOCATION:{escape_text(activity.place)}",
        f"DESCRIPTION:{escape_text((activity.text + chr(10) + url).strip())}",
        f"URL:{url}",
        f"LAST-MODIFIED:{utc(activity.updated_at)}",
        # Called off as its page says (3.8.1.11), so a calendar shows it struck out.
        f"STATUS:{'CANCELLED' if activity.is_cancelled else 'CONFIRMED'}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(fold(line) + "\r\n" for line in lines)
