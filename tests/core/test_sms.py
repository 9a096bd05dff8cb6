"""The SMS gateway: the console backend, and the Aliyun and Tencent Cloud backends on
their official SDKs, each against a local stand-in of the provider's API (127.0.0.1),
including the provider's error answers, which give the user a clear message and are
logged. Also a log-in code request through each backend, end to end."""

import json
import logging

import pytest
from django.test import Client

from buildings.models import PhoneCode
from core import sms
from core.sms import console
from tests.core.sms_standins import AliyunStandIn, TencentStandIn
from tests.factories import UserFactory

TEMPLATES = {"login_code": "SMS_123456", "reset_code": "SMS_654321"}


@pytest.fixture
def aliyun(settings):
    with AliyunStandIn() as stand_in:
        settings.LOUZU_SMS_BACKEND = "core.sms.aliyun.AliyunBackend"
        settings.LOUZU_ALIYUN_ACCESS_KEY_ID = "test-key-id"
        settings.LOUZU_ALIYUN_ACCESS_KEY_SECRET = "test-key-secret"
        settings.LOUZU_ALIYUN_SMS_ENDPOINT = stand_in.endpoint
        settings.LOUZU_ALIYUN_SMS_PROTOCOL = "http"
        settings.LOUZU_SMS_SIGN_NAME = "活力楼组"
        settings.LOUZU_SMS_TEMPLATES = TEMPLATES
        yield stand_in


@pytest.fixture
def tencent(settings):
    with TencentStandIn() as stand_in:
        settings.LOUZU_SMS_BACKEND = "core.sms.tencent.TencentBackend"
        settings.LOUZU_TENCENT_SECRET_ID = "test-secret-id"
        settings.LOUZU_TENCENT_SECRET_KEY = "test-secret-key"
        settings.LOUZU_TENCENT_SMS_APP_ID = "1400000000"
        settings.LOUZU_TENCENT_SMS_ENDPOINT = stand_in.endpoint
        settings.LOUZU_TENCENT_SMS_SCHEME = "http"
        settings.LOUZU_SMS_SIGN_NAME = "活力楼组"
        settings.LOUZU_SMS_TEMPLATES = TEMPLATES
        yield stand_in


def test_console_backend_keeps_the_message():
    console.outbox.clear()
    sms.send(
        "+86 138-0000-0003", "验证码 123456", kind="login_code", params={"code": 123456}
    )
    message = console.outbox.pop()
    assert (message.phone, message.kind, message.params) == (
        "13800000003",
        "login_code",
        {"code": "123456"},
    )


@pytest.mark.parametrize("phone", ["12345", "", "not a phone", "1380000000"])
def test_not_a_mobile_number_is_refused_before_any_backend(phone):
    console.outbox.clear()
    with pytest.raises(sms.SmsError) as caught:
        sms.send(phone, "x", kind="login_code")
    assert caught.value.code == "bad_number"
    assert console.outbox == []


# Aliyun


def test_aliyun_sends_the_template_with_its_parameters(aliyun):
    sms.send(
        "138 0000 0003",
        "您的验证码是 123456",
        kind="login_code",
        params={"code": "123456"},
    )
    (request,) = aliyun.requests
    assert request["Action"] == "SendSms"
    assert request["Version"] == "2017-05-25"
    assert request["PhoneNumbers"] == "13800000003"
    assert request["SignName"] == "活力楼组"
    assert request["TemplateCode"] == "SMS_123456"
    assert request["TemplateParam"] == '{"code": "123456"}'
    assert "Credential=test-key-id," in request["Authorization"]  # signed by the SDK


@pytest.mark.parametrize(
    "code, retryable, words",
    [
        (
            "isv.SMS_TEMPLATE_ILLEGAL",
            False,
            "暂时无法发送短信",
        ),
        ("isv.AMOUNT_NOT_ENOUGH", False, "暂时无法发送短信"),
        ("isv.BUSINESS_LIMIT_CONTROL", True, "短信暂时太多了"),
        ("isv.MOBILE_NUMBER_ILLEGAL", False, "无法接收短信"),
        (
            "InvalidAccessKeyId.NotFound",
            False,
            "暂时无法发送短信",
        ),
        ("SignatureDoesNotMatch", False, "暂时无法发送短信"),
    ],
)
def test_aliyun_errors_give_a_clear_message_and_are_logged(
    aliyun, caplog, code, retryable, words
):
    aliyun.fail_with = code
    with caplog.at_level(logging.ERROR, logger="core.sms"):
        with pytest.raises(sms.SmsError) as caught:
            sms.send("13800000003", "x", kind="login_code", params={"code": "1"})
    assert caught.value.code == code
    assert caught.value.retryable is retryable
    assert words in str(caught.value.message)
    assert code in caplog.text


