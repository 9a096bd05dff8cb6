"""Back-up and restore (issue 8): a PostgreSQL dump plus the uploaded files, put back into
a fresh database that passes check_ledger and recounts every closed poll."""

import io
import json
import os
import shutil
import stat
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.db import connection

from core.management.commands._backup import (
    DUMP,
    MANIFEST,
    MEDIA,
    key_tables,
    sha256,
)
from funds.models import LedgerEntry
from proposals.deliberation.polls import services as poll_services
from tests.factories import AccountResidentFactory, BuildingFactory
from tests.funds.factories import donate, photo_content, ready_fund, spend
from tests.proposals.deliberation.factories import PollFactory, end_voting
from tests.proposals.factories import IssuePhotoFactory

# backup/restore use pg_dump and pg_restore: collected only on PostgreSQL (DATABASE_URL).
needs_postgres = pytest.mark.postgres
needs_pg_tools = pytest.mark.skipif(
    shutil.which("pg_dump") is None or shutil.which("pg_restore") is None,
    reason="pg_dump/pg_restore not installed (apt-get install postgresql-client).",
)


def round_trip(test):
    """PostgreSQL, its pg_dump and pg_restore, and real transactions (restore commits)."""
    marks = [needs_postgres, needs_pg_tools, pytest.mark.django_db(transaction=True)]
    for mark in reversed(marks):
        test = mark(test)
    return test


def server():
    db = connection.settings_dict
    return {
        "host": db["HOST"] or "127.0.0.1",
        "port": str(db["PORT"] or 5432),
        "user": db["USER"] or "postgres",
        "password": db["PASSWORD"] or None,
    }


def url_of(name):
    s = server()
    password = f":{s['password']}" if s["password"] else ""
    return f"postgres://{s['user']}{password}@{s['host']}:{s['port']}/{name}"


@pytest.fixture
def fresh_db():
    """An empty database on the test server, dropped afterwards whatever happens."""
    name = f"louzu_backup_restore_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(dbname="postgres", autocommit=True, **server()) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server()) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def query(name, sql, params=()):
    with psycopg.connect(dbname=name, **server()) as conn:
        return conn.execute(sql, params).fetchall()


def public_tables(name):
    return query(
        name,
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'",
    )[0][0]


def manage(command, name):
    """Run a manage.py command as a separate process against database `name`."""
    return subprocess.run(
        [sys.executable, "manage.py", command],
        cwd=django_settings.BASE_DIR,
        env={**os.environ, "DATABASE_URL": url_of(name)},
        capture_output=True,
        text=True,
        timeout=300,
    )


def realistic_data():
    """A building with residents, a fund with donations and a receipted expense, an issue
    photo, an adopted open poll and a secret poll that missed its quorum."""
    building = BuildingFactory()
    residents = [AccountResidentFactory(household__building=building) for _ in range(5)]
    fund, leader, rule = ready_fund(building)
    donate(fund, leader, "800.00", donor_name="张阿姨", public_name="name")
    donate(fund, leader, "150.50")
    expense = spend(fund, leader, "120.00", rule, receipt_image=photo_content())
    photo = IssuePhotoFactory(issue__building=building)

    poll = PollFactory(proposal__building=building, proposal__author=leader)
    for resident, label in zip(
        residents, ["同意", "同意", "同意", "同意", "反对"], strict=True
    ):
        poll_services.cast_ballot(
            poll=poll, option_id=poll.options.get(label=label).pk, resident=resident
        )
    poll_services.close_poll(poll=end_voting(poll), closed_by=leader)
    secret = PollFactory(
        proposal__building=building, proposal__author=leader, is_secret=True
    )
    poll_services.cast_ballot(
        poll=secret,
        option_id=secret.options.get(label="反对").pk,
        resident=residents[0],
    )
    poll_services.close_poll(poll=end_voting(secret), closed_by=leader)
    poll.refresh_from_db()
    secret.refresh_from_db()
    assert (poll.outcome, secret.outcome) == ("adopted", "no_quorum")
    return {
        "files": [expense.receipt.original.name, photo.image.name],
        "polls": {
            poll.pk: (poll.outcome, poll.winner_id),
            secret.pk: ("no_quorum", None),
        },
    }


