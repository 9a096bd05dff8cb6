"""Data built once for a whole test module, in a transaction rolled back after it."""

from django.db import connection, transaction


def built_once(django_db_blocker, build):
    """For a module-scoped fixture: ``yield from built_once(django_db_blocker, build)``.

    ``build()`` runs once inside a transaction; each test then runs in its own
    transaction inside it, and everything is rolled back after the module.

    The foreign-key checks PostgreSQL defers for the built rows run once, here. Left
    pending, they would run again at every test's teardown (Django checks constraints
    there, and the test's rollback undoes the check): 0.7 s a test for a district."""
    with django_db_blocker.unblock(), transaction.atomic():
        data = build()
        connection.check_constraints()
        yield data
        transaction.set_rollback(True)
