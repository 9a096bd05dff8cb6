"""One answer per household on a door-to-door visit, held by PostgreSQL itself.

A household's answers to one consultation are either online (one per resident) or one
taken at the door, never both. No unique constraint can say that (several online
answers of one household are fine), so on PostgreSQL an exclusion constraint does: no
two answers to the same consultation from the same household with different origins.
SQLite has no such constraint; there the household row lock in submit_response and
SQLite's one-writer-at-a-time transactions keep the rule.
"""

from django.db import migrations

NAME = "consultation_visit_or_online"


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = apps.get_model("proposals", "ConsultationResponse")._meta.db_table
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"ALTER TABLE {schema_editor.quote_name(table)} ADD CONSTRAINT {NAME} "
        "EXCLUDE USING gist (consultation_id WITH =, household_id WITH =, "
        "origin WITH <>)"
    )


def remove_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = apps.get_model("proposals", "ConsultationResponse")._meta.db_table
    schema_editor.execute(
        f"ALTER TABLE {schema_editor.quote_name(table)} DROP CONSTRAINT {NAME}"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("proposals", "0004_poll_closing_reminder"),
    ]

    operations = [
        migrations.RunPython(add_constraint, remove_constraint),
    ]
