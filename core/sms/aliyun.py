"""Aliyun SMS (短信服务, dysmsapi 2017-05-25) on its official SDK.

Settings (environment variables): LOUZU_ALIYUN_ACCESS_KEY_ID, LOUZU_ALIYUN_ACCESS_KEY_SECRET,
LOUZU_SMS_SIGN_NAME, LOUZU_SMS_TEMPLATES ("login_code=SMS_123,..."), and
LOUZU_ALIYUN_SMS_ENDPOINT / LOUZU_ALIYUN_SMS_PROTOCOL to point elsewhere (the tests
point them at a stand-in on 127.0.0.1).

Aliyun answers HTTP 200 with Code "OK", or with a business error code (isv.*) such
as isv.BUSINESS_LIMIT_CONTROL (throttled), isv.AMOUNT_NOT_ENOUGH (no money left) or
isv.SMS_TEMPLATE_ILLEGAL (template not approved); request errors (bad key,
signature) come as HTTP 4xx/5xx and the SDK raises them.
"""

import json
import logging

from alibabacloud_dysmsapi20170525 import models as dysms_models
from alibabacloud_dysmsapi20170525.client import Client
from alibabacloud_tea_openapi.utils_models import Config
from darabonba.runtime import RuntimeOptions
from django.conf import settings
from Tea.exceptions import TeaException

from core.sms import BAD_NUMBER, PROVIDER_BROKEN, THROTTLED, SmsError, template_for

logger = logging.getLogger("core.sms")

# Business error codes that pass with time (throttling), and those that name the number.
RETRYABLE = {
    "isv.BUSINESS_LIMIT_CONTROL",
    "isv.DAY_LIMIT_CONTROL",
    "isv.MINUTE_LIMIT_CONTROL",
    "isv.HOUR_LIMIT_CONTROL",
    "Throttling.User",
    "Throttling",
    "isp.SYSTEM_ERROR",
    "isp.RAM_PERMISSION_DENY",
    "ServiceUnavailable",
}
BAD_NUMBER_CODES = {
    "isv.MOBILE_NUMBER_ILLEGAL",
    "isv.BLACK_KEY_CONTROL_LIMIT",
    "isv.MOBILE_COUNT_OVER_LIMIT",
}


def _error(code: str, detail: str) -> SmsError:
    logger.error("Aliyun SMS refused: %s %s", code, detail)
    if code in RETRYABLE or code.startswith(("Throttling", "isp.")):
        return SmsError(THROTTLED, code=code, retryable=True)
    if code in BAD_NUMBER_CODES:
        return SmsError(BAD_NUMBER, code=code, retryable=False)
    return SmsError(PROVIDER_BROKEN, code=code, retryable=False)


class AliyunBackend:
    def __init__(self):
        if not (
            settings.LOUZU_ALIYUN_ACCESS_KEY_ID
            and settings.LOUZU_ALIYUN_ACCESS_KEY_SECRET
            and settings.LOUZU_SMS_SIGN_NAME
        ):
            logger.error("Aliyun SMS is not configured (keys or sign name missing)")
            raise SmsError(PROVIDER_BROKEN, code="not_configured", retryable=False)
        self.client = Client(
            Config(
                access_key_id=settings.LOUZU_ALIYUN_ACCESS_KEY_ID,
                access_key_secret=settings.LOUZU_ALIYUN_ACCESS_KEY_SECRET,
                endpoint=settings.LOUZU_ALIYUN_SMS_ENDPOINT,
                protocol=settings.LOUZU_ALIYUN_SMS_PROTOCOL,
            )
        )

    def send(self, phone: str, text: str, *, kind: str, params: dict) -> None:
        request = dysms_models.SendSmsRequest(
            phone_numbers=phone,
            sign_name=settings.LOUZU_SMS_SIGN_NAME,
            template_code=template_for(kind),
            template_param=json.dumps(params, ensure_ascii=False),
        )
        timeout = settings.LOUZU_SMS_TIMEOUT * 1000
        runtime = RuntimeOptions(
            autoretry=False, read_timeout=timeout, connect_timeout=timeout
        )
        try:
            response = self.client.send_sms_with_options(request, runtime)
        except TeaException as error:
            if error.code:
                raise _error(str(error.code), str(error.message)) from error
            logger.error("Aliyun SMS could not be reached: %s", error)
            raise SmsError(THROTTLED, code="network", retryable=True) from error
        except Exception as error:  # connection refused, timeout, unreadable answer
            logger.error("Aliyun SMS could not be reached: %r", error)
            raise SmsError(THROTTLED, code="network", retryable=True) from error
        body = response.body
        if body is None or body.code != "OK":
            code = getattr(body, "code", None) or "unknown"
            raise _error(code, getattr(body, "message", "") or "")
        logger.info("Aliyun SMS sent (%s), biz id %s", kind, body.biz_id)
