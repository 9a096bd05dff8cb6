"""A notification's words, kept so that each person reads them in their own language.

A notification is written once, for many readers, by whoever's request (or the worker)
sends it. So it is stored as its English message id and its values, not as a sentence:
`Message(gettext_noop("Poll result: %(question)s"), question=poll.question)`, and
rendered when read, in the reader's language (the inbox: the page's language; an SMS: the
language the person chose). Values may be plain text or numbers (as typed by people: a
title, a place), a label or another Message (translated in turn), or `At(moment)` (a time,
written the reader's way). Rendering never queries the database.
"""

from datetime import datetime
from functools import cache

from django.conf import settings
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_noop, override

from core.templatetags.words import when

# How a time is written: as the pages write it, but never "today", as a message may be
# read on another day (11月27日（周五）14:00). Two names, kept for stored messages.
STYLES = {
    "datetime": lambda moment: when(moment, "exact"),
    "when": lambda moment: when(moment, "exact"),
}


class At:
    """A moment in a message, written in the reader's language and the local time zone."""

    def __init__(self, moment: datetime, style: str = "datetime"):
        if style not in STYLES:
            raise ValueError(f"unknown time style {style!r}")
        self.moment, self.style = moment, style

    def stored(self) -> dict:
        return {"at": self.moment.isoformat(), "style": self.style}


def msgid_of(text) -> str:
    """The English message id behind a lazy translation (a choice's label), or the text."""
    if isinstance(text, Promise):
        with override(None):
            return str(text)
    return text


class Message:
    """A message id and its values; str() renders it in the active language."""

    def __init__(self, msgid, **params):
        self.msgid = msgid_of(msgid)
        self.params = params

    def stored(self) -> dict:
        return {"m": self.msgid, "p": {k: _stored(v) for k, v in self.params.items()}}

    def __str__(self) -> str:
        return render(self.stored())


def _stored(value):
    if isinstance(value, Message | At):
        return value.stored()
    if isinstance(value, Promise):
        return {"m": msgid_of(value), "p": {}}
    if isinstance(value, int | float):
        return value
    return str(value)


def _rendered(value):
    if isinstance(value, dict) and "m" in value:
        return render(value)
    if isinstance(value, dict) and "at" in value:
        moment = timezone.localtime(datetime.fromisoformat(value["at"]))
        return STYLES.get(value.get("style"), STYLES["datetime"])(moment)
    return value


def render(stored: dict) -> str:
    """A stored message in the active language (English where no translation exists)."""
    text = gettext(stored["m"])
    params = stored.get("p") or {}
    if not params:
        return text
    values = {key: _rendered(value) for key, value in params.items()}
    for template in (
        text,
        stored["m"],
    ):  # a translation that lost a placeholder: English
        try:
            return template % values
        except (KeyError, TypeError, ValueError):
            continue
    return stored["m"]


# What stands for the name of someone who left the app (buildings.privacy.leave), on their
# comments and in timelines: written in the language of their last request.
FORMER_RESIDENT = gettext_noop("Former resident")


@cache
def in_every_language(msgid: str) -> frozenset[str]:
    """The message id and each of its translations."""
    words = {msgid}
    for code, _name in settings.LANGUAGES:
        with override(code):
            words.add(gettext(msgid))
    return frozenset(words)


def name_as_said(name: str) -> str:
    """A name as it was written, but someone who left is named in the reader's language."""
    if name in in_every_language(FORMER_RESIDENT):
        return gettext(FORMER_RESIDENT)
    return name
