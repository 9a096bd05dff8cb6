"""What the benchmarks open and write: every main page a resident, leader or staff member
opens, and the main writes, each with the URL name it is reached by and its budget.

bench/pages.py, bench/run.py and bench/mixed.py all take their pages from here, and
tests/test_bench_catalogue.py checks that every main page's URL name is in it, so a page
cannot silently fall out of the benchmark.
"""

import random
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from bench.targets import MARK, Target

# p95 server time under load, with the page cache on and off (docs/benchmarks.md).
BUDGET_MS = 100


@dataclass(frozen=True)
class Endpoint:
    label: str
    url_name: str
    # (target, session, rng) -> URL keyword arguments
    kwargs: Callable[[Target, str, random.Random], dict]
    who: str = "resident"  # whose session: resident, leader, staff or nobody
    query: Callable[[], str] | None = None
    body: Callable[[Target, str, random.Random], dict] | None = None
    needs: str = ""  # a Target attribute the building must have
    expect: tuple[int, ...] = (200,)

    @property
    def method(self) -> str:
        return "GET" if self.body is None else "POST"

    def serves(self, target: Target) -> bool:
        return not self.needs or bool(getattr(target, self.needs))

    def session(self, target: Target, rng: random.Random) -> str:
        if self.who == "leader":
            return target.leader
        if self.who == "staff":
            return target.staff
        if self.who == "nobody":
            return None
        return rng.choice(target.residents)

    def request(self, target: Target, rng: random.Random):
        """(method, path, session, form data or None) for one request in `target`."""
        from django.urls import reverse

        session = self.session(target, rng)
        path = reverse(self.url_name, kwargs=self.kwargs(target, session, rng))
        if self.query:
            path += "?" + self.query()
        body = self.body(target, session, rng) if self.body else None
        return self.method, path, session, body


def _b(target, session, rng):
    return {"building_pk": target.building}


def _in(name):
    """kwargs of a page of one object of the building: pk from target.<name>."""

    def kwargs(target, session, rng):
        value = getattr(target, name)
        pk = rng.choice(value) if isinstance(value, list) else value
        return {"building_pk": target.building, "pk": pk}

    return kwargs


def _year():
    from django.utils import timezone

    today = timezone.localdate()
    return f"start={today - timedelta(days=365)}&end={today}"


_lock = threading.Lock()
_supported: set = set()  # (session, issue) pairs that said "me too" in this run
_signed_up: set = set()


def _me_too():
    """ "me too" on an open issue, or taking it back where this session said it: the
    two endpoints alternate per (session, issue), so every request writes."""

    def kwargs(target, session, rng):
        issue = rng.choice(target.open_issues)
        with _lock:
            said = (session, issue) in _supported
            _supported.symmetric_difference_update({(session, issue)})
        name = "proposals:issue-unsupport" if said else "proposals:issue-support"
        return {"building_pk": target.building, "pk": issue, "_name": name}

    return kwargs


def _unused_activity(target, session, rng):
    """An activity this session has not signed up for in this run, if there is one."""
    with _lock:
        free = [a for a in target.activities if (session, a) not in _signed_up]
        pk = rng.choice(free or target.activities)
        _signed_up.add((session, pk))
    return {"building_pk": target.building, "pk": pk}


def _report(target, session, rng):
    return {
        "category": "sanitation",
        "title": f"{MARK}：楼道灯不亮",
        "text": "",
        "location": "lobby",
        "floor": "",
    }


def _donation(target, session, rng):
    from django.utils import timezone

    return {
        "token": str(uuid.uuid4()),
        "amount": "1.00",
        "occurred_on": timezone.localdate().isoformat(),
        "donor_resident": "",
        "donor_name": "",
        "public_name": "anonymous",
        "paid_by": "cash",
        "receipt_number": "",
        "campaign": "",
        "note": MARK,
    }


class MeToo(Endpoint):
    """Support and withdraw share one label; the URL name is picked per request."""

    def request(self, target, rng):
        from django.urls import reverse

        session = self.session(target, rng)
        kwargs = self.kwargs(target, session, rng)
        path = reverse(kwargs.pop("_name"), kwargs=kwargs)
        return "POST", path, session, {}


PAGES: list[Endpoint] = [
    Endpoint("community", "buildings:community", lambda t, s, r: {"pk": t.community}),
    Endpoint("building", "buildings:detail", lambda t, s, r: {"pk": t.building}),
    Endpoint("issue list", "proposals:issues", _b),
    Endpoint("issue", "proposals:issue", _in("issues"), needs="issues"),
    Endpoint("decide hub", "proposals:index", _b),
    Endpoint("poll", "proposals:poll", _in("poll")),
    Endpoint("consultation", "proposals:consultation", _in("consultation")),
    Endpoint("meeting", "proposals:meeting", _in("meeting"), needs="meeting"),
    Endpoint("fund", "funds:index", _b),
    Endpoint("statement (a year)", "funds:statement", _b, query=_year),
    Endpoint("campaign", "funds:campaign", _in("campaign"), needs="campaign"),
    Endpoint("activities", "activities:index", _b),
    Endpoint("activity", "activities:detail", _in("activities")),
    Endpoint("rota", "activities:tasks", _b, needs="task"),
    Endpoint("inbox", "buildings:notifications", lambda t, s, r: {}),
    Endpoint("my page", "buildings:me", lambda t, s, r: {}),
    Endpoint(
        "to-do (leader)", "buildings:todo", lambda t, s, r: {"pk": t.building}, "leader"
    ),
    Endpoint(
        "dashboard (staff)",
        "dashboard:community",
        lambda t, s, r: {"pk": t.community},
        "staff",
    ),
]

WRITES: list[Endpoint] = [
    Endpoint(
        "report an issue", "proposals:issue-create", _b, body=_report, expect=(302,)
    ),
    MeToo(
        "me too",
        "proposals:issue-support",
        _me_too(),
        body=lambda t, s, r: {},
        needs="open_issues",
        expect=(302,),
    ),
    Endpoint(
        "vote",
        "proposals:poll-vote",
        _in("poll"),
        body=lambda t, s, r: {"option": r.choice(t.options)},
        expect=(302,),
    ),
    Endpoint(
        "sign-up",
        "activities:sign-up",
        _unused_activity,
        body=lambda t, s, r: {"adults": "1", "children": "0"},
        expect=(302,),
    ),
    Endpoint(
        "donation",
        "funds:donation-create",
        _b,
        "leader",
        body=_donation,
        expect=(302,),
    ),
    Endpoint(
        "dashboard: refresh now",
        "dashboard:refresh",
        lambda t, s, r: {"pk": t.community},
        "staff",
        body=lambda t, s, r: {},
        expect=(302,),
    ),
]

HEALTHZ = Endpoint(
    "/healthz (minimal view)", "buildings:healthz", lambda t, s, r: {}, "nobody"
)


def by_label() -> dict[str, Endpoint]:
    return {e.label: e for e in [HEALTHZ, *PAGES, *WRITES]}
