"""Helpers for the PostgreSQL concurrency proofs: threads released together."""

import threading
from contextlib import contextmanager

import pytest
from django.db import connection, connections

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
