"""Development backend: prints each message and keeps it in `outbox` (tests read it)."""

import logging
from dataclasses import dataclass, field

logger = logging.getLogger("core.sms")


@dataclass
class Message:
    phone: str
    text: str
    kind: str
    params: dict = field(default_factory=dict)


outbox: list[Message] = []


class ConsoleBackend:
    def send(self, phone: str, text: str, *, kind: str, params: dict) -> None:
        outbox.append(Message(phone, text, kind, params))
        logger.info("SMS to %s (%s): %s", phone, kind, text)
