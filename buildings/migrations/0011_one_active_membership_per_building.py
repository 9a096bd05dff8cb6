"""One active membership per person and building, held by the database."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("buildings", "0010_resident_building"),
    ]

    operations = [
        migrations.AlterField(
            model_name="resident",
            name="building",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="buildings.building",
                verbose_name="building",
            ),
        ),
        migrations.AddConstraint(
            model_name="resident",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", ["pending", "approved"])),
                fields=("user", "building"),
                name="one_active_membership_per_building",
            ),
        ),
    ]
