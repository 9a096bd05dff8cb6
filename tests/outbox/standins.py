"""Local stand-ins for the SMS provider and WeCom's robot API, failing on demand."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from core.sms import SmsError


class FlakySmsBackend:
    """Fails `failures` times (retryable), then accepts; keeps what it accepted."""

    failures = 0
    calls = 0
    sent: list[tuple[str, str]] = []
    error = None  # an SmsError to raise on every call instead

    @classmethod
    def reset(cls, failures=0, error=None):
        cls.failures, cls.calls, cls.sent, cls.error = failures, 0, [], error

    def send(self, phone, text, *, kind, params):
        cls = type(self)
        cls.calls += 1
        if cls.error is not None:
            raise cls.error
        if cls.calls <= cls.failures:
            raise SmsError("busy", code="Throttling", retryable=True)
        cls.sent.append((phone, text))


class WecomStandIn:
    """An HTTP server on 127.0.0.1 that answers like WeCom's webhook API."""

    def __init__(self, answers=None):
        self.answers = list(answers or [])  # errcodes to answer first, then 0
        self.received = []  # (path, json body)
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers["Content-Length"])
                stand_in.received.append(
                    (self.path, json.loads(self.rfile.read(length)))
                )
                code = stand_in.answers.pop(0) if stand_in.answers else 0
                body = json.dumps(
                    {"errcode": code, "errmsg": "ok" if not code else "no"}
                )
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body.encode())

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        # A short poll: shutdown() waits for it (half a second by default, each test).
        threading.Thread(
            target=self.server.serve_forever,
            kwargs={"poll_interval": 0.02},
            daemon=True,
        ).start()

    def texts(self):
        return [body["text"]["content"] for _path, body in self.received]

    def close(self):
        self.server.shutdown()
        self.server.server_close()
