"""Mobile phone numbers: one normal form everywhere (11 digits, mainland China)."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MOBILE_RE = re.compile(r"^1[3-9][0-9]{9}$")


def ascii_digits(text: str) -> str:
    """Any script's decimal digits (３, ٣, ३) as 0-9; other characters unchanged.

    Superscripts and circled numbers (², ③) are not decimal digits and stay as they
    are, so a check for 0-9 refuses them instead of reading them as numbers.
    """
    return "".join(
        str(unicodedata.decimal(char)) if char.isdecimal() else char for char in text
    )


def normalize_phone(raw: str) -> str:
    """Full-width digits, spaces, dashes and a +86 prefix are tolerated."""
    text = ascii_digits(unicodedata.normalize("NFKC", raw or ""))
    text = re.sub(r"[\s\-()]", "", text)
    if text.startswith("+86"):
        text = text[3:]
    elif text.startswith("0086"):
        text = text[4:]
    return text


def validate_mobile(value: str) -> None:
    if not MOBILE_RE.match(value or ""):
        raise ValidationError(
            _("Enter an 11-digit mainland mobile number, such as 13812345678."),
            code="invalid_phone",
        )


def mask_phone(value: str) -> str:
    """138****5678: what other residents may see of a number."""
    if not value or len(value) < 7:
        return "****"
    return f"{value[:3]}****{value[-4:]}"


def axes_username(request, credentials) -> str:
    """Axes counts failures per normalised phone number, so 138 1234 5678 == 13812345678."""
    raw = ""
    if credentials:
        raw = credentials.get("username") or credentials.get("phone") or ""
    if not raw and request is not None:
        raw = request.POST.get("username", "")
    return normalize_phone(raw)
