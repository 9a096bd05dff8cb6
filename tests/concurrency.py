"""Helpers for the PostgreSQL concurrency proofs: threads released together."""

import threading

import pytest
from django.db import connections

# Concurrency proofs need PostgreSQL: SQLite serialises every writer. On SQLite they are
# not collected at all (tests/conftest.py), so a run lists no skips; the run on
# PostgreSQL (DATABASE_URL) collects them.
requires_postgres = pytest.mark.postgres


def storm(n, fn):
    """Run fn(i) in n threads released together; return (results, errors)."""
    barrier = threading.Barrier(n)
    results, errors = [None] * n, []

    def run(i):
        try:
            barrier.wait()
            results[i] = fn(i)
        except Exception as exc:  # collected and asserted by the caller
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors
