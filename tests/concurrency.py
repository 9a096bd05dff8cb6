"""Helpers for the PostgreSQL concurrency proofs: threads released together."""

import fcntl
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection, connections

# Concurrency proofs need PostgreSQL: SQLite serialises every writer. On SQLite they are
# not collected at all (tests/conftest.py), so a run lists no skips; the run on
# PostgreSQL (DATABASE_URL) collects them.
requires_postgres = pytest.mark.postgres


# One storm at a time on the machine, whichever pytest-xdist worker runs it: a storm holds
# up to 50 connections (two at once passed PostgreSQL's 100, "too many clients"), and a
# twin's race is meant to show against its own threads, not starve beside another storm.
STORM_LOCK = Path(tempfile.gettempdir()) / "louzu-tests-storm.lock"


@contextmanager
def one_storm_at_a_time():
    with open(STORM_LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def storm(n, fn):
    """Run fn(i) in n threads released together; return (results, errors)."""
    with one_storm_at_a_time():
        return _storm(n, fn)


def _storm(n, fn):
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


@contextmanager
def without_constraint(model, name, cleanup=None):
    """Drop a database constraint for one twin test, and put it back afterwards.

    The duplicates the twin made would stop the constraint coming back, so ``cleanup()``
    removes them first (by default every row of the model)."""
    constraint = next(c for c in model._meta.constraints if c.name == name)
    with connection.schema_editor() as editor:
        editor.remove_constraint(model, constraint)
    try:
        yield
    finally:
        (cleanup or model.objects.all().delete)()
        with connection.schema_editor() as editor:
            editor.add_constraint(model, constraint)
