"""pg_trgm for search (core/search.py): its trigram similarity finds Chinese text that full
text search, which splits on spaces, cannot. Django's CreateExtension does nothing on
SQLite, so the migration runs everywhere and adds the extension on PostgreSQL only."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("buildings", "0004_phone_codes")]

    operations = [TrigramExtension()]
