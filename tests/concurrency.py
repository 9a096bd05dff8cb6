"""Helpers for the PostgreSQL concurrency proofs (see shared/TESTING.md)."""

import threading

import pytest
from django.db import connection, connections

requires_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Concurrency proofs need PostgreSQL (set DATABASE_URL); SQLite serialises every writer.",
)


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
