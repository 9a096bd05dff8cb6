"""Benchmark: the main pages and writes over HTTP, against gunicorn and PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/louzu_district \\
        .venv/bin/python bench/run.py [--duration 15] [--clients 8] [--workers 5]

It starts gunicorn on 127.0.0.1 with production settings (DJANGO_DEBUG=0) against the
database in DATABASE_URL (generate one first: `manage.py generate_district`), opens
sessions for the leader and a few residents of some buildings, then drives one endpoint
at a time with concurrent clients (threads, http.client) for a fixed time, the minimal
view /healthz first. For every endpoint it reports requests/s, the latency the clients
saw and the time gunicorn spent on the request (its access log, %(D)s) as p50/p95/p99,
and the throughput as a share of /healthz's. The machine's speed drifts during a run,
so each page is compared with /healthz measured for a few seconds just before and just
after it (the faster of the two: the stricter ratio).

Everything stays on 127.0.0.1 and stops by itself (every phase has a deadline, and
gunicorn is terminated at the end). The writes stay in the database: issues titled
"压测", "me too"s, ballots, donations of ¥1.00 noted "压测", sign-ups.
"""

import argparse
import http.client
import json
import os
import platform
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HOST = "127.0.0.1"
MARK = "压测"


# --- Set-up through Django (the same settings gunicorn gets) -------------------------


def production_env(args, tmp: Path) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-" + secrets.token_hex(32),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DATABASE_URL": args.database_url,
        "DATABASE_CONN_MAX_AGE": str(args.conn_max_age),
        "STATIC_ROOT": str(tmp / "static"),
        "MEDIA_ROOT": str(tmp / "media"),
        "LOG_LEVEL": "ERROR",
        # On by default only with Redis (shared by the workers): see config/settings.py.
        **({"LOUZU_PAGE_CACHE": "0"} if args.no_page_cache else {}),
        # The benchmark counts hits by this header, which production does not send.
        "LOUZU_PAGE_CACHE_HEADER": "1",
    }


@dataclass
class Target:
    """One building and what the benchmark opens and writes there."""

    building: int
    community: int
    issues: list[int]
    open_issues: list[int]  # "me too" is for open issues
    poll: int
    options: list[int]
    activities: list[int]
    leader: str  # session keys
    residents: list[str]
    staff: str = ""  # a branch staff member's session, for the dashboard


def prepare(args) -> tuple[list[Target], dict]:
    """Pick buildings with an open poll, a fund and activities open for sign-up; open sessions."""
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from activities.models import Activity
    from buildings.models import Resident
    from core import pagecache
    from funds.models import Fund
    from proposals.models import Issue, Poll

    now = timezone.now()
    polls = dict(
        Poll.objects.open_now()
        .filter(electorate="household")
        .order_by("building_id", "pk")
        .values_list("building_id", "pk")
    )
    funded = set(Fund.objects.values_list("building_id", flat=True))
    signup, community_wide = {}, {}
    for building_id, community_id, pk in (
        Activity.objects.filter(signup_deadline__gt=now)
        .order_by("pk")
        .values_list("building_id", "community_id", "pk")
    ):
        if building_id is None:
            community_wide.setdefault(community_id, []).append(pk)
        else:
            signup.setdefault(building_id, []).append(pk)
    candidates = sorted(b for b in polls if b in funded and b in signup)
    rng = random.Random(args.seed)
    chosen = rng.sample(candidates, min(args.buildings, len(candidates)))
    if not chosen:
        sys.exit(
            "No building has an open poll, a fund and an activity open for sign-up."
        )

    def session_for(user) -> str:
        """A session as log-in makes it (core.pagecache remembers the audience)."""
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "buildings.backends.CachedModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store[pagecache.AUDIENCE_KEY] = pagecache.audience_of(user)
        store.set_expiry(3600)
        store.create()
        return store.session_key

    targets = []
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
        residents, households = (
            [],
            set(),
        )  # one per household: every vote is theirs to cast
        for person in people:
            if person.role == "resident" and person.household_id not in households:
                residents.append(person)
                households.add(person.household_id)
        residents = residents[: args.residents]
        if not residents:
            continue
        poll = Poll.objects.get(pk=polls[building_id])
        targets.append(
            Target(
                building=building_id,
                community=leader.household.building.community_id,
                issues=list(  # not the benchmark's own reports: runs stay alike
                    Issue.objects.filter(building_id=building_id)
                    .exclude(title__startswith=MARK)
                    .order_by("-created_at")
                    .values_list("pk", flat=True)[:30]
                ),
                open_issues=list(
                    Issue.objects.filter(building_id=building_id)
                    .open()
                    .values_list("pk", flat=True)
                ),
                poll=poll.pk,
                options=list(poll.options.values_list("pk", flat=True)),
                activities=signup[building_id]
                + community_wide.get(leader.household.building.community_id, []),
                leader=session_for(leader.user),
                residents=[session_for(p.user) for p in residents],
            )
        )
    from buildings.models import User

    staff = User.objects.filter(is_staff=True, is_active=True).order_by("pk").first()
    for target in targets:
        target.staff = session_for(staff) if staff else ""
    counts = write_counts()
    return targets, counts


