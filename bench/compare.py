"""Paired comparison of two checkouts: the CPU of each page built afresh, visit by visit.

    git archive <commit> | tar -x -C /tmp/before    # the code to compare with
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/louzu_district \\
        .venv/bin/python bench/compare.py /tmp/before --only "fund,building" [--rounds 20] [--repeat 2]

On a shared machine the CPU of a page moves by ±30 % between two runs minutes apart,
more than most changes to a page. This runs both checkouts at once, each in a process
of its own as bench/pages.py measures (production settings, page cache off, the
process's cache emptied before each request: a miss), and sends each visit to one and
then at once to the other (alternating which goes first), so both see the same load.
Reported per page: each side's CPU p50 over all visits, the median of the visit-by-visit
ratios (after / before: the figure to read), and the most queries a visit made.
Both checkouts must work on the same database schema (no migration between them).
"""

import argparse
import ast
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def worker(labels: list[str], rounds: int) -> None:
    """One side: prepares the visits, then measures the one asked for on each line."""
    sys.path.insert(0, str(Path.cwd()))
    from bench import pages

    args = argparse.Namespace(
        page_cache=False, database_url=os.environ.get("DATABASE_URL", "")
    )
    pages.configure(args)
    from django.core.cache import cache
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection

    from bench import catalogue, targets

    handler = WSGIHandler()
    chosen = targets.prepare(rounds, 1, 1)
    endpoints = catalogue.by_label()
    visits = {label: pages.visits_of(endpoints[label], chosen, 1) for label in labels}
    sent = [0]

    def count(execute, sql, params, many, context):
        sent[0] += 1
        return execute(sql, params, many, context)

    try:
        for label in labels:  # warm up: templates, URL resolver, prepared plans
            for visit in visits[label][:3]:
                pages.request(handler, *visit)
        print({label: len(v) for label, v in visits.items()}, flush=True)
        for line in sys.stdin:
            label, index = line.rsplit(" ", 1)
            cache.clear()
            sent[0] = 0
            with connection.execute_wrapper(count):
                started = time.process_time()
                pages.request(handler, *visits[label][int(index)])
                cpu = (time.process_time() - started) * 1000
            print(f"{cpu:.3f} {sent[0]}", flush=True)
    finally:
        targets.forget(chosen)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before", type=Path, help="the other checkout")
    parser.add_argument("--only", required=True, help="comma-separated page names")
    parser.add_argument("--rounds", type=int, default=20, help="buildings per page")
    parser.add_argument("--repeat", type=int, default=2, help="visits per building")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    labels = [name.strip() for name in args.only.split(",")]
    if args.worker:
        worker(labels, args.rounds)
        return
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to the PostgreSQL database of a generated district.")
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    sides = {}
    for name, root in (("before", args.before.resolve()), ("after", ROOT)):
        command = [sys.executable, str(Path(__file__).resolve()), str(root)]
        command += ["--only", args.only, "--rounds", str(args.rounds), "--worker"]
        sides[name] = subprocess.Popen(
            command, cwd=root, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
    sizes = {
        name: ast.literal_eval(side.stdout.readline().decode())
        for name, side in sides.items()
    }
    if sizes["before"] != sizes["after"]:
        sys.exit(f"The two sides chose different visits: {sizes}")

    def ask(name, label, index):
        side = sides[name]
        side.stdin.write(f"{label} {index}\n".encode())
        side.stdin.flush()
        cpu, queries = side.stdout.readline().split()
        return float(cpu), int(queries)

    print("load average at the start:", *(f"{x:.1f}" for x in os.getloadavg()))
    print("| page | visits | CPU p50 before / after (ms) | after ÷ before | queries |")
    print("|---|---:|---|---:|---|")
    turn = 0
    try:
        for label, visits in sizes["before"].items():
            cpu = {"before": [], "after": []}
            queries = {"before": 0, "after": 0}
            for _ in range(args.repeat):
                for index in range(visits):
                    order = (
                        ("before", "after") if turn % 2 == 0 else ("after", "before")
                    )
                    turn += 1
                    for name in order:
                        spent, sent = ask(name, label, index)
                        cpu[name].append(spent)
                        queries[name] = max(queries[name], sent)
            ratio = statistics.median(
                a / b for b, a in zip(cpu["before"], cpu["after"], strict=True)
            )
            print(
                f"| {label} | {len(cpu['before'])} | "
                f"{statistics.median(cpu['before']):.1f} / "
                f"{statistics.median(cpu['after']):.1f} | {ratio:.2f} | "
                f"{queries['before']} → {queries['after']} |",
                flush=True,
            )
    finally:
        for side in sides.values():
            side.stdin.close()
            side.wait()
    print("load average at the end:", *(f"{x:.1f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
