"""Tencent Cloud SMS (短信, sms 2021-01-11) on its official SDK.

Settings (environment variables): LOUZU_TENCENT_SECRET_ID, LOUZU_TENCENT_SECRET_KEY,
LOUZU_TENCENT_SMS_APP_ID (SmsSdkAppId), LOUZU_TENCENT_SMS_REGION, LOUZU_SMS_SIGN_NAME,
LOUZU_SMS_TEMPLATES ("login_code=1234567,..."), and LOUZU_TENCENT_SMS_ENDPOINT /
LOUZU_TENCENT_SMS_SCHEME to point elsewhere (the tests use a stand-in on 127.0.0.1).

Tencent templates take their variables by position ({1}, {2}): the values of
`params` in their order. Request errors come back as Response.Error and the SDK
raises them (e.g. FailedOperation.TemplateIncorrectOrUnapproved); a refusal for one
number is in its SendStatus (e.g. LimitExceeded.PhoneNumberDailyLimit).
"""

import logging

from django.conf import settings
from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import (
    TencentCloudSDKException,
)
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.sms.v20210111 import models, sms_client

from core.sms import BAD_NUMBER, PROVIDER_BROKEN, THROTTLED, SmsError, template_for

logger = logging.getLogger("core.sms")

BAD_NUMBER_CODES = {
    "InvalidParameterValue.IncorrectPhoneNumber",
    "FailedOperation.PhoneNumberInBlacklist",
    "UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber",
}
NETWORK_CODES = {"ClientNetworkError", "ServerNetworkError", "ClientError"}


def _error(code: str, detail: str) -> SmsError:
    logger.error("Tencent SMS refused: %s %s", code, detail)
    if code.startswith(("LimitExceeded", "RequestLimitExceeded")) or code in {
        "InternalError",
        "InternalError.Timeout",
        "InternalError.RequestTimeException",
    }:
        return SmsError(THROTTLED, code=code, retryable=True)
    if code in NETWORK_CODES:
        return SmsError(THROTTLED, code="network", retryable=True)
    if code in BAD_NUMBER_CODES:
        return SmsError(BAD_NUMBER, code=code, retryable=False)
    return SmsError(PROVIDER_BROKEN, code=code, retryable=False)


class TencentBackend:
    def __init__(self):
        if not (
            settings.LOUZU_TENCENT_SECRET_ID
            and settings.LOUZU_TENCENT_SECRET_KEY
            and settings.LOUZU_TENCENT_SMS_APP_ID
            and settings.LOUZU_SMS_SIGN_NAME
        ):
            logger.error("Tencent SMS is not configured (keys, app id or sign name)")
            raise SmsError(PROVIDER_BROKEN, code="not_configured", retryable=False)
        http = HttpProfile(
            endpoint=settings.LOUZU_TENCENT_SMS_ENDPOINT,
            protocol=settings.LOUZU_TENCENT_SMS_SCHEME,
            reqTimeout=settings.LOUZU_SMS_TIMEOUT,
        )
        self.client = sms_client.SmsClient(
            credential.Credential(
                settings.LOUZU_TENCENT_SECRET_ID, settings.LOUZU_TENCENT_SECRET_KEY
            ),
            settings.LOUZU_TENCENT_SMS_REGION,
            ClientProfile(httpProfile=http),
        )

    def send(self, phone: str, text: str, *, kind: str, params: dict) -> None:
        request = models.SendSmsRequest()
        request.SmsSdkAppId = settings.LOUZU_TENCENT_SMS_APP_ID
        request.SignName = settings.LOUZU_SMS_SIGN_NAME
        request.TemplateId = template_for(kind)
        request.TemplateParamSet = list(params.values())
        request.PhoneNumberSet = [f"+86{phone}"]
        try:
            response = self.client.SendSms(request)
        except TencentCloudSDKException as error:
            raise _error(str(error.code), str(error.message)) from error
        except Exception as error:  # connection refused, timeout, unreadable answer
            logger.error("Tencent SMS could not be reached: %r", error)
            raise SmsError(THROTTLED, code="network", retryable=True) from error
        statuses = response.SendStatusSet or []
        if not statuses:
            raise _error("unknown", "no SendStatus in the answer")
        status = statuses[0]
        if status.Code != "Ok":
            raise _error(status.Code or "unknown", status.Message or "")
        logger.info("Tencent SMS sent (%s), serial %s", kind, status.SerialNo)
