"""Times, durations, amounts and rooms as people say them, in the current language.

One module for every template (a builtin: no {% load %} needed, see config/settings.py)
and for Python code that writes the same things into a page or a message:

- `when`: a moment. "今天 14:00", "昨天 09:30", "明天 08:00", "11月27日（周五）14:00",
  another year "2025年11月27日（周五）14:00"; in English "Today 14:00", "Yesterday 09:30",
  "Fri 27 Nov 14:00", "Fri 27 Nov 2025 14:00". `when:"exact"` never says today or
  yesterday (for paper, which is read on another day).
- `day`: a date (or the date of a moment), the same way without the time.
- `span`: a range, `{{ start|span:end }}`: "今天 13:00–14:00" on one day, both ends
  in full across days. `span_exact` for paper.
- `clock`: "09:30", always two digits for the hour.
- `duration`: hours as people say them: "45 分钟", "5 小时", "3 天" (never "72.0 小时").
- `yuan`: ¥1,100.00, everywhere, the dashboard included.
- `room`: a household or a room number as a room, "302室" / "Room 302";
  `room:"masked"` keeps only the first and last character ("3*2室").
"""

import datetime
import functools
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.translation import get_language, gettext_lazy, ngettext, pgettext_lazy
from django.utils.translation import gettext as _

register = template.Library()

EXACT = "exact"


# Translated when used: a date is written in a loop on many pages, and translating
# the seven names (and the three relative days) for each date cost more than the rest.
_WEEKDAYS = (
    pgettext_lazy("abbreviated weekday", "Mon"),
    pgettext_lazy("abbreviated weekday", "Tue"),
    pgettext_lazy("abbreviated weekday", "Wed"),
    pgettext_lazy("abbreviated weekday", "Thu"),
    pgettext_lazy("abbreviated weekday", "Fri"),
    pgettext_lazy("abbreviated weekday", "Sat"),
    pgettext_lazy("abbreviated weekday", "Sun"),
)
_RELATIVE_DAYS = {
    0: gettext_lazy("Today"),
    -1: gettext_lazy("Yesterday"),
    1: gettext_lazy("Tomorrow"),
}


def _weekday(moment) -> str:
    return str(_WEEKDAYS[moment.weekday()])


def _local(value):
    """A datetime in local time, a date as it is; None for anything else."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value) if timezone.is_aware(value) else value
    if isinstance(value, datetime.date):
        return value
    return None


def _date_part(value, style: str) -> str:
    """今天 / 昨天 / 明天 (unless exact), else 11月27日（周五）, with the year if not this one."""
    today = timezone.localdate()
    the_day = value.date() if isinstance(value, datetime.datetime) else value
    if style != EXACT:
        relative = _RELATIVE_DAYS.get((the_day - today).days)
        if relative is not None:
            return str(relative)
    return _written(the_day, the_day.year == today.year, get_language())


@functools.lru_cache(maxsize=4096)
def _written(the_day, this_year: bool, language) -> str:
    """11月27日（周五）: the same words for the same day in a language (the argument that
    keys the memo), so a list of dates writes each day once per process."""
    if this_year:
        # Translators: a date in this year, in Django's date format; D is the weekday
        # (周五). For example 11月27日（周五）.
        pattern = _("D j M")
    else:
        # Translators: a date in another year, in Django's date format; D is the weekday
        # (周五). For example 2025年11月27日（周五）.
        pattern = _("D j M Y")
    # Our own weekday names (周五, not 星期五), written into the format as literal text.
    weekday = "".join(f"\\{char}" for char in _weekday(the_day))
    pattern = re.sub(r"(?<!\\)D", lambda _match: weekday, pattern)
    return format_date(the_day, pattern)


@register.filter
def clock(value) -> str:
    """09:30"""
    value = _local(value)
    if not isinstance(value, datetime.datetime | datetime.time):
        return ""
    return f"{value:%H:%M}"


@register.filter
def when(value, style: str = "") -> str:
    """今天 14:00 · 昨天 09:30 · 11月27日（周五）14:00 · 2025年11月27日（周五）14:00"""
    value = _local(value)
    if value is None:
        return ""
    if not isinstance(value, datetime.datetime):
        return _date_part(value, style)
    # Translators: a day and a time, for example "今天 14:00" or "11月27日（周五）14:00".
    return _("%(day)s %(time)s") % {
        "day": _date_part(value, style),
        "time": clock(value),
    }


@register.filter
def day(value, style: str = "") -> str:
    """今天 · 11月27日（周五） · 2025年11月27日（周五）"""
    value = _local(value)
    if value is None:
        return ""
    return _date_part(value, style)


@register.filter
def span(start, end, style: str = "") -> str:
    """今天 13:00–14:00; across days, both ends in full."""
    start, end = _local(start), _local(end)
    if start is None:
        return ""
    if end is None:
        return when(start, style)
    if not isinstance(start, datetime.datetime) or not isinstance(
        end, datetime.datetime
    ):
        if start == end:
            return day(start, style)
        return f"{day(start, style)} – {day(end, style)}"
    if start.date() == end.date():
        return f"{when(start, style)}–{clock(end)}"
    return f"{when(start, style)} – {when(end, style)}"


@register.filter
def span_exact(start, end) -> str:
    """span for paper: no today or yesterday."""
    return span(start, end, EXACT)


def _whole(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@register.filter
def duration(hours) -> str:
    """Hours as people say them: 45 分钟, 5 小时, 36 小时, 3 天 (from two days on,
    rounded to whole days)."""
    if hours in (None, ""):
        return "—"
    try:
        hours = Decimal(str(hours))
    except (InvalidOperation, ValueError, TypeError):
        return "—"
    if hours < 1:
        minutes = max(1, _whole(hours * 60))
        return ngettext("%(count)s minute", "%(count)s minutes", minutes) % {
            "count": minutes
        }
    if hours < 48:
        whole = _whole(hours)
        return ngettext("%(count)s hour", "%(count)s hours", whole) % {"count": whole}
    days = _whole(hours / 24)
    return ngettext("%(count)s day", "%(count)s days", days) % {"count": days}


@register.filter
def yuan(value) -> str:
    """¥1,234.50 (a minus sign in front of negative amounts); empty for no value."""
    if value in (None, ""):
        return ""
    if isinstance(value, float):
        value = repr(value)  # what was meant, not the float's binary noise
    try:
        amount = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError, TypeError):
        return ""
    sign = "-" if amount < 0 else ""
    return f"{sign}¥{abs(amount):,.2f}"


@register.filter
def room(value, style: str = "") -> str:
    """302室 / Room 302; "masked": 3*2室, enough to see that a household took part."""
    if value in (None, ""):
        return ""
    number = str(getattr(value, "room", value))
    if style == "masked":
        number = (
            number[0] + "*"
            if len(number) <= 2
            else number[0] + "*" * (len(number) - 2) + number[-1]
        )
    # Translators: a room number, for example 302室.
    return _("Room %(room)s") % {"room": number}