def counts_here():
    with connection.cursor() as cursor:
        counts = {}
        for table in key_tables():
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    return counts


def backup_to(folder):
    out = io.StringIO()
    call_command("backup", "--to", str(folder), stdout=out)
    return out.getvalue()


def restore(folder, name, *extra):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "restore",
        "--from",
        str(folder),
        "--database-url",
        url_of(name),
        *extra,
        stdout=out,
        stderr=err,
    )
    return out.getvalue(), err.getvalue()


def rewrite_manifest_hash(folder, name):
    manifest = json.loads((folder / MANIFEST).read_text())
    manifest["files"][name]["sha256"] = sha256(folder / name)
    (folder / MANIFEST).write_text(json.dumps(manifest))


@round_trip
def test_round_trip_restores_everything_and_the_checks_pass(
    tmp_path, settings, fresh_db
):
    data = realistic_data()
    source_media = Path(settings.MEDIA_ROOT)
    counts = counts_here()
    assert counts["funds_ledgerentry"] == 3 and counts["proposals_ballot"] == 6
    digests = list(LedgerEntry.objects.order_by("pk").values_list("digest", flat=True))

    folder = tmp_path / "backup"
    assert "Back-up written" in backup_to(folder)
    manifest = json.loads((folder / MANIFEST).read_text())
    assert manifest["rows"] == counts
    assert manifest["migrations"]["funds"]["latest"].startswith("0")
    assert manifest["files"][DUMP]["sha256"] == sha256(folder / DUMP)
    assert manifest["media_files"] == 2

    settings.MEDIA_ROOT = tmp_path / "restored-media"  # a new machine's empty folder
    out, _err = restore(folder, fresh_db)
    assert "Ledger OK: 1 fund(s), 3 entries checked." in out
    assert "Polls OK: 2 closed poll(s) recounted." in out
    assert "Restore checked: all good." in out

    restored = {
        table: query(fresh_db, f'SELECT count(*) FROM "{table}"')[0][0]
        for table in key_tables()
    }
    assert restored == counts
    assert [
        row[0]
        for row in query(fresh_db, "SELECT digest FROM funds_ledgerentry ORDER BY id")
    ] == digests
    for pk, (outcome, winner) in data["polls"].items():
        assert query(
            fresh_db,
            "SELECT outcome, winner_id FROM proposals_poll WHERE id = %s",
            [pk],
        ) == [(outcome, winner)]
    for name in data["files"]:
        original = (source_media / name).read_bytes()
        assert (Path(settings.MEDIA_ROOT) / name).read_bytes() == original

    # The same checks, run by hand on the restored database, as the README says.
    ledger = manage("check_ledger", fresh_db)
    assert ledger.returncode == 0 and "Ledger OK" in ledger.stdout
    recount = manage("recount_polls", fresh_db)
    assert recount.returncode == 0 and "Polls OK: 2" in recount.stdout


@round_trip
def test_restore_fails_loudly_when_the_restored_data_does_not_check_out(
    tmp_path, settings, fresh_db
):
    data = realistic_data()
    poll_pk = next(iter(data["polls"]))
    entry_pk = LedgerEntry.objects.get(donor_name="张阿姨").pk
    with connection.cursor() as cursor:  # edits made behind the application's back
        cursor.execute(
            "UPDATE funds_ledgerentry SET donor_name = '李四' WHERE donor_name = '张阿姨'"
        )
        cursor.execute(
            "UPDATE proposals_poll SET outcome = 'rejected', winner_id = NULL "
            "WHERE id = %s",
            [poll_pk],
        )
    folder = tmp_path / "backup"
    backup_to(folder)
    settings.MEDIA_ROOT = tmp_path / "restored-media"
    err = io.StringIO()
    with pytest.raises(CommandError, match="2 check\\(s\\) failed") as failure:
        call_command(
            "restore",
            "--from",
            str(folder),
            "--database-url",
            url_of(fresh_db),
            stdout=io.StringIO(),
            stderr=err,
        )
    assert failure.value.returncode == 1
    assert f"#{entry_pk} " in err.getvalue()  # check_ledger names the changed entry
    assert f"Poll {poll_pk}" in err.getvalue()


