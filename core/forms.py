"""Form fields every app shares."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

YEARS_AROUND = 100


def near_today(value) -> None:
    """Refuse a date a century or more from today (a mistyped year: 0001, 9999)."""
    if value is not None and abs(value.year - timezone.localdate().year) > YEARS_AROUND:
        raise ValidationError(
            _("That date is too far from today. Please check the year."),
            code="far_year",
        )


class DateTimeField(forms.DateTimeField):
    """A date and time near today. A year far off is refused with a message before
    anything is saved: Django cannot turn the first hours of year 1 in Shanghai into
    UTC, and weeks added to a date in 9999 pass the last year Python knows."""

    default_validators = [near_today]


class DateField(forms.DateField):
    """A day near today: a year a century away is a mistyped year, refused with a
    message (a meeting task due in 0001, a rule adopted in 9999)."""

    default_validators = [near_today]