def test_aliyun_kind_without_a_template_is_refused(aliyun, caplog):
    with pytest.raises(sms.SmsError) as caught:
        sms.send("13800000003", "x", kind="no_such_kind")
    assert caught.value.code == "no_template"
    assert aliyun.requests == []
    assert "no_such_kind" in caplog.text


def test_aliyun_unreachable_is_retryable(aliyun, settings):
    settings.LOUZU_ALIYUN_SMS_ENDPOINT = "127.0.0.1:9"  # nothing listens there
    with pytest.raises(sms.SmsError) as caught:
        sms.send("13800000003", "x", kind="login_code", params={"code": "1"})
    assert (caught.value.code, caught.value.retryable) == ("network", True)


def test_aliyun_without_keys_is_refused(aliyun, settings):
    settings.LOUZU_ALIYUN_ACCESS_KEY_ID = ""
    with pytest.raises(sms.SmsError) as caught:
        sms.send("13800000003", "x", kind="login_code")
    assert caught.value.code == "not_configured"


# Tencent Cloud


def test_tencent_sends_the_template_with_its_parameters(tencent):
    sms.send(
        "138 0000 0003",
        "您的验证码是 123456",
        kind="login_code",
        params={"code": "123456"},
    )
    (request,) = tencent.requests
    assert request["Action"] == "SendSms"
    assert request["PhoneNumberSet"] == ["+8613800000003"]
    assert request["SmsSdkAppId"] == "1400000000"
    assert request["SignName"] == "活力楼组"
    assert request["TemplateId"] == "SMS_123456"
    assert request["TemplateParamSet"] == ["123456"]
    assert "Credential=test-secret-id/" in request["Authorization"]


@pytest.mark.parametrize(
    "code, retryable, words",
    [
        (
            "FailedOperation.TemplateIncorrectOrUnapproved",
            False,
            "暂时无法发送短信",
        ),
        (
            "FailedOperation.InsufficientBalanceInSmsPackage",
            False,
            "暂时无法发送短信",
        ),
        (
            "AuthFailure.SecretIdNotFound",
            False,
            "暂时无法发送短信",
        ),
        ("RequestLimitExceeded", True, "短信暂时太多了"),
        (
            "LimitExceeded.PhoneNumberDailyLimit",
            True,
            "短信暂时太多了",
        ),
        (
            "LimitExceeded.PhoneNumberThirtySecondLimit",
            True,
            "短信暂时太多了",
        ),
        (
            "InvalidParameterValue.IncorrectPhoneNumber",
            False,
            "无法接收短信",
        ),
    ],
)
def test_tencent_errors_give_a_clear_message_and_are_logged(
    tencent, caplog, code, retryable, words
):
    tencent.fail_with = code
    with caplog.at_level(logging.ERROR, logger="core.sms"):
        with pytest.raises(sms.SmsError) as caught:
            sms.send("13800000003", "x", kind="login_code", params={"code": "1"})
    assert caught.value.code == code
    assert caught.value.retryable is retryable
    assert words in str(caught.value.message)
    assert code in caplog.text


def test_tencent_unreachable_is_retryable(tencent, settings):
    settings.LOUZU_TENCENT_SMS_ENDPOINT = "127.0.0.1:9"
    with pytest.raises(sms.SmsError) as caught:
        sms.send("13800000003", "x", kind="login_code", params={"code": "1"})
    assert (caught.value.code, caught.value.retryable) == ("network", True)


# End to end: a log-in code through each provider, and the user's message on failure


@pytest.mark.django_db
@pytest.mark.parametrize("provider", ["aliyun", "tencent"])
def test_log_in_code_through_the_provider(request, provider):
    stand_in = request.getfixturevalue(provider)
    user = UserFactory(phone="13800000003")
    client = Client()
    response = client.post("/accounts/login/", {"phone": "13800000003", "code": ""})
    assert response.status_code == 302
    (sent,) = stand_in.requests
    if provider == "aliyun":
        code = json.loads(sent["TemplateParam"])["code"]
    else:
        code = sent["TemplateParamSet"][0]
    response = client.post("/accounts/login/", {"phone": "13800000003", "code": code})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "provider, code",
    [
        ("aliyun", "isv.BUSINESS_LIMIT_CONTROL"),
        ("tencent", "LimitExceeded.PhoneNumberDailyLimit"),
    ],
)
def test_provider_refusal_shows_the_user_a_message_in_chinese(request, provider, code):
    stand_in = request.getfixturevalue(provider)
    stand_in.fail_with = code
    UserFactory(phone="13800000003")
    response = Client().post("/accounts/login/", {"phone": "13800000003", "code": ""})
    assert response.status_code == 200
    assert "这个号码的短信暂时太多了" in response.content.decode()
    # the failed code cannot be used
    assert PhoneCode.objects.get().used_at is not None
