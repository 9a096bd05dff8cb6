"""Development backend: prints each message and keeps it in `outbox` (tests read it)."""

from dataclasses import dataclass, field


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
        print(f"[sms to {phone}, {kind}] {text}", flush=True)
