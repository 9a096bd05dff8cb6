"""Times as residents say them, in the current language."""

from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext as _


def when(value) -> str:
    """3月2日 周六 9:30 / Sat 2 Mar 9:30."""
    if not value:
        return ""
    # Translators: a PHP-style date format (Django's date filter), for example 3月2日 周六 9:30.
    return format_date(timezone.localtime(value), _("D j M G:i"))


def day(value) -> str:
    """2026年3月2日 / 2 Mar 2026."""
    if not value:
        return ""
    # Translators: a PHP-style date format with the year, for example 2026年3月2日.
    return format_date(timezone.localtime(value), _("j M Y"))
