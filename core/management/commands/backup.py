"""Back up the PostgreSQL database and the uploaded files into one folder.

The folder gets database.dump (pg_dump -Fc), media.tar.gz (MEDIA_ROOT) and manifest.json
(time, migration state, row counts of key tables, SHA-256 of both files). The row counts
and the dump come from one snapshot, so they agree even while people keep using the site.
`restore` puts such a folder back and checks it.
"""

import json
import os
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from ._backup import (
    DUMP,
    FORMAT,
    MANIFEST,
    MEDIA,
    key_tables,
    latest_migrations,
    libpq_args,
    row_counts,
    sha256,
    tool,
)


class Command(BaseCommand):
    help = (
        "Back up the PostgreSQL database (pg_dump -Fc) and MEDIA_ROOT into a new "
        "folder, with a manifest of hashes and row counts."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--to",
            required=True,
            help="Folder to write the back-up into; created if missing, must be empty.",
        )

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                f"backup works with PostgreSQL only; this site uses {connection.vendor}. "
                f"With SQLite, stop the site and copy the database file and MEDIA_ROOT."
            )
        pg_dump = tool("pg_dump")
        if connection.in_atomic_block:
            raise CommandError("Run backup on its own, not inside a transaction.")
        folder = Path(options["to"]).expanduser().resolve()
        if folder.exists() and not folder.is_dir():
            raise CommandError(f"{folder} exists and is not a folder.")
        if folder.is_dir() and any(folder.iterdir()):
            raise CommandError(
                f"{folder} is not empty. Give a new folder for each back-up."
            )
        # A back-up holds every secret of the site (who filed each anonymous report,
        # ballot slips, receipts): only the account that runs it may read it.
        folder.mkdir(parents=True, exist_ok=True)
        folder.chmod(0o700)
        written = [folder / DUMP, folder / MEDIA]
        try:
            manifest = self._dump(pg_dump, folder / DUMP)
            media_files = self._pack_media(folder / MEDIA)
        except BaseException:
            for path in written:
                path.unlink(missing_ok=True)
            raise
        manifest["media_files"] = media_files
        manifest["files"] = {
            path.name: {"sha256": sha256(path), "bytes": path.stat().st_size}
            for path in written
        }
        # Written last: a folder without a manifest is an unfinished back-up.
        partial = folder / (MANIFEST + ".part")
        partial.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        partial.rename(folder / MANIFEST)
        for path in [*written, folder / MANIFEST]:
            path.chmod(0o600)
        total = sum(entry["bytes"] for entry in manifest["files"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Back-up written to {folder}: {total} bytes, "
                f"{sum(manifest['rows'].values())} rows in {len(manifest['rows'])} key "
                f"tables, {media_files} media file(s)."
            )
        )

    def _dump(self, pg_dump: str, target: Path) -> dict:
        """pg_dump from a snapshot shared with the row counts and the migration state."""
        db = connection.settings_dict
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                cursor.execute(
                    "SELECT pg_export_snapshot(), current_setting('server_version')"
                )
                snapshot, server_version = cursor.fetchone()
                migrations = latest_migrations(cursor)
                counts = row_counts(cursor, key_tables())
            args, env = libpq_args(db)
            result = subprocess.run(
                [
                    pg_dump,
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    f"--file={target}",
                    *args,
                    "--dbname",
                    db["NAME"],
                ],
                env={**os.environ, **env},
                capture_output=True,
                text=True,
            )
        if result.returncode != 0:
            raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
        return {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "database": db["NAME"],
            "server_version": server_version,
            "migrations": migrations,
            "rows": counts,
        }

    def _pack_media(self, target: Path) -> int:
        """MEDIA_ROOT's contents as a gzipped tar, paths relative to MEDIA_ROOT."""
        media_root = Path(settings.MEDIA_ROOT)
        files = 0
        with tarfile.open(target, "w:gz") as tar:
            if media_root.is_dir():
                for child in sorted(media_root.iterdir()):
                    tar.add(child, arcname=child.name)
                files = sum(1 for member in tar.getmembers() if member.isfile())
        return files
