"""One-time codes: log-in, registration and password reset by text message, and the
code a leader hands to a resident without a phone of their own.

A code is 6 digits, stored only as a keyed hash, valid LOUZU_CODE_MINUTES (a leader's
for a day), used once, void after LOUZU_CODE_TRIES wrong guesses. Asking for one is
limited per number, per address and per day; every limit is checked and the new code
written under one lock, so a burst of parallel requests cannot slip past a limit.
Whether a number is registered never shows: the answer is the same either way (the
message is only sent when it can be used).
"""

import hashlib
import hmac
import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from buildings.models import PhoneCode, ProxyAct, User
from buildings.wording import Message
from core import races, sms

logger = logging.getLogger("core.sms")

Purpose = PhoneCode.Purpose
ASSISTED_HOURS = 24
LOCK_KEY = 731_020  # the advisory lock that serialises code requests (PostgreSQL)


class CodeRefused(Exception):
    """A limit was reached; the message says which and what to do."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _hash(phone: str, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{phone}:{code}".encode(), hashlib.sha256).hexdigest()


def _new_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def _serialise() -> None:
    """Inside the transaction: one code request at a time (PostgreSQL; SQLite's
    IMMEDIATE transactions serialise writers already)."""
    races.set_lock_timeout()
    if connection.vendor == "postgresql" and races.guards_on():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def _check_limits(phone: str, address: str | None, now) -> None:
    sent = PhoneCode.objects.exclude(purpose=Purpose.ASSISTED)
    day_ago = now - timedelta(days=1)
    if sent.filter(
        phone=phone,
        created_at__gt=now - timedelta(seconds=settings.LOUZU_CODE_GAP_SECONDS),
    ).exists():
        raise CodeRefused(
            _("A code was sent a moment ago. Please wait a minute before asking again.")
        )
    if (
        sent.filter(phone=phone, created_at__gt=day_ago).count()
        >= settings.LOUZU_CODES_PER_PHONE_PER_DAY
    ):
        raise CodeRefused(
            _(
                "This number has had all its codes for today. Try again tomorrow, or log in with your password."
            )
        )
    if (
        address
        and sent.filter(
            address=address, created_at__gt=now - timedelta(hours=1)
        ).count()
        >= settings.LOUZU_CODES_PER_ADDRESS_PER_HOUR
    ):
        raise CodeRefused(
            _(
                "Too many codes were asked for from this connection. Please try again in an hour."
            )
        )
    if sent.filter(created_at__gt=day_ago).count() >= settings.LOUZU_CODES_PER_DAY:
        raise CodeRefused(
            _(
                "No more codes can be sent today. Please log in with your password, or try again tomorrow."
            )
        )


def _usable(phone: str, purpose: str) -> bool:
    """Whether a code for this purpose can be used by this number's owner."""
    user = User.objects.filter(phone=phone).only("is_active").first()
    if purpose == Purpose.REGISTER:
        # The owner of a registered number gets the code too: registering with it logs
        # them in to the account they already have (the page says so only then).
        return user is None or user.is_active
    return user is not None and user.is_active


def request_code(*, phone: str, purpose: str, address: str | None = None) -> None:
    """Make a code and text it; CodeRefused at a limit, sms.SmsError if it failed.

    Returns the same way whether or not the number is registered.
    """
    code = _new_code()
    with transaction.atomic():
        _serialise()
        now = timezone.now()
        _check_limits(phone, address, now)
        races.pause()
        usable = _usable(phone, purpose)
        row = PhoneCode.objects.create(
            phone=phone,
            purpose=purpose,
            code_hash=_hash(phone, code),
            address=address,
            created_at=now,
            expires_at=now + timedelta(minutes=settings.LOUZU_CODE_MINUTES),
            sent=usable,
            used_at=None if usable else now,
        )
    if not usable:
        return
    text = _(
        "Your Louzu code is %(code)s. It is valid for %(minutes)d minutes. Do not tell anyone."
    ) % {"code": code, "minutes": settings.LOUZU_CODE_MINUTES}
    try:
        sms.send(phone, text, kind=f"{purpose}_code", params={"code": code})
    except sms.SmsError:
        PhoneCode.objects.filter(pk=row.pk).update(used_at=timezone.now(), sent=False)
        raise


def use_code(*, phone: str, purposes, code: str) -> bool:
    """True once for the right code; every wrong guess counts against the code."""
    code = (code or "").strip()
    candidate = (
        PhoneCode.objects.filter(
            phone=phone,
            purpose__in=list(purposes),
            used_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .order_by("-created_at")
        .first()
    )
    if candidate is None:
        return False
    # Count the guess first, atomically, so parallel guesses cannot exceed the tries.
    counted = PhoneCode.objects.filter(
        pk=candidate.pk, used_at__isnull=True, tries__lt=settings.LOUZU_CODE_TRIES
    ).update(tries=F("tries") + 1)
    if not counted or not hmac.compare_digest(candidate.code_hash, _hash(phone, code)):
        return False
    return bool(
        PhoneCode.objects.filter(pk=candidate.pk, used_at__isnull=True).update(
            used_at=timezone.now()
        )
    )


def issue_assisted_code(*, resident, leader) -> str:
    """A code a leader hands to a resident to set a new password; recorded in their name.

    Returns the code: shown once, never stored in clear.
    """
    phone = resident.user.phone
    code = _new_code()
    now = timezone.now()
    with transaction.atomic():
        PhoneCode.objects.filter(
            phone=phone, purpose=Purpose.ASSISTED, used_at__isnull=True
        ).update(used_at=now)  # an earlier slip of paper stops working
        PhoneCode.objects.create(
            phone=phone,
            purpose=Purpose.ASSISTED,
            code_hash=_hash(phone, code),
            created_at=now,
            expires_at=now + timedelta(hours=ASSISTED_HOURS),
            sent=False,
            issued_by=leader,
        )
        done = Message(gettext_noop("Gave a one-time code to set a new password"))
        ProxyAct.objects.create(
            resident=resident,
            actor=leader,
            action=str(done),
            message=done.stored(),
        )
    logger.info(
        "Assisted reset code issued by user %s for resident %s", leader.pk, resident.pk
    )
    return code
