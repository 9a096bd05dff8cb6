"""Seasons of the one-foot gardens: a season is named by its first day (1 March, 1 June,
1 September, 1 December), so "one household per space per season" is one date column."""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from buildings.wording import Message

FIRST_MONTHS = (3, 6, 9, 12)


def season_of(day: date) -> date:
    """The first day of the season the day falls in (January belongs to December's)."""
    month = FIRST_MONTHS[((day.month - 3) % 12) // 3]
    year = day.year - 1 if day.month < 3 else day.year
    return date(year, month, 1)


def current_season() -> date:
    return season_of(timezone.localdate())


def next_season(season: date) -> date:
    month = season.month + 3
    return date(season.year + (month > 12), (month - 1) % 12 + 1, 1)


def season_end(season: date) -> date:
    """The last day of the season."""
    following = next_season(season)
    return date.fromordinal(following.toordinal() - 1)


SEASON_NAMES = {
    3: gettext_noop("Spring %(year)s"),
    6: gettext_noop("Summer %(year)s"),
    9: gettext_noop("Autumn %(year)s"),
    12: gettext_noop("Winter %(year)s"),
}


def season_message(season: date) -> Message:
    """The season in a notification, named in the reader's language."""
    return Message(SEASON_NAMES[season.month], year=season.year)


def season_label(season: date) -> str:
    return _(SEASON_NAMES[season.month]) % {"year": season.year}
