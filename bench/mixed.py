"""Benchmark: a mixed load at district scale, reads with writes interleaved.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/louzu_district \\
    REDIS_URL=redis://127.0.0.1:6379/9 \\
        .venv/bin/python bench/mixed.py [--duration 40] [--clients 10] [--voters 3] \\
        [--buildings 120] [--no-page-cache] [--json bench/results/mixed.json]

gunicorn with production settings (as bench/run.py) serves people of many buildings at
once: each client opens the pages of bench/catalogue.py in a random building of the
sample, one after the other, with the writes interleaved at a low rate (reporting an
issue, "me too", a vote, a sign-up, a donation, the dashboard's "refresh now") and
/healthz, the minimal view, as one request in twenty. During the middle third of the run
`--voters` clients instead cast votes as fast as they can in the buildings of one
community (a vote burst: every vote makes that community's pages miss the page cache),
while the others go on browsing.

Reported per page and write: the number of requests, errors, the latency the clients
saw and the time gunicorn spent (its access log), the page cache's hit rate (in the
burst community and elsewhere), and each read's cost against the minimal view beside it:
the mean server time of /healthz in the same run divided by the page's. On sync workers
that all share the same cores, that is the share of the minimal view's throughput the
page would reach on its own.
"""

import argparse
import json
import os
import random
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import load  # noqa: E402
from bench.run import arguments  # noqa: E402

# How often each page or write comes up in the mix (relative weights): what residents do
# most (their building, an issue, a poll, an activity) comes up most.
WEIGHTS = {
    "community": 2,
    "building": 6,
    "issue list": 4,
    "issue": 6,
    "decide hub": 3,
    "poll": 5,
    "consultation": 2,
    "meeting": 2,
    "fund": 3,
    "statement (a year)": 2,
    "campaign": 2,
    "activities": 3,
    "activity": 5,
    "rota": 2,
    "inbox": 3,
    "my page": 3,
    "to-do (leader)": 2,
    "dashboard (staff)": 2,
    "report an issue": 0.5,
    "me too": 1,
    "vote": 1,
    "sign-up": 1,
    "donation": 0.5,
    "dashboard: refresh now": 0.1,
}
HEALTHZ_SHARE = 1 / 20
BURST_BROWSING = 1 / 4


class Mix:
    """What each client sends next; remembers which paths are which page, for the
    access log."""

    def __init__(self, args, district, burst, healthz):
        from bench import catalogue

        endpoints = {e.label: e for e in catalogue.PAGES + catalogue.WRITES}
        # Pages no building of the sample has (a rota, say, in a small sample) are left out.
        served = {
            label: w
            for label, w in WEIGHTS.items()
            if any(endpoints[label].serves(t) for t in district + burst)
        }
        self.pool = [endpoints[label] for label in served]
        self.weights = list(served.values())
        self.vote = endpoints["vote"]
        self.healthz = healthz
        self.browse = district + burst
        self.burst = burst
        self.burst_ids = {t.building for t in burst}
        self.voters = args.voters
        self.window = (float("inf"), float("inf"))
        self.paths: dict[str, tuple[str, bool]] = {}
        self.lock = threading.Lock()

    def start(self, duration: float) -> None:
        """The measured run starts now: the burst is its middle third."""
        now = time.monotonic()
        self.window = (now + duration / 3, now + 2 * duration / 3)

    def bursting(self) -> bool:
        return self.window[0] <= time.monotonic() < self.window[1]

    def __call__(self, rng: random.Random, index: int):
        if index < self.voters and self.bursting():
            endpoint, target = self.vote, rng.choice(self.burst)
        elif rng.random() < HEALTHZ_SHARE:
            endpoint, target = self.healthz, self.browse[0]
        else:
            endpoint = rng.choices(self.pool, self.weights)[0]
            # A quarter of the browsing is in the burst community: its hit rate shows
            # what the votes do to the pages its residents open meanwhile.
            where = self.burst if rng.random() < BURST_BROWSING else self.browse
            serving = [t for t in where if endpoint.serves(t)]
            target = rng.choice(
                serving or [t for t in self.browse if endpoint.serves(t)]
            )
        method, path, session, body = endpoint.request(target, rng)
        key = (endpoint.label, target.building in self.burst_ids)
        self.paths[path.partition("?")[0]] = key
        return key, method, path, session, body, endpoint.expect


