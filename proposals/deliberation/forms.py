"""Form pieces the deliberation domains share: the date-time widget, one choice a line."""

from django import forms
from django.utils.translation import gettext_lazy as _

DATETIME = forms.DateTimeInput(
    attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
)


def refuse_long_lines(text: str, limit: int) -> None:
    """One line per choice: a line longer than the choice can hold is refused, not cut."""
    for line in text.splitlines():
        if len(line.strip()) > limit:
            raise forms.ValidationError(
                _("“%(start)s…” is too long: at most %(max)d characters a line.")
                % {"start": line.strip()[:10], "max": limit}
            )
