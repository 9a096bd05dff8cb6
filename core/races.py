"""The knobs every guarded write uses, so races can be proven (docs/architecture.md, "Concurrency guards").

Lock order everywhere: user -> resident -> building -> fund, activity, shift or garden
space -> poll or consultation -> household.
"""

import time

from django.conf import settings
from django.db import connection


def guards_on() -> bool:
    """False only in the twin tests that must show the guard matters."""
    return not settings.LOUZU_GUARDS_OFF


def locked(queryset):
    """select_for_update() unless guards are switched off for a twin test."""
    return queryset.select_for_update() if guards_on() else queryset


def pause() -> None:
    """Test-only pause between check and write (0 in production)."""
    if settings.LOUZU_RACE_PAUSE:
        time.sleep(settings.LOUZU_RACE_PAUSE)


def set_lock_timeout(seconds: int = 3) -> None:
    """Inside a transaction on PostgreSQL: a stuck lock fails fast (503), never hangs."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = '{int(seconds)}s'")


def share_lock(model, pk) -> None:
    """FOR SHARE on one row (PostgreSQL): many holders at once, but a FOR UPDATE of the
    row (an edit) waits for them and they for it. Nothing on SQLite, which serialises."""
    if not guards_on() or connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {model._meta.db_table} WHERE id = %s FOR SHARE", [pk]
        )
