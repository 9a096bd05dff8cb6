"""In-process CPU per request of the main read pages, built afresh (page cache off).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/louzu_district \\
        .venv/bin/python bench/pages.py [--rounds 30] [--only "poll,statement"] \\
        [--cprofile statement] [--json bench/results/pages.json]

Production settings (DEBUG off, the page cache off, a cache of this process only, which
is emptied before every request, so fragments and figures are built afresh too). Each
page is opened `--rounds` times, each time in another building of the generated
district (as a resident; the to-do as the leader; the dashboard as staff), through
Django's WSGI handler called directly, after one warm-up round. Reported: the process's
CPU time per request (time.process_time: Django and the database driver, not
PostgreSQL's own work) and the wall time, p50 and p95, and the number of queries.
`--cprofile NAME` prints the 40 costliest functions of that page instead.

The first run adds a consultation (with answers) to the chosen buildings that have
none, titled "压测"; nothing else is written.
"""

import argparse
import io
import json
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MARK = "压测"


def configure(args) -> None:
    os.environ.pop("REDIS_URL", None)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="profile-" + secrets.token_hex(32),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=args.database_url,
        DATABASE_CONN_MAX_AGE="60",
        LOUZU_PAGE_CACHE="0",
        LOG_LEVEL="ERROR",
        STATIC_ROOT=tempfile.mkdtemp(prefix="louzu-profile-"),
    )
    import django
    from django.core.management import call_command

    django.setup()
    call_command("collectstatic", interactive=False, verbosity=0)


def _session(user) -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "buildings.backends.CachedModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.set_expiry(3600)
    store.create()
    return store.session_key


def _consultation(building, leader, households):
    """A consultation with three questions and a few answers, as a leader publishes it."""
    from django.utils import timezone

    from proposals.deliberation.consultations import services
    from proposals.models import Consultation

    found = Consultation.objects.filter(building=building).order_by("pk").first()
    if found is not None:
        return found
    now = timezone.now()
    consultation = services.create_consultation(
        building=building,
        created_by=leader,
        title=f"{MARK}：加装电梯意见征询",
        intro="",
        opens_at=now - timedelta(days=2),
        closes_at=now + timedelta(days=30),
    )
    questions = [
        services.add_question(
            consultation=consultation,
            text="您是否同意加装电梯？",
            kind="single",
            required=True,
            choices=["同意", "不同意", "无所谓"],
        ),
        services.add_question(
            consultation=consultation,
            text="您最关心哪些方面？",
            kind="multiple",
            required=False,
            choices=["费用", "噪音", "采光", "工期"],
        ),
        services.add_question(
            consultation=consultation,
            text="其他意见",
            kind="text",
            required=False,
            choices=[],
        ),
    ]
    rng = random.Random(building.pk)
    for resident in households[:12]:
        one, many, _text = questions
        services.submit_response(
            consultation=consultation,
            resident=resident,
            answers={
                one: [rng.choice(list(one.choices.all()))],
                many: rng.sample(list(many.choices.all()), 2),
                _text: "",
            },
        )
    return consultation


def prepare(args) -> dict:
    """name -> list of (path, session key): one per chosen building."""
    from django.utils import timezone

    from activities.models import Activity, Task
    from buildings.models import Resident, User
    from funds.models import Campaign, Fund
    from proposals.models import Issue, Meeting, Poll

    now = timezone.now()
    today = timezone.localdate()
    year_ago = today - timedelta(days=365)
    polls = dict(
        Poll.objects.open_now()
        .filter(electorate="household")
        .order_by("building_id", "pk")
        .values_list("building_id", "pk")
    )
    funded = set(Fund.objects.values_list("building_id", flat=True))
    signup = dict(
        Activity.objects.filter(signup_deadline__gt=now, building__isnull=False)
        .order_by("building_id", "pk")
        .values_list("building_id", "pk")
    )
    candidates = sorted(b for b in polls if b in funded and b in signup)
    chosen = random.Random(args.seed).sample(
        candidates, min(args.rounds, len(candidates))
    )
    staff = User.objects.filter(is_staff=True, is_active=True).order_by("pk").first()
    staff_session = _session(staff)
    pages: dict[str, list] = {}

    def add(name, path, session):
        pages.setdefault(name, []).append((path, session))

    for building_id in chosen:
        people = list(
            Resident.objects.approved()
            .filter(
                household__building_id=building_id, user__isnull=False, is_adult=True
            )
            .select_related("user", "household__building")
            .order_by("pk")
        )
        leader = next(p for p in people if p.role == "leader")
        residents = [p for p in people if p.role == "resident"]
        if not residents:
            continue
        resident = residents[0]
        building = leader.household.building
        mine, boss = _session(resident.user), _session(leader.user)
        b = f"/buildings/{building_id}"
        issue = (
            Issue.objects.filter(building_id=building_id)
            .exclude(title__startswith=MARK)
            .order_by("-created_at")
            .values_list("pk", flat=True)
            .first()
        )
        meeting = (
            Meeting.objects.filter(building_id=building_id)
            .order_by("-pk")
            .values_list("pk", flat=True)
            .first()
        )
        campaign = (
            Campaign.objects.filter(fund__building_id=building_id)
            .order_by("-pk")
            .values_list("pk", flat=True)
            .first()
        )
        consultation = _consultation(building, leader.user, residents)
        add("community", f"/c/{building.community_id}/", mine)
        add("building", f"{b}/", mine)
        add("issue list", f"{b}/issues/", mine)
        if issue:
            add("issue", f"{b}/issues/{issue}/", mine)
        add("decide hub", f"{b}/decide/", mine)
        add("poll", f"{b}/decide/polls/{polls[building_id]}/", mine)
        add("consultation", f"{b}/decide/consultations/{consultation.pk}/", mine)
        if meeting:
            add("meeting", f"{b}/decide/meetings/{meeting}/", mine)
        add("fund", f"{b}/fund/", mine)
        add(
            "statement (a year)",
            f"{b}/fund/statement/?start={year_ago}&end={today}",
            mine,
        )
        if campaign:
            add("campaign", f"{b}/fund/campaigns/{campaign}/", mine)
        add("activities", f"{b}/activities/", mine)
        add("activity", f"{b}/activities/{signup[building_id]}/", mine)
        if Task.objects.filter(building_id=building_id).exists():
            add("rota", f"{b}/volunteer/", mine)
        add("inbox", "/me/notifications/", mine)
        add("my page", "/me/", mine)
        add("to-do (leader)", f"{b}/todo/", boss)
        add(
            "dashboard (staff)",
            f"/dashboard/c/{building.community_id}/",
            staff_session,
        )
    return pages


