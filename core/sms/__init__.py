"""Text messages (SMS) to mainland mobile numbers, through one small interface.

    from core import sms
    sms.send("138 1234 5678", "您的验证码是 123456", kind="login_code", params={"code": "123456"})

The backend is settings.LOUZU_SMS_BACKEND: the console backend (development, tests)
prints and keeps every message; the Aliyun and Tencent Cloud backends send the
provider's template for `kind` (settings.LOUZU_SMS_TEMPLATES) with `params` as its
variables, because real providers only send approved templates, never free text.
Any failure is logged on the "core.sms" logger and raised as SmsError, whose message
is safe to show to the user.
"""

import logging

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger("core.sms")


class SmsError(Exception):
    """A message that could not be sent.

    message: for the user, translated; code: the provider's code (or ours:
    "not_configured", "no_template", "network", "bad_number"); retryable: whether
    trying again later may succeed (throttling, network) or not (bad template, no
    money left, bad number).
    """

    def __init__(self, message, code: str, retryable: bool = False):
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.retryable = retryable

    def __str__(self):
        return str(self.message)


# The user's message for each kind of failure the providers report.
THROTTLED = _("Too many text messages to this number for now. Please try again later.")
PROVIDER_BROKEN = _(
    "Text messages cannot be sent at the moment. Please try again later, or ask your building leader."
)
BAD_NUMBER = _("This number cannot receive text messages. Check the number.")


def template_for(kind: str) -> str:
    """The provider's template id for a kind of message; SmsError when none is set."""
    template = settings.LOUZU_SMS_TEMPLATES.get(kind)
    if not template:
        logger.error("No SMS template configured for kind %r", kind)
        raise SmsError(PROVIDER_BROKEN, code="no_template", retryable=False)
    return template


def get_backend():
    return import_string(settings.LOUZU_SMS_BACKEND)()


def send(phone: str, text: str, *, kind: str, params: dict | None = None) -> None:
    """Send one text message; raise SmsError if it could not be sent."""
    from buildings.phones import normalize_phone, validate_mobile

    number = normalize_phone(phone)
    try:
        validate_mobile(number)
    except Exception:
        logger.warning("SMS refused: not a mainland mobile number (kind %s)", kind)
        raise SmsError(BAD_NUMBER, code="bad_number", retryable=False) from None
    params = {key: str(value) for key, value in (params or {}).items()}
    get_backend().send(number, str(text), kind=kind, params=params)
