"""Put a `backup` folder back into a PostgreSQL database and MEDIA_ROOT, then check it.

Everything is checked before anything is changed: the manifest's hashes, every entry of
the media archive (no absolute paths, no '..', no links out), an empty MEDIA_ROOT unless
--force. pg_restore runs in one transaction, so a failing restore leaves the database as
it was. Afterwards the restored database must show the manifest's migration state and
row counts and pass every check the apps register (core.registry.RESTORE_CHECKS: the
ledger's check, the recount of every closed poll).
"""

import json
import os
import re
import subprocess
import sys
import tarfile
from pathlib import Path

import dj_database_url
import psycopg
from django.conf import settings
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from core.registry import RESTORE_CHECKS

from ._backup import (
    DUMP,
    FORMAT,
    MANIFEST,
    MEDIA,
    connect_kwargs,
    latest_migrations,
    libpq_args,
    row_counts,
    sha256,
    tool,
)

TABLE_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


class Command(BaseCommand):
    help = (
        "Restore a back-up folder made by `backup` into a PostgreSQL database and "
        "MEDIA_ROOT, then run the checks the apps register (ledger, poll recounts)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--from", dest="source", required=True, help="The back-up folder."
        )
        parser.add_argument(
            "--database-url",
            required=True,
            help="postgres://user:password@host:port/name of the database to restore "
            "into (existing objects are dropped and replaced).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Unpack the uploaded files even if MEDIA_ROOT is not empty "
            "(files with the same name are replaced).",
        )

    def handle(self, *args, **options):
        db = self._target(options["database_url"])
        pg_restore = tool("pg_restore")
        folder = Path(options["source"]).expanduser().resolve()
        manifest = self._checked_manifest(folder)
        media_root = Path(settings.MEDIA_ROOT).resolve()
        self._check_media_archive(folder / MEDIA, media_root)
        if media_root.is_dir() and any(media_root.iterdir()) and not options["force"]:
            raise CommandError(
                f"MEDIA_ROOT ({media_root}) is not empty. Move its files away, or give "
                f"--force to unpack the back-up over them. Nothing was restored."
            )

        args, env = libpq_args(db)
        result = subprocess.run(
            [
                pg_restore,
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                *args,
                "--dbname",
                db["NAME"],
                str(folder / DUMP),
            ],
            env={**os.environ, **env},
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise CommandError(
                f"pg_restore failed; the database was left as it was: "
                f"{result.stderr.strip()}"
            )
        media_root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(folder / MEDIA, "r:gz") as tar:
            tar.extractall(media_root, filter="data")
        self.stdout.write(
            f"Restored {folder} into database {db['NAME']} and {media_root}."
        )
        if self._is_the_sites_database(db):
            # Cached pages, sessions and page generations describe the data replaced.
            cache.clear()
            self.stdout.write("This site's cache was cleared.")
        self._verify(db, manifest, options["database_url"])

    def _is_the_sites_database(self, db: dict) -> bool:
        here = connection.settings_dict
        if connection.vendor != "postgresql":
            return False
        return (db["NAME"], db.get("HOST") or "", str(db.get("PORT") or "")) == (
            here["NAME"],
            here.get("HOST") or "",
            str(here.get("PORT") or ""),
        )

    def _target(self, url: str) -> dict:
        try:
            db = dj_database_url.parse(url)
        except Exception as error:  # dj_database_url raises several kinds
            raise CommandError(f"The database URL is not valid: {error}") from error
        if db.get("ENGINE") != "django.db.backends.postgresql":
            raise CommandError(
                "restore works with PostgreSQL only: give --database-url "
                "postgres://user@host:port/name."
            )
        if not db.get("NAME"):
            raise CommandError("The database URL names no database.")
        return db

    def _checked_manifest(self, folder: Path) -> dict:
        if not folder.is_dir():
            raise CommandError(f"{folder} is not a folder. Nothing was restored.")
        try:
            manifest = json.loads((folder / MANIFEST).read_text())
            files = manifest["files"]
            rows = manifest["rows"]
            manifest["migrations"]
        except FileNotFoundError as error:
            raise CommandError(
                f"{folder} holds no {MANIFEST}: it is not a finished back-up. "
                f"Nothing was restored."
            ) from error
        except (ValueError, KeyError, TypeError) as error:
            raise CommandError(
                f"{folder / MANIFEST} is damaged ({error}). Nothing was restored."
            ) from error
        if manifest.get("format") != FORMAT:
            raise CommandError(
                f"{folder / MANIFEST} has format {manifest.get('format')!r}; this "
                f"version reads format {FORMAT}. Nothing was restored."
            )
        if not all(isinstance(t, str) and TABLE_NAME.match(t) for t in rows):
            raise CommandError(
                f"{folder / MANIFEST} names an odd table. Nothing was restored."
            )
        for name in (DUMP, MEDIA):
            path = folder / name
            expected = files.get(name, {}).get("sha256")
            if not path.is_file():
                raise CommandError(f"{path} is missing. Nothing was restored.")
            if expected is None or sha256(path) != expected:
                raise CommandError(
                    f"{path} does not match the SHA-256 in {MANIFEST}: the back-up is "
                    f"damaged or was changed. Nothing was restored."
                )
        return manifest

    def _check_media_archive(self, archive: Path, media_root: Path) -> None:
        """Every entry must land inside MEDIA_ROOT as a plain file or folder."""
        try:
            with tarfile.open(archive, "r:gz") as tar:
                for member in tar.getmembers():
                    try:
                        tarfile.data_filter(member, str(media_root))
                    except tarfile.FilterError as error:
                        raise CommandError(
                            f"{archive} holds an unsafe entry ({error}). "
                            f"Nothing was restored."
                        ) from error
        except (tarfile.TarError, OSError, EOFError) as error:
            raise CommandError(
                f"{archive} cannot be read ({error}). Nothing was restored."
            ) from error

    def _verify(self, db: dict, manifest: dict, url: str) -> None:
        """Compare with the manifest, then run the app's own checks on the restored data."""
        problems = []
        try:
            with psycopg.connect(**connect_kwargs(db)) as conn, conn.cursor() as cursor:
                migrations = latest_migrations(cursor)
                counts = row_counts(cursor, manifest["rows"])
        except psycopg.Error as error:
            raise CommandError(
                f"Restored, but the restored database cannot be read back: {error}",
                returncode=1,
            ) from error
        if migrations != manifest["migrations"]:
            problems.append("The restored migration state differs from the manifest's.")
        for table, expected in manifest["rows"].items():
            if counts[table] != expected:
                problems.append(
                    f"{table}: {counts[table]} rows restored, {expected} backed up."
                )
        if not problems:
            self.stdout.write(
                f"Row counts of {len(counts)} key tables and the migration state "
                f"match the manifest."
            )
        env = {**os.environ, "DATABASE_URL": url}
        for check in RESTORE_CHECKS:
            result = subprocess.run(
                [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), check],
                cwd=settings.BASE_DIR,
                env=env,
                capture_output=True,
                text=True,
            )
            if result.stdout.strip():
                self.stdout.write(result.stdout.strip())
            if result.stderr.strip():
                self.stderr.write(result.stderr.strip())
            if result.returncode != 0:
                problems.append(f"{check} failed on the restored database.")
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(
                f"Restored, but {len(problems)} check(s) failed: see above.",
                returncode=1,
            )
        self.stdout.write(self.style.SUCCESS("Restore checked: all good."))