def summarise(done, served, mix) -> list[dict]:
    """One row per page and write: client-side figures, server times and hits."""
    rows: dict[str, dict] = {}
    for (label, in_burst), ms, ok, hit in done:
        row = rows.setdefault(
            label,
            {"endpoint": label, "client": [], "server": [], "errors": 0, "hits": {}},
        )
        row["client"].append(ms)
        row["errors"] += not ok
        place = "burst" if in_burst else "elsewhere"
        seen, hits = row["hits"].get(place, (0, 0))
        row["hits"][place] = (seen + 1, hits + hit)
    for _method, path, ms in served:
        key = mix.paths.get(path)
        if key and key[0] in rows:
            rows[key[0]]["server"].append(ms)
    out = []
    for row in rows.values():
        server = row.pop("server")
        client = row.pop("client")
        out.append(
            {
                **row,
                "requests": len(client),
                "client_ms": load.percentiles(client),
                "server_ms": load.percentiles(server),
                "server_mean_ms": sum(server) / len(server) if server else None,
            }
        )
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    arguments(parser)
    parser.add_argument("--duration", type=float, default=40, help="seconds measured")
    parser.add_argument("--warmup", type=float, default=5, help="s, not counted")
    parser.add_argument(
        "--buildings", type=int, default=120, help="across the district"
    )
    parser.add_argument("--voters", type=int, default=3, help="clients in the burst")
    parser.set_defaults(clients=10)
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to the PostgreSQL database of a generated district.")

    with tempfile.TemporaryDirectory(prefix="louzu-mixed-") as tmp_name:
        tmp = Path(tmp_name)
        env = load.production_env(args, tmp)
        os.environ.update(env)
        import django

        django.setup()
        from bench import catalogue, targets

        burst = targets.prepare(1000, args.residents, args.seed, targets.BUSIEST)
        district = targets.prepare(args.buildings, args.residents, args.seed)
        district = [t for t in district if t.community != burst[0].community]
        info = load.machine()
        print(
            f"{len(district)} buildings browsing, {len(burst)} in the burst community",
            file=sys.stderr,
        )
        log = tmp / "access.log"
        server = load.start_gunicorn(args, env, log)
        try:
            load.first_visits(args.port, targets.sessions(district + burst))
            mix = Mix(args, district, burst, catalogue.HEALTHZ)
            load.drive(args.port, mix, args.clients, args.warmup, args.seed + 1)
            alone = [healthz_rate(args, mix)]
            log_start = log.stat().st_size
            started = time.monotonic()
            mix.start(args.duration)
            done = load.drive(args.port, mix, args.clients, args.duration, args.seed)
            elapsed = time.monotonic() - started
            time.sleep(0.5)
            served = load.server_times(log, log_start, log.stat().st_size)
            alone.append(healthz_rate(args, mix))
        finally:
            load.stop(server)
            targets.forget(district + burst)

    rows = summarise(done, served, mix)
    minimal = next(r for r in rows if r["endpoint"] == catalogue.HEALTHZ.label)
    reads = [r for r in rows if r["endpoint"] in {p.label for p in catalogue.PAGES}]
    for row in rows:
        if row["server_mean_ms"]:
            row["ratio"] = minimal["server_mean_ms"] / row["server_mean_ms"]
    report = {
        "machine": info,
        "settings": {
            **{
                k: getattr(args, k)
                for k in ("workers", "clients", "voters", "duration")
            },
            "page_cache": bool(os.environ.get("REDIS_URL")) and not args.no_page_cache,
            "buildings_browsing": len(district),
            "buildings_in_burst": len(burst),
            "load_average_after": os.getloadavg(),
        },
        "requests_per_s": len(done) / elapsed,
        "healthz_alone_rps": alone,
        "reads_mean_ratio": sum(r["ratio"] for r in reads) / len(reads),
        "read_hit_rate": hit_rate(reads),
        "results": rows,
    }
    print(markdown(report, {p.label for p in catalogue.PAGES}))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False))


def healthz_rate(args, mix) -> float:
    """/healthz alone, all clients, a few seconds: the throughput the mix is set against."""

    def make(rng, _index):
        method, path, session, body = mix.healthz.request(mix.browse[0], rng)
        return "healthz", method, path, session, body, mix.healthz.expect

    started = time.monotonic()
    done = load.drive(args.port, make, args.clients, 3, args.seed + 7)
    return len(done) / (time.monotonic() - started)


def hit_rate(rows, place=None) -> float | None:
    seen = hits = 0
    for row in rows:
        for where, (n, h) in row["hits"].items():
            if place in (None, where):
                seen, hits = seen + n, hits + h
    return hits / seen if seen else None


def markdown(report: dict, pages: set) -> str:
    def share(value):
        return "–" if value is None else f"{value:.0%}"

    lines = [
        f"{report['requests_per_s']:.0f} req/s in all; /healthz alone before and after: "
        + " / ".join(f"{r:.0f}" for r in report["healthz_alone_rps"])
        + f" req/s; page cache hits on reads {share(report['read_hit_rate'])}; reads'"
        f" mean ratio to the minimal view {report['reads_mean_ratio']:.2f}",
        "",
        "| endpoint | requests | × minimal view | client p50 / p95 / p99 (ms) "
        "| server p50 / p95 / p99 (ms) | hits: burst community / elsewhere | errors |",
        "|---|---:|---:|---|---|---|---:|",
    ]
    order = {label: i for i, label in enumerate(WEIGHTS)}
    for row in sorted(report["results"], key=lambda r: order.get(r["endpoint"], -1)):
        page = row["endpoint"] in pages
        ratio = f"{row['ratio']:.2f}" if page and row.get("ratio") else "–"
        hits = (
            f"{share(hit_rate([row], 'burst'))} / {share(hit_rate([row], 'elsewhere'))}"
            if page
            else "–"
        )
        lines.append(
            f"| {row['endpoint']} | {row['requests']} | {ratio} | "
            f"{load.fmt(row['client_ms'])} | {load.fmt(row['server_ms'])} | {hits} | "
            f"{row['errors']} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
