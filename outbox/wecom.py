"""Posting text to a WeCom group robot (企业微信群机器人)."""

import json
import logging
import urllib.error
import urllib.request

from django.conf import settings
from django.utils.translation import gettext_noop

from buildings.wording import Message
from outbox.models import WECOM_PATH, wecom_key

logger = logging.getLogger("outbox.wecom")

# WeCom's error codes worth trying again: busy, rate-limited.
RETRYABLE_CODES = {-1, 45009, 45033}
# The ones that mean the address itself is wrong.
BAD_ADDRESS_CODES = {93000, 40008, 40014, 40058}


class WecomError(Exception):
    def __init__(self, message, *, code: str, retryable: bool):
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.retryable = retryable

    def __str__(self):
        return str(self.message)


def endpoint(webhook_url: str) -> str:
    """The address to post to: WeCom's, or the stand-in's when LOUZU_WECOM_BASE_URL is set."""
    base = settings.LOUZU_WECOM_BASE_URL.rstrip("/")
    return f"{base}{WECOM_PATH}?key={wecom_key(webhook_url)}"


def post_text(webhook_url: str, text: str) -> None:
    """Post one text message; raise WecomError with a message a leader understands."""
    body = json.dumps(
        {"msgtype": "text", "text": {"content": text}}, ensure_ascii=False
    ).encode()
    request = urllib.request.Request(
        endpoint(webhook_url),
        data=body,
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            answer = json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        logger.warning("WeCom robot answered HTTP %s", error.code)
        raise WecomError(
            Message(
                gettext_noop("WeCom answered with HTTP error %(code)s."),
                code=error.code,
            ),
            code=f"http_{error.code}",
            retryable=error.code >= 500 or error.code == 429,
        ) from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        logger.warning("WeCom robot unreachable: %s", error)
        raise WecomError(
            Message(gettext_noop("WeCom could not be reached (network).")),
            code="network",
            retryable=True,
        ) from None
    except ValueError:
        logger.warning("WeCom robot answered something that is not JSON")
        raise WecomError(
            Message(gettext_noop("WeCom gave an answer that could not be read.")),
            code="bad_answer",
            retryable=True,
        ) from None
    code = answer.get("errcode", -1)
    if code == 0:
        return
    logger.warning("WeCom robot error %s: %s", code, answer.get("errmsg", ""))
    if code in BAD_ADDRESS_CODES:
        message = Message(
            gettext_noop(
                "WeCom does not know this robot address (error %(code)s); "
                "copy it again from the group's robot settings."
            ),
            code=code,
        )
    else:
        message = Message(
            gettext_noop("WeCom refused the message (error %(code)s: %(reason)s)."),
            code=code,
            reason=str(answer.get("errmsg", ""))[:100],
        )
    raise WecomError(message, code=str(code), retryable=code in RETRYABLE_CODES)
