"""HTTP plumbing of the benchmarks: gunicorn with production settings, simulated phones
(threads with http.client), and the figures (percentiles, gunicorn's own request times).

Everything stays on 127.0.0.1 and stops by itself: every phase has a deadline and the
caller terminates gunicorn at the end.
"""

import http.client
import os
import platform
import random
import secrets
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
CSRF = "b" * 32  # any 32-character secret works as cookie and form token alike


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
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "load_average": os.getloadavg(),
        "python": platform.python_version(),
        "django": django.__version__,
        "gunicorn": gunicorn.__version__,
        "psycopg": psycopg.__version__,
        "postgresql": pg,
        "database_size": size,
    }


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
    deadline = time.monotonic() + 120  # a busy machine boots workers slowly
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection(HOST, args.port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    sys.exit("gunicorn did not answer within 120 s:\n" + server.stderr.read().decode())


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()


class Client:
    """One simulated phone: its own connection, cookies by hand (they are Secure-only)."""

    def __init__(self, port: int):
        self.port = port
        self.connection = None

    def request(self, method: str, path: str, session: str | None, body: dict | None):
        headers = {"Host": HOST, "X-Forwarded-Proto": "https"}
        cookies = [f"csrftoken={CSRF}"]
        if session:
            cookies.append(f"sessionid={session}")
        headers["Cookie"] = "; ".join(cookies)
        data = None
        if body is not None:
            data = urlencode({"csrfmiddlewaretoken": CSRF, **body}).encode()
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


def first_visits(port: int, sessions: list[str]) -> None:
    """Every session opens its own page once, as right after logging in: the log-in is
    read into the cache then, not in the middle of the first page's measurement."""
    client = Client(port)
    for session in sessions:
        client.request("GET", "/me/", session, None)


def drive(port: int, make, clients: int, seconds: float, seed: int) -> list[tuple]:
    """Run `clients` threads for `seconds`, each sending make(rng, index) ->
    (label, method, path, session, body, expected statuses) in a loop. Returns
    (label, latency ms, ok, page cache hit) per request."""
    deadline = time.monotonic() + seconds
    done: list[list[tuple]] = [[] for _n in range(clients)]
    barrier = threading.Barrier(clients)

    def run(index):
        rng = random.Random(seed * 1000 + index)
        client = Client(port)
        barrier.wait()
        while time.monotonic() < deadline:
            label, method, path, session, body, expected = make(rng, index)
            started = time.perf_counter()
            try:
                status, cache = client.request(method, path, session, body)
            except (http.client.HTTPException, OSError):
                status, cache = 0, None
            done[index].append(
                (
                    label,
                    (time.perf_counter() - started) * 1000,
                    status in expected,
                    cache == "hit",
                )
            )

    threads = [
        threading.Thread(target=run, args=(i,), daemon=True) for i in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    return [row for rows in done for row in rows]


def percentiles(values: list[float]) -> dict:
    if len(values) < 2:
        return {"p50": None, "p95": None, "p99": None}
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50": statistics.median(values), "p95": cuts[94], "p99": cuts[98]}


def server_times(log: Path, start: int, end: int) -> list[tuple[str, str, float]]:
    """(method, path, ms) gunicorn spent per request, from the access-log lines of a
    phase."""
    with open(log, "rb") as handle:
        handle.seek(start)
        chunk = handle.read(end - start).decode(errors="replace")
    times = []
    for line in chunk.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[3].isdigit():
            times.append((parts[0], parts[1], int(parts[3]) / 1000))
    return times


def fmt(p: dict) -> str:
    return " / ".join(
        "–" if p[k] is None else f"{p[k]:.1f}" for k in ("p50", "p95", "p99")
    )