@round_trip
def test_a_tampered_dump_is_refused_and_nothing_changes(tmp_path, settings, fresh_db):
    BuildingFactory()
    folder = tmp_path / "backup"
    backup_to(folder)
    dump = folder / DUMP
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0x01
    dump.write_bytes(bytes(data))
    settings.MEDIA_ROOT = tmp_path / "restored-media"
    with pytest.raises(CommandError, match="does not match the SHA-256"):
        restore(folder, fresh_db)
    assert public_tables(fresh_db) == 0
    assert not Path(settings.MEDIA_ROOT).exists()


@round_trip
def test_a_media_archive_escaping_media_root_is_refused(tmp_path, settings, fresh_db):
    BuildingFactory()
    folder = tmp_path / "backup"
    backup_to(folder)
    evil = tmp_path / "payload"
    evil.write_bytes(b"owned")
    with tarfile.open(folder / MEDIA, "w:gz") as tar:
        tar.add(evil, arcname="../evil")
    rewrite_manifest_hash(folder, MEDIA)  # as if the manifest had been forged too
    settings.MEDIA_ROOT = tmp_path / "media-root" / "media"
    with pytest.raises(CommandError, match="unsafe entry"):
        restore(folder, fresh_db)
    assert public_tables(fresh_db) == 0
    assert not (tmp_path / "media-root" / "evil").exists()
    assert not Path(settings.MEDIA_ROOT).exists()


@round_trip
def test_a_non_empty_media_root_needs_force(tmp_path, settings, fresh_db):
    data = realistic_data()
    folder = tmp_path / "backup"
    backup_to(folder)
    target = tmp_path / "busy-media"
    target.mkdir()
    (target / "keep.txt").write_text("already here")
    settings.MEDIA_ROOT = target
    with pytest.raises(CommandError, match="is not empty"):
        restore(folder, fresh_db)
    assert public_tables(fresh_db) == 0
    out, _err = restore(folder, fresh_db, "--force")
    assert "Restore checked: all good." in out
    assert (target / "keep.txt").read_text() == "already here"
    assert all((target / name).is_file() for name in data["files"])


@round_trip
def test_missing_or_unfinished_folders_are_refused(tmp_path, fresh_db):
    with pytest.raises(CommandError, match="is not a folder"):
        restore(tmp_path / "nowhere", fresh_db)
    folder = tmp_path / "backup"
    backup_to(folder)
    with pytest.raises(CommandError, match="is not empty"):
        backup_to(folder)  # never overwrite an earlier back-up
    (folder / MANIFEST).unlink()
    with pytest.raises(CommandError, match="not a finished back-up"):
        restore(folder, fresh_db)
    assert public_tables(fresh_db) == 0


@round_trip
def test_a_backup_is_readable_by_the_account_that_made_it_only(tmp_path):
    """The dump keeps who filed each anonymous report (Issue.reporter): a folder left
    readable by every account on the machine would hand it to anyone there."""
    folder = tmp_path / "backup"
    backup_to(folder)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for path in folder.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_missing_postgresql_programs_are_named(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(CommandError, match="pg_dump was not found"):
        backup_to(tmp_path / "backup")
    assert not (tmp_path / "backup").exists()
    with pytest.raises(CommandError, match="pg_restore was not found"):
        restore(tmp_path, "whatever")


@pytest.mark.sqlite  # the SQLite refusal shows only on SQLite
@pytest.mark.django_db
def test_backup_refuses_sqlite(tmp_path):
    with pytest.raises(CommandError, match="PostgreSQL only"):
        backup_to(tmp_path / "backup")
    assert not (tmp_path / "backup").exists()


def test_restore_refuses_a_database_that_is_not_postgresql(tmp_path):
    with pytest.raises(CommandError, match="PostgreSQL only"):
        call_command(
            "restore",
            "--from",
            str(tmp_path),
            "--database-url",
            f"sqlite:///{tmp_path / 'db.sqlite3'}",
        )
