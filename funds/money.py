"""Money is Decimal yuan with two places, end to end.

Every rounding goes through to_money(); every amount a person types goes through
parse_money(), which is strict: it accepts "12", "12.5", "1,000.50", "¥12", "12元" and
full-width digits ("１２．５０" is normalised to "12.50"), and rejects everything else
with a message that says what to type instead.
"""

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.templatetags.words import yuan

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
# One entry in a building fund never comes near this; a typo of a few zeros does.
MAX_AMOUNT = Decimal("1000000.00")

_PLAIN = re.compile(r"^\d+(\.\d{1,2})?$")
_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+(\.\d{1,2})?$")


def to_money(value) -> Decimal:
    """Round anything numeric (Decimal, int, str, a DB sum with float noise) to 0.01
    yuan; zero is always 0.00, never -0.00."""
    if value is None:
        return ZERO
    if isinstance(value, float):
        # Only database sums on SQLite ever hand us floats; repr() keeps what was meant.
        value = repr(value)
    money = Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    # A SQLite sum that should be 0 can be a float a hair below it (0.30 - 0.10 - 0.20
    # is -2.8e-17), which rounds to -0.00: every zero is written 0.00.
    return money if money else ZERO


def parse_money(raw, *, allow_zero: bool = False) -> Decimal:
    """Parse a positive amount typed by a person, or raise ValidationError."""
    text = unicodedata.normalize("NFKC", str(raw or "")).strip()
    # Common decorations: ¥ / ￥ in front, 元 behind, spaces anywhere.
    text = text.replace(" ", "").removeprefix("¥").removesuffix("元")
    text = text.replace("。", ".")
    if not text:
        raise ValidationError(
            _("Please enter an amount, for example 50 or 12.50."), code="required"
        )
    if text.startswith("-"):
        raise ValidationError(_("The amount must be more than zero."), code="negative")
    if not (_PLAIN.match(text) or _GROUPED.match(text)):
        if re.match(r"^[\d,]+\.\d{3,}$", text):
            raise ValidationError(
                _("Yuan have at most two decimal places (fen), for example 12.50."),
                code="too_precise",
            )
        raise ValidationError(
            _("Please enter the amount in digits, for example 50 or 1,200.50."),
            code="invalid",
        )
    try:
        amount = Decimal(text.replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - the patterns above exclude it
        raise ValidationError(
            _("Please enter the amount in digits."), code="invalid"
        ) from exc
    if amount <= 0 and not allow_zero:
        raise ValidationError(_("The amount must be more than zero."), code="zero")
    if amount > MAX_AMOUNT:
        raise ValidationError(
            _("That is more than %(max)s in one entry. Please check the number.")
            % {"max": format_money(MAX_AMOUNT)},
            code="too_large",
        )
    return to_money(amount)


def format_money(amount) -> str:
    """¥1,234.50 (a minus sign in front of negative amounts), as every page writes it."""
    return yuan(to_money(amount))


class MoneyField(forms.CharField):
    """A form field for a positive yuan amount, parsed by parse_money()."""

    default_error_messages = {
        "required": gettext_lazy("Please enter an amount, for example 50 or 12.50."),
    }

    def __init__(self, *, allow_zero: bool = False, **kwargs):
        self.allow_zero = allow_zero
        kwargs.setdefault("label", gettext_lazy("Amount (¥)"))
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {"inputmode": "decimal", "autocomplete": "off", "maxlength": "30"}
        )

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        if len(value) > 30:
            raise ValidationError(
                _("Please enter the amount in digits, for example 50 or 1,200.50."),
                code="invalid",
            )
        return parse_money(value, allow_zero=self.allow_zero)

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return f"{value:.2f}"
        return value