def request(handler, path: str, session: str):
    from django.test import RequestFactory

    path, _sep, query = path.partition("?")
    environ = RequestFactory(
        HTTP_HOST="127.0.0.1",
        HTTP_COOKIE=f"sessionid={session}",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
        HTTP_X_FORWARDED_PROTO="https",
    )._base_environ(PATH_INFO=path, QUERY_STRING=query, REQUEST_METHOD="GET")
    statuses = []
    body = b"".join(handler(environ, lambda status, headers: statuses.append(status)))
    if not statuses[0].startswith("200"):
        raise SystemExit(f"{path}: {statuses[0]}")
    return body


def measure(handler, visits) -> dict:
    from django.core.cache import cache
    from django.db import connection

    cpu, wall, queries, size = [], [], [], 0
    sent = [0]

    def count(execute, sql, params, many, context):
        sent[0] += 1
        return execute(sql, params, many, context)

    for path, session in visits:
        cache.clear()  # fragments and figures are built afresh as well
        sent[0] = 0
        with connection.execute_wrapper(count):
            started_cpu, started = time.process_time(), time.perf_counter()
            body = request(handler, path, session)
            cpu.append((time.process_time() - started_cpu) * 1000)
            wall.append((time.perf_counter() - started) * 1000)
        queries.append(sent[0])
        size = max(size, len(body))

    def p95(values):
        return statistics.quantiles(values, n=20, method="inclusive")[18]

    return {
        "visits": len(visits),
        "cpu_ms": {"p50": statistics.median(cpu), "p95": p95(cpu)},
        "wall_ms": {"p50": statistics.median(wall), "p95": p95(wall)},
        "queries": max(queries),
        "kb": round(size / 1024),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--rounds", type=int, default=30, help="buildings per page")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", help="comma-separated page names")
    parser.add_argument("--cprofile", help="profile this page instead")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to the PostgreSQL database of a generated district.")
    configure(args)
    from django.core.handlers.wsgi import WSGIHandler

    handler = WSGIHandler()
    pages = prepare(args)
    if args.only:
        wanted = {name.strip() for name in args.only.split(",")}
        pages = {name: visits for name, visits in pages.items() if name in wanted}
    for visits in pages.values():  # warm up: templates, URL resolver, prepared plans
        for path, session in visits[:3]:
            request(handler, path, session)
    if args.cprofile:
        import cProfile
        import pstats

        profile = cProfile.Profile(time.process_time)
        profile.runcall(measure, handler, pages[args.cprofile] * 3)
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(60)
        print(out.getvalue())
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(40)
        print(out.getvalue())
        return
    results = {}
    print("| page | CPU p50 / p95 (ms) | wall p50 / p95 (ms) | queries | KB |")
    print("|---|---|---|---:|---:|")
    for name, visits in pages.items():
        row = results[name] = measure(handler, visits)
        print(
            f"| {name} | {row['cpu_ms']['p50']:.1f} / {row['cpu_ms']['p95']:.1f} | "
            f"{row['wall_ms']['p50']:.1f} / {row['wall_ms']['p95']:.1f} | "
            f"{row['queries']} | {row['kb']} |",
            flush=True,
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