def write_counts() -> dict:
    from activities.models import Registration
    from funds.models import LedgerEntry
    from proposals.models import Ballot, Issue

    return {
        "report an issue": Issue.objects.count(),
        "vote": Ballot.objects.count(),
        "donation": LedgerEntry.objects.count(),
        "sign-up": Registration.objects.count(),
    }


def machine() -> dict:
    import django
    import gunicorn
    import psycopg
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
    cpu = "?"
    with open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as info:
        memory = info.readline().split()[1]
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(int(memory) / 1024 / 1024, 1),
        "python": platform.python_version(),
        "django": django.__version__,
        "gunicorn": gunicorn.__version__,
        "psycopg": psycopg.__version__,
        "postgresql": pg,
        "database_size": size,
        "os": platform.platform(),
    }


# --- The server ----------------------------------------------------------------------


def start_gunicorn(args, env: dict, log: Path) -> subprocess.Popen:
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "-b",
            f"{HOST}:{args.port}",
            "-w",
            str(args.workers),
            "--access-logfile",
            str(log),
            "--access-logformat",
            "%(m)s %(U)s %(s)s %(D)s",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection(HOST, args.port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    sys.exit("gunicorn did not answer within 30 s:\n" + server.stderr.read().decode())


# --- The load ------------------------------------------------------------------------


class Client:
    """One simulated phone: its own connection, cookies by hand (they are Secure-only)."""

    def __init__(self, port: int):
        self.port = port
        self.connection = None

    def request(self, method: str, path: str, session: str | None, body: dict | None):
        csrf = "b" * 32  # any 32-character secret works as cookie and form token alike
        headers = {"Host": HOST, "X-Forwarded-Proto": "https"}
        cookies = [f"csrftoken={csrf}"]
        if session:
            cookies.append(f"sessionid={session}")
        headers["Cookie"] = "; ".join(cookies)
        data = None
        if body is not None:
            from urllib.parse import urlencode

            data = urlencode({"csrfmiddlewaretoken": csrf, **body}).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"https://{HOST}{path}"
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(
                    HOST, self.port, timeout=30
                )
            try:
                self.connection.request(method, path, body=data, headers=headers)
                response = self.connection.getresponse()
                response.read()
                if response.will_close:
                    self.connection.close()
                    self.connection = None
                return response.status, response.getheader("X-Page-Cache")
            except (http.client.HTTPException, OSError):
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise
        return 0, None


def endpoints(targets: list[Target]):
    """name -> (kind, function(rng, state) -> (method, path, session, body), expected statuses)."""
    from django.utils import timezone

    today = timezone.localdate()
    start = today - timedelta(days=365)
    used_signup: set = set()
    lock = threading.Lock()

    def pick(rng):
        target = rng.choice(targets)
        return target, rng.choice(target.residents)

    def unused(rng, used, make):
        """A pair not written yet (a real write); after 50 tries, any pair."""
        for _try in range(50):
            target, session = pick(rng)
            item = make(rng, target)
            with lock:
                if (session, item) not in used:
                    used.add((session, item))
                    return target, session, item
        target, session = pick(rng)
        return target, session, make(rng, target)

    def page(path_of):
        def make(rng):
            target, session = pick(rng)
            return "GET", path_of(rng, target), session, None

        return make

    def report(rng):
        target, session = pick(rng)
        body = {
            "category": "sanitation",
            "title": f"{MARK}：楼道灯不亮",
            "text": "",
            "location": "lobby",
            "floor": "",
        }
        return "POST", f"/buildings/{target.building}/issues/new/", session, body

    supported: set = set()

    def me_too(rng):
        """Say "me too" on an open issue, or take it back if this client said it (a write either way)."""
        target = rng.choice([t for t in targets if t.open_issues])
        session = rng.choice(target.residents)
        issue = rng.choice(target.open_issues)
        with lock:
            action = "unsupport" if (session, issue) in supported else "support"
            supported.symmetric_difference_update({(session, issue)})
        path = f"/buildings/{target.building}/issues/{issue}/{action}/"
        return "POST", path, session, {}

    def vote(rng):
        target, session = pick(rng)
        body = {"option": rng.choice(target.options)}
        return (
            "POST",
            f"/buildings/{target.building}/decide/polls/{target.poll}/vote/",
            session,
            body,
        )

    def donation(rng):
        target = rng.choice(targets)
        body = {
            "token": str(uuid.uuid4()),
            "amount": "1.00",
            "occurred_on": today.isoformat(),
            "donor_resident": "",
            "donor_name": "",
            "public_name": "anonymous",
            "paid_by": "cash",
            "receipt_number": "",
            "campaign": "",
            "note": MARK,
        }
        return (
            "POST",
            f"/buildings/{target.building}/fund/donations/new/",
            target.leader,
            body,
        )

    def sign_up(rng):
        target, session, activity = unused(
            rng, used_signup, lambda r, t: r.choice(t.activities)
        )
        body = {"adults": "1", "children": "0"}
        return (
            "POST",
            f"/buildings/{target.building}/activities/{activity}/sign-up/",
            session,
            body,
        )

    def dashboard(rng):
        target = rng.choice(targets)
        return "GET", f"/dashboard/c/{target.community}/", target.staff, None

    def healthz(rng):
        return "GET", "/healthz", None, None

    return {
        "/healthz (minimal view)": ("read", healthz, {200}),
        "community page": ("read", page(lambda r, t: f"/c/{t.community}/"), {200}),
        "building page": (
            "read",
            page(lambda r, t: f"/buildings/{t.building}/"),
            {200},
        ),
        "issue list": (
            "read",
            page(lambda r, t: f"/buildings/{t.building}/issues/"),
            {200},
        ),
        "issue page": (
            "read",
            page(lambda r, t: f"/buildings/{t.building}/issues/{r.choice(t.issues)}/"),
            {200},
        ),
        "poll page": (
            "read",
            page(lambda r, t: f"/buildings/{t.building}/decide/polls/{t.poll}/"),
            {200},
        ),
        "statement": (
            "read",
            page(
                lambda r, t: (
                    f"/buildings/{t.building}/fund/statement/?start={start}&end={today}"
                )
            ),
            {200},
        ),
        "activity page": (
            "read",
            page(
                lambda r, t: (
                    f"/buildings/{t.building}/activities/{r.choice(t.activities)}/"
                )
            ),
            {200},
        ),
        "dashboard (community)": ("read", dashboard, {200}),
        "report an issue": ("write", report, {302}),
        "me too": ("write", me_too, {302}),
        "vote": ("write", vote, {302}),
        "donation": ("write", donation, {302}),
        "sign-up": ("write", sign_up, {302}),
    }


def drive(port: int, make, expected: set, clients: int, seconds: float, seed: int):
    """Run `clients` threads for `seconds`; return (latencies in ms, error count, page
    cache hits)."""
    deadline = time.monotonic() + seconds
    latencies: list[list[float]] = [[] for _n in range(clients)]
    errors = [0] * clients
    hits = [0] * clients
    barrier = threading.Barrier(clients)

    def run(index):
        rng = random.Random(seed * 1000 + index)
        client = Client(port)
        barrier.wait()
        while time.monotonic() < deadline:
            method, path, session, body = make(rng)
            started = time.perf_counter()
            try:
                status, cache = client.request(method, path, session, body)
            except (http.client.HTTPException, OSError):
                status, cache = 0, None
            hits[index] += cache == "hit"
            latencies[index].append((time.perf_counter() - started) * 1000)
            if status not in expected:
                errors[index] += 1

    threads = [
        threading.Thread(target=run, args=(i,), daemon=True) for i in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    return [x for row in latencies for x in row], sum(errors), sum(hits)


def percentiles(values: list[float]) -> dict:
    if not values:
        return {"p50": None, "p95": None, "p99": None}
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50": statistics.median(values), "p95": cuts[94], "p99": cuts[98]}


def server_times(log: Path, start: int, end: int) -> list[float]:
    """Milliseconds gunicorn spent per request, from the access-log lines of one phase."""
    with open(log, "rb") as handle:
        handle.seek(start)
        chunk = handle.read(end - start).decode(errors="replace")
    times = []
    for line in chunk.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[3].isdigit():
            times.append(int(parts[3]) / 1000)
    return times


def first_visits(args, targets) -> None:
    """Every session opens its own page once, as right after logging in: the log-in is
    read into the cache then, not in the middle of the first page's measurement."""
    sessions = [s for t in targets for s in [t.leader, t.staff, *t.residents] if s]
    client = Client(args.port)
    for session in dict.fromkeys(sessions):
        client.request("GET", "/me/", session, None)


def rate(args, endpoint, seed) -> float:
    """Requests per second of an endpoint over args.pair seconds."""
    _kind, make, expected = endpoint
    started = time.monotonic()
    latencies, _errors, _hits = drive(
        args.port, make, expected, args.clients, args.pair, seed
    )
    return len(latencies) / (time.monotonic() - started)


# --- Main ----------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument(
        "--duration", type=float, default=15, help="seconds per endpoint"
    )
    parser.add_argument(
        "--warmup", type=float, default=3, help="seconds per endpoint, not counted"
    )
    parser.add_argument(
        "--pair",
        type=float,
        default=5,
        help="seconds of the minimal view measured just before and after each page",
    )
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument(
        "--conn-max-age", type=int, default=0, help="DATABASE_CONN_MAX_AGE"
    )
    parser.add_argument(
        "--no-page-cache",
        action="store_true",
        help="serve every page fresh (LOUZU_PAGE_CACHE=0), to measure what a miss costs",
    )
    parser.add_argument("--buildings", type=int, default=120)
    parser.add_argument(
        "--residents", type=int, default=8, help="residents per building"
    )
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--only", help="comma-separated endpoint names (healthz always runs)"
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to the PostgreSQL database of a generated district.")

    with tempfile.TemporaryDirectory(prefix="louzu-bench-") as tmp_name:
        tmp = Path(tmp_name)
        env = production_env(args, tmp)
        os.environ.update(env)
        targets, before = prepare(args)
        info = machine()
        print(
            f"{len(targets)} buildings, {sum(len(t.residents) for t in targets)} residents + their leaders",
            file=sys.stderr,
        )
        log = tmp / "access.log"
        server = start_gunicorn(args, env, log)
        first_visits(args, targets)
        results = []
        try:
            table = endpoints(targets)
            names = list(table)
            if args.only:
                wanted = {name.strip() for name in args.only.split(",")}
                names = [n for n in names if n in wanted or n.startswith("/healthz")]
            for index, name in enumerate(names):
                kind, make, expected = table[name]
                drive(
                    args.port,
                    make,
                    expected,
                    args.clients,
                    args.warmup,
                    args.seed + 100 + index,
                )
                minimal = []
                if index and kind == "read" and args.pair:
                    minimal.append(rate(args, table[names[0]], args.seed + 200 + index))
                log_start = log.stat().st_size
                started = time.monotonic()
                latencies, errors, hits = drive(
                    args.port,
                    make,
                    expected,
                    args.clients,
                    args.duration,
                    args.seed + index,
                )
                elapsed = time.monotonic() - started
                time.sleep(0.5)  # the last access-log lines
                served = server_times(log, log_start, log.stat().st_size)
                if minimal:
                    minimal.append(rate(args, table[names[0]], args.seed + 300 + index))
                row = {
                    "endpoint": name,
                    "kind": kind,
                    "requests": len(latencies),
                    "errors": errors,
                    "page_cache_hits": hits,
                    "rps": len(latencies) / elapsed,
                    "client_ms": percentiles(latencies),
                    "server_ms": percentiles(served),
                }
                if minimal:
                    # The machine's speed drifts during a run: a page is compared with
                    # the minimal view measured just before and just after it, the
                    # faster of the two (the stricter ratio).
                    row["minimal_rps"] = max(minimal)
                results.append(row)
                print(
                    f"{name:<26} {row['rps']:8.1f} req/s  client p95 {row['client_ms']['p95']:7.1f} ms"
                    f"  server p95 {row['server_ms']['p95'] or 0:7.1f} ms  errors {errors}  cache hits {hits / max(len(latencies), 1):.0%}"
                    f"  minimal view beside {row.get('minimal_rps', 0):.0f} req/s",
                    file=sys.stderr,
                )
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        after = write_counts()
        from django.contrib.sessions.models import Session

        Session.objects.filter(
            session_key__in=[
                s for t in targets for s in [t.leader, t.staff, *t.residents]
            ]
        ).delete()

    minimal = max(
        row["rps"] for row in results if row["endpoint"].startswith("/healthz")
    )
    for row in results:
        row["ratio"] = row["rps"] / minimal if minimal else None
        if row["endpoint"] in after:
            row["rows_written"] = after[row["endpoint"]] - before[row["endpoint"]]
    report = {
        "machine": info,
        "settings": {
            "workers": args.workers,
            "clients": args.clients,
            "duration_s": args.duration,
            "conn_max_age": args.conn_max_age,
            "page_cache": bool(os.environ.get("REDIS_URL")) and not args.no_page_cache,
            "redis": bool(os.environ.get("REDIS_URL")),
            "buildings": len(targets),
        },
        "results": results,
    }
    print(markdown(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False))


def markdown(report: dict) -> str:
    lines = [
        "| endpoint | req/s | × minimal view (its req/s beside) | client p50 / p95 / p99 (ms) | server p50 / p95 / p99 (ms) | page cache hits | errors |",
        "|---|---:|---:|---|---|---:|---:|",
    ]

    def fmt(p):
        return " / ".join(
            "–" if p[k] is None else f"{p[k]:.1f}" for k in ("p50", "p95", "p99")
        )

    for row in report["results"]:
        written = f" ({row['rows_written']} rows)" if "rows_written" in row else ""
        beside = f" ({row['minimal_rps']:.0f})" if "minimal_rps" in row else ""
        lines.append(
            f"| {row['endpoint']}{written} | {row['rps']:.1f} | {row['ratio']:.2f}{beside} | "
            f"{fmt(row['client_ms'])} | {fmt(row['server_ms'])} | "
            f"{row['page_cache_hits'] / max(row['requests'], 1):.0%} | {row['errors']} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
