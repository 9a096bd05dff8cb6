"""Local stand-ins for the SMS providers' APIs, on 127.0.0.1 (never the real services).

Each answers SendSms as the provider does (the shapes of the official SDKs' response
models), and can be told to answer the next requests with one of the provider's
errors. Every request it receives is kept, decoded, in `requests`.
"""

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

# Aliyun: business errors come as HTTP 200 with a Code; request errors as HTTP 4xx.
ALIYUN_ERRORS = {
    "isv.SMS_TEMPLATE_ILLEGAL": (200, "该账号下找不到对应模板"),
    "isv.BUSINESS_LIMIT_CONTROL": (200, "触发号码天级流控Permits:10"),
    "isv.AMOUNT_NOT_ENOUGH": (200, "账户余额不足"),
    "isv.MOBILE_NUMBER_ILLEGAL": (200, "非法手机号"),
    "InvalidAccessKeyId.NotFound": (404, "Specified access key is not found."),
    "SignatureDoesNotMatch": (400, "Specified signature is not matched."),
}
# Tencent: request errors in Response.Error; a refusal for one number in its SendStatus.
TENCENT_ERRORS = {
    "FailedOperation.TemplateIncorrectOrUnapproved": (
        "request",
        "template is not approved or request content does not match the approved template content.",
    ),
    "FailedOperation.InsufficientBalanceInSmsPackage": (
        "request",
        "insufficient balance in SMS package",
    ),
    "AuthFailure.SecretIdNotFound": ("request", "The SecretId is not found"),
    "RequestLimitExceeded": (
        "request",
        "Your current request count exceeds the limit.",
    ),
    "LimitExceeded.PhoneNumberDailyLimit": (
        "status",
        "the number of SMS messages sent from a single mobile number every day exceeds the upper limit",
    ),
    "LimitExceeded.PhoneNumberThirtySecondLimit": (
        "status",
        "the number of SMS messages sent from a single mobile number within 30 seconds exceeds the upper limit",
    ),
    "InvalidParameterValue.IncorrectPhoneNumber": ("status", "incorrect phone number"),
}


class StandIn:
    """A threaded HTTP server on 127.0.0.1:<free port>; use as a context manager."""

    content_type = "application/json;charset=utf-8"  # Aliyun's

    def __init__(self):
        self.requests: list[dict] = []
        self.fail_with: str | None = None
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode()
                status, payload = stand_in.answer(self.path, self.headers, body)
                data = json.dumps(payload, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", stand_in.content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = f"127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        # A short poll: shutdown() waits for it (half a second by default, each test).
        threading.Thread(
            target=self.server.serve_forever,
            kwargs={"poll_interval": 0.02},
            daemon=True,
        ).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


class AliyunStandIn(StandIn):
    """dysmsapi 2017-05-25 as the SDK calls it: the action and version in x-acs-*
    headers, an ACS3-HMAC-SHA256 signature, parameters in the query string."""

    def answer(self, path, headers, body):
        fields = {k: v[0] for k, v in parse_qs(urlsplit(path).query).items()}
        fields.update({k: v[0] for k, v in parse_qs(body).items()})
        fields["Action"] = headers.get("x-acs-action")
        fields["Version"] = headers.get("x-acs-version")
        fields["Authorization"] = headers.get("Authorization", "")
        self.requests.append(fields)
        request_id = str(uuid.uuid4()).upper()
        if fields["Action"] != "SendSms" or not fields["Authorization"].startswith(
            "ACS3-HMAC-SHA256 Credential="
        ):
            return 400, {
                "Code": "MissingParameter",
                "Message": "A required parameter is missing.",
                "RequestId": request_id,
            }
        if self.fail_with:
            status, message = ALIYUN_ERRORS[self.fail_with]
            return status, {
                "Code": self.fail_with,
                "Message": message,
                "RequestId": request_id,
            }
        return 200, {
            "Code": "OK",
            "Message": "OK",
            "BizId": "9006197469364984400^0",
            "RequestId": request_id,
        }


class TencentStandIn(StandIn):
    """sms 2021-01-11: a JSON body, the action in the X-TC-Action header."""

    content_type = "application/json"  # exactly: the SDK reads errors only then

    def answer(self, path, headers, body):
        fields = json.loads(body or "{}")
        fields["Action"] = headers.get("X-TC-Action")
        fields["Authorization"] = headers.get("Authorization", "")
        self.requests.append(fields)
        request_id = str(uuid.uuid4())
        if (
            fields["Action"] != "SendSms"
            or "TC3-HMAC-SHA256" not in fields["Authorization"]
        ):
            return 200, {
                "Response": {
                    "Error": {"Code": "AuthFailure", "Message": "bad request"},
                    "RequestId": request_id,
                }
            }
        if self.fail_with:
            where, message = TENCENT_ERRORS[self.fail_with]
            if where == "request":
                return 200, {
                    "Response": {
                        "Error": {"Code": self.fail_with, "Message": message},
                        "RequestId": request_id,
                    }
                }
            statuses = [
                {
                    "SerialNo": "",
                    "PhoneNumber": number,
                    "Fee": 0,
                    "SessionContext": "",
                    "Code": self.fail_with,
                    "Message": message,
                    "IsoCode": "CN",
                }
                for number in fields.get("PhoneNumberSet", [])
            ]
        else:
            statuses = [
                {
                    "SerialNo": "5000:1045710669157053657849499619",
                    "PhoneNumber": number,
                    "Fee": 1,
                    "SessionContext": "",
                    "Code": "Ok",
                    "Message": "send success",
                    "IsoCode": "CN",
                }
                for number in fields.get("PhoneNumberSet", [])
            ]
        return 200, {"Response": {"SendStatusSet": statuses, "RequestId": request_id}}
