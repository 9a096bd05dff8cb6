"""Each membership carries its household's building (filled here; made required and
unique per person in 0011, a separate transaction: PostgreSQL refuses to alter a table
with pending updates)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_building(apps, schema_editor):
    Resident = apps.get_model("buildings", "Resident")
    Household = apps.get_model("buildings", "Household")
    Resident.objects.update(
        building_id=Subquery(
            Household.objects.filter(pk=OuterRef("household_id")).values(
                "building_id"
            )[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("buildings", "0009_merge_20261130_0931"),
    ]

    operations = [
        migrations.AddField(
            model_name="resident",
            name="building",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="buildings.building",
                verbose_name="building",
            ),
        ),
        migrations.RunPython(fill_building, migrations.RunPython.noop),
    ]
