"""Benchmark: every main page and write over HTTP, one at a time, against gunicorn and
PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/louzu_district \\
    REDIS_URL=redis://127.0.0.1:6379/9 \\
        .venv/bin/python bench/run.py [--duration 15] [--clients 8] [--workers 5] \\
        [--no-page-cache] [--only "poll,vote"] [--json bench/results/single.json]

It starts gunicorn on 127.0.0.1 with production settings (DJANGO_DEBUG=0) against the
database in DATABASE_URL (generate one first: `manage.py generate_district`), opens
sessions for the leader and a few residents of some buildings, then drives one endpoint
of bench/catalogue.py at a time with concurrent clients (threads, http.client) for a
fixed time, the minimal view /healthz first. For every endpoint it reports requests/s,
the latency the clients saw and the time gunicorn spent on the request (its access log,
%(D)s) as p50/p95/p99, the page cache's hits, and the throughput as a share of
/healthz's. The machine's speed drifts during a run, so each page is compared with
/healthz measured for a few seconds just before and just after it (the faster of the
two: the stricter ratio).

The writes stay in the database: issues titled "压测", "me too"s, ballots, donations of
¥1.00 noted "压测", sign-ups, dashboard refreshes.
"""

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import load  # noqa: E402


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


def maker(endpoint, targets):
    serving = [t for t in targets if endpoint.serves(t)]

    def make(rng, _index):
        method, path, session, body = endpoint.request(rng.choice(serving), rng)
        return endpoint.label, method, path, session, body, endpoint.expect

    return make


def arguments(parser: argparse.ArgumentParser) -> None:
    """The options bench/run.py and bench/mixed.py share."""
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument(
        "--conn-max-age", type=int, default=60, help="DATABASE_CONN_MAX_AGE"
    )
    parser.add_argument(
        "--no-page-cache",
        action="store_true",
        help="serve every page fresh (LOUZU_PAGE_CACHE=0), to measure what a miss costs",
    )
    parser.add_argument(
        "--residents", type=int, default=8, help="residents per building"
    )
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, help="also write the results here")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    arguments(parser)
    parser.add_argument("--duration", type=float, default=15, help="s per endpoint")
    parser.add_argument("--warmup", type=float, default=3, help="s, not counted")
    parser.add_argument(
        "--pair",
        type=float,
        default=5,
        help="seconds of the minimal view measured just before and after each page",
    )
    parser.add_argument("--buildings", type=int, default=120)
    parser.add_argument(
        "--only", help="comma-separated endpoint labels (healthz always runs)"
    )
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to the PostgreSQL database of a generated district.")

    with tempfile.TemporaryDirectory(prefix="louzu-bench-") as tmp_name:
        tmp = Path(tmp_name)
        env = load.production_env(args, tmp)
        os.environ.update(env)
        import django

        django.setup()
        from bench import catalogue, targets

        chosen = targets.prepare(args.buildings, args.residents, args.seed)
        before = write_counts()
        info = load.machine()
        print(
            f"{len(chosen)} buildings, {sum(len(t.residents) for t in chosen)} "
            "residents + their leaders",
            file=sys.stderr,
        )
        log = tmp / "access.log"
        server = load.start_gunicorn(args, env, log)
        results = []
        try:
            load.first_visits(args.port, targets.sessions(chosen))
            endpoints = [catalogue.HEALTHZ, *catalogue.PAGES, *catalogue.WRITES]
            if args.only:
                wanted = {name.strip() for name in args.only.split(",")}
                endpoints = [endpoints[0]] + [
                    e for e in endpoints[1:] if e.label in wanted
                ]
            healthz = maker(catalogue.HEALTHZ, chosen)
            for index, endpoint in enumerate(endpoints):
                results.append(
                    phase(args, endpoint, maker(endpoint, chosen), healthz, index, log)
                )
        finally:
            load.stop(server)
            after = write_counts()
            targets.forget(chosen)

    minimal = results[0]["rps"]
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
            "buildings": len(chosen),
        },
        "results": results,
    }
    print(markdown(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False))


def phase(args, endpoint, make, healthz, index, log) -> dict:
    """One endpoint: a warm-up, then measured, with /healthz beside it if it is a page."""

    def rate(seed) -> float:
        started = time.monotonic()
        done = load.drive(args.port, healthz, args.clients, args.pair, seed)
        return len(done) / (time.monotonic() - started)

    load.drive(args.port, make, args.clients, args.warmup, args.seed + 100 + index)
    minimal = []
    beside = index and endpoint.method == "GET" and args.pair
    if beside:
        minimal.append(rate(args.seed + 200 + index))
    log_start = log.stat().st_size
    started = time.monotonic()
    done = load.drive(args.port, make, args.clients, args.duration, args.seed + index)
    elapsed = time.monotonic() - started
    time.sleep(0.5)  # the last access-log lines
    served = [
        ms for _m, _p, ms in load.server_times(log, log_start, log.stat().st_size)
    ]
    if beside:
        minimal.append(rate(args.seed + 300 + index))
    row = {
        "endpoint": endpoint.label,
        "kind": "read" if endpoint.method == "GET" else "write",
        "requests": len(done),
        "errors": sum(not ok for _l, _ms, ok, _hit in done),
        "page_cache_hits": sum(hit for _l, _ms, _ok, hit in done),
        "rps": len(done) / elapsed,
        "client_ms": load.percentiles([ms for _l, ms, _ok, _hit in done]),
        "server_ms": load.percentiles(served),
        "load_average": os.getloadavg()[0],
    }
    if minimal:
        # The machine's speed drifts during a run: a page is compared with the minimal
        # view measured just before and just after it, the faster of the two.
        row["minimal_rps"] = max(minimal)
    print(
        f"{endpoint.label:<26} {row['rps']:8.1f} req/s  server p95 "
        f"{row['server_ms']['p95'] or 0:7.1f} ms  errors {row['errors']}  "
        f"hits {row['page_cache_hits'] / max(len(done), 1):.0%}  "
        f"minimal view beside {row.get('minimal_rps', 0):.0f} req/s",
        file=sys.stderr,
        flush=True,
    )
    return row


def markdown(report: dict) -> str:
    lines = [
        "| endpoint | req/s | × minimal view (its req/s beside) | client p50 / p95 / p99 (ms)"
        " | server p50 / p95 / p99 (ms) | page cache hits | errors | load |",
        "|---|---:|---:|---|---|---:|---:|---:|",
    ]
    for row in report["results"]:
        written = f" ({row['rows_written']} rows)" if "rows_written" in row else ""
        beside = row.get("minimal_rps")
        ratio = row["rps"] / beside if beside else row["ratio"]
        shown = f"{ratio:.2f}" + (f" ({beside:.0f})" if beside else "")
        lines.append(
            f"| {row['endpoint']}{written} | {row['rps']:.1f} | {shown} | "
            f"{load.fmt(row['client_ms'])} | {load.fmt(row['server_ms'])} | "
            f"{row['page_cache_hits'] / max(row['requests'], 1):.0%} | {row['errors']} | "
            f"{row['load_average']:.1f} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
