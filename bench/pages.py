"""In-process CPU per request of every main page and write (bench/catalogue.py).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/louzu_district \\
        .venv/bin/python bench/pages.py [--rounds 20] [--only "poll,statement (a year)"] \\
        [--page-cache] [--cprofile statement] [--json bench/results/pages.json]

Production settings (DEBUG off). By default the page cache is off and the process has a
cache of its own, emptied before every request, so pages, fragments and figures are built
afresh: what a page costs on a miss. With `--page-cache` (and REDIS_URL) the page cache
is on and each page is opened once before it is measured, so the measured requests are
hits. Each page is opened `--rounds` times, each time in another building of the
generated district (as a resident; the to-do and the donation as the leader; the
dashboard as staff), through Django's WSGI handler called directly, after a warm-up.
Reported: the process's CPU time per request (time.process_time: Django and the database
driver, not PostgreSQL's own work) and the wall time, p50 and p95, and the number of
queries. The dashboard's figures, which the task worker computes ahead, are timed as
well (one community at a time, as the worker does). `--cprofile NAME` prints the costliest
functions of that page instead.

The writes stay in the database (as with bench/run.py); the first run adds a
consultation to the chosen buildings that have none.
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
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CSRF = "b" * 32  # any 32-character secret works as cookie and form token alike


def configure(args) -> None:
    if not args.page_cache:
        os.environ.pop("REDIS_URL", None)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="profile-" + secrets.token_hex(32),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=args.database_url,
        DATABASE_CONN_MAX_AGE="60",
        LOUZU_PAGE_CACHE="1" if args.page_cache else "0",
        LOUZU_PAGE_CACHE_HEADER="1",
        LOG_LEVEL="ERROR",
        STATIC_ROOT=tempfile.mkdtemp(prefix="louzu-profile-"),
    )
    import django
    from django.core.management import call_command

    django.setup()
    call_command("collectstatic", interactive=False, verbosity=0)


def request(handler, method, path, session, body, expect=(200,)):
    """One request through the WSGI handler; returns (body, X-Page-Cache)."""
    from django.test import RequestFactory

    path, _sep, query = path.partition("?")
    data = (
        urlencode({"csrfmiddlewaretoken": CSRF, **body}).encode()
        if body is not None
        else b""
    )
    cookie = f"csrftoken={CSRF}" + (f"; sessionid={session}" if session else "")
    environ = RequestFactory(
        HTTP_HOST="127.0.0.1",
        HTTP_COOKIE=cookie,
        HTTP_ACCEPT_LANGUAGE="zh-hans",
        HTTP_X_FORWARDED_PROTO="https",
        HTTP_REFERER=f"https://127.0.0.1{path}",
    )._base_environ(
        PATH_INFO=path,
        QUERY_STRING=query,
        REQUEST_METHOD=method,
        CONTENT_TYPE="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(len(data)),
        **{"wsgi.input": io.BytesIO(data)},
    )
    got = []
    content = b"".join(
        handler(environ, lambda status, headers: got.append((status, headers)))
    )
    status, headers = got[0]
    if int(status.split()[0]) not in expect:
        raise SystemExit(f"{method} {path}: {status}")
    return content, dict(headers).get("X-Page-Cache")


def p95(values):
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def summary(cpu, wall, queries, size, hits) -> dict:
    return {
        "visits": len(cpu),
        "cpu_ms": {"p50": statistics.median(cpu), "p95": p95(cpu)},
        "wall_ms": {"p50": statistics.median(wall), "p95": p95(wall)},
        "queries": max(queries),
        "kb": round(size / 1024),
        "page_cache_hits": hits,
    }


def measure(handler, visits, fresh: bool) -> dict:
    """visits: (method, path, session, body, expect) tuples."""
    from django.core.cache import cache
    from django.db import connection

    cpu, wall, queries, size, hits = [], [], [], 0, 0
    sent = [0]

    def count(execute, sql, params, many, context):
        sent[0] += 1
        return execute(sql, params, many, context)

    for method, path, session, body, expect in visits:
        if fresh:
            cache.clear()  # fragments and figures are built afresh as well
        sent[0] = 0
        with connection.execute_wrapper(count):
            started_cpu, started = time.process_time(), time.perf_counter()
            content, cached = request(handler, method, path, session, body, expect)
            cpu.append((time.process_time() - started_cpu) * 1000)
            wall.append((time.perf_counter() - started) * 1000)
        queries.append(sent[0])
        size = max(size, len(content))
        hits += cached == "hit"
    return summary(cpu, wall, queries, size, hits)


def figures_job(targets) -> dict:
    """CPU of the task worker's job: one community's dashboard figures computed."""
    from buildings.models import Community
    from dashboard import figures

    cpu, wall = [], []
    communities = list(
        Community.objects.filter(pk__in={t.community for t in targets}).order_by("pk")
    )
    figures.compute(communities[0])  # warm-up
    for community in communities:
        started_cpu, started = time.process_time(), time.perf_counter()
        figures.compute(community)
        cpu.append((time.process_time() - started_cpu) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
    return summary(cpu, wall, [0], 0, 0)


def visits_of(endpoint, targets, seed):
    rng = random.Random(seed)
    return [
        (*endpoint.request(target, rng), endpoint.expect)
        for target in targets
        if endpoint.serves(target)
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--rounds", type=int, default=20, help="buildings per page")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", help="comma-separated page names")
    parser.add_argument("--page-cache", action="store_true", help="measure hits")
    parser.add_argument("--cprofile", help="profile this page instead")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to the PostgreSQL database of a generated district.")
    if args.page_cache and not os.environ.get("REDIS_URL"):
        sys.exit("--page-cache needs REDIS_URL (e.g. redis://127.0.0.1:6379/9).")
    configure(args)
    from django.core.handlers.wsgi import WSGIHandler

    from bench import catalogue, targets

    handler = WSGIHandler()
    chosen = targets.prepare(args.rounds, 1, args.seed)
    endpoints = catalogue.PAGES + catalogue.WRITES
    if args.only:
        wanted = {name.strip() for name in args.only.split(",")}
        endpoints = [e for e in endpoints if e.label in wanted]
    fresh = not args.page_cache
    results = {}
    try:
        for endpoint in endpoints:  # warm up: templates, URL resolver, prepared plans
            for visit in visits_of(endpoint, chosen[:3], args.seed + 1):
                request(handler, *visit)
        if args.cprofile:
            import cProfile
            import pstats

            endpoint = catalogue.by_label()[args.cprofile]
            visits = visits_of(endpoint, chosen, args.seed) * 3
            profile = cProfile.Profile(time.process_time)
            profile.runcall(measure, handler, visits, fresh)
            for order, lines in (("cumulative", 60), ("tottime", 40)):
                out = io.StringIO()
                pstats.Stats(profile, stream=out).sort_stats(order).print_stats(lines)
                print(out.getvalue())
            return
        print(
            "| page | CPU p50 / p95 (ms) | wall p50 / p95 (ms) | queries | KB | hits |"
        )
        print("|---|---|---|---:|---:|---:|")
        for endpoint in endpoints:
            visits = visits_of(endpoint, chosen, args.seed)
            if not fresh and endpoint.method == "GET":
                for visit in visits:  # the first visit builds the page
                    request(handler, *visit)
            results[endpoint.label] = measure(handler, visits, fresh)
            show(endpoint.label, results[endpoint.label])
        if not args.only and fresh:
            label = "dashboard figures (worker job, a community)"
            results[label] = figures_job(chosen)
            show(label, results[label])
    finally:
        targets.forget(chosen)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False))


def show(name, row):
    print(
        f"| {name} | {row['cpu_ms']['p50']:.1f} / {row['cpu_ms']['p95']:.1f} | "
        f"{row['wall_ms']['p50']:.1f} / {row['wall_ms']['p95']:.1f} | "
        f"{row['queries']} | {row['kb']} | {row['page_cache_hits']}/{row['visits']} |",
        flush=True,
    )


if __name__ == "__main__":
    main()
