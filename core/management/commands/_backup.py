"""What `backup` and `restore` share: the file names, hashing, the key tables, psql tools.

The leading underscore keeps Django from taking this module for a command.
"""

import hashlib
import shutil
from pathlib import Path

from django.core.management.base import CommandError

DUMP = "database.dump"
MEDIA = "media.tar.gz"
MANIFEST = "manifest.json"
FORMAT = 1


def key_tables() -> list[str]:
    """The tables whose row counts go into the manifest and are compared after a
    restore: every table of the project's own apps."""
    from django.apps import apps

    from core.apps import project_app_configs

    labels = {config.label for config in project_app_configs()}
    return sorted(
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in labels
        and model._meta.managed
        and not model._meta.proxy
    )


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def tool(name: str) -> str:
    """The full path of a PostgreSQL client program, or a plain refusal."""
    found = shutil.which(name)
    if found is None:
        raise CommandError(
            f"{name} was not found on PATH. Install the PostgreSQL client programs "
            f"(Debian: apt-get install postgresql-client) in the same major version "
            f"as the server or newer."
        )
    return found


def libpq_args(db: dict) -> tuple[list[str], dict]:
    """Command-line options and environment for pg_dump/pg_restore from a settings dict.

    The password goes through PGPASSWORD so that it never shows in the process list.
    """
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = {}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def connect_kwargs(db: dict) -> dict:
    """psycopg.connect() keywords from a settings dict."""
    keys = {"HOST": "host", "PORT": "port", "USER": "user", "PASSWORD": "password"}
    kwargs = {"dbname": db["NAME"]}
    for key, name in keys.items():
        if db.get(key):
            kwargs[name] = str(db[key])
    return kwargs


def latest_migrations(cursor) -> dict:
    """{app: {"latest": name, "applied": count}} read from django_migrations."""
    cursor.execute(
        "SELECT app, max(name), count(*) FROM django_migrations GROUP BY app ORDER BY app"
    )
    return {app: {"latest": name, "applied": n} for app, name, n in cursor.fetchall()}


def row_counts(cursor, tables) -> dict:
    """{table: rows}; the table names are ours (key_tables() or a checked manifest)."""
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT count(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
    return counts
