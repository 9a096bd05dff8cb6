"""Category changes on the issue timeline kept as choices, read in each reader's language."""

from django.db import migrations, models
from django.utils.translation import gettext, override

# The categories' English labels as they were when events stored them as words.
CATEGORIES = {
    "facilities": "Public facilities (e.g. the lobby iron door)",
    "thrown_objects": "Objects thrown from height",
    "sanitation": "Sanitation and cleanliness",
    "corridor_clutter": "Clutter in corridors",
    "bicycles": "Bicycle and e-bike parking",
    "greening": "Greening",
    "safety": "Safety hazard",
    "neighbours": "Neighbour dispute",
    "other": "Other",
}


def categories_from_words(apps, schema_editor):
    """Earlier events kept "before → after · reason" in the leader's language: keep the
    two categories as choices and only the reason as words, where the words are known."""
    IssueEvent = apps.get_model("proposals", "IssueEvent")
    value_of = {}
    for value, label in CATEGORIES.items():
        value_of[label] = value
        with override("zh-hans"):
            value_of[gettext(label)] = value
    for event in IssueEvent.objects.filter(kind="recategorised", to_category=""):
        words, _, reason = event.reason.partition(" · ")
        before, arrow, after = words.partition(" → ")
        if arrow and before in value_of and after in value_of:
            event.from_category = value_of[before]
            event.to_category = value_of[after]
            event.reason = reason
            event.save(update_fields=["from_category", "to_category", "reason"])


class Migration(migrations.Migration):
    dependencies = [
        ("proposals", "0008_merge_20261130_0844"),
    ]

    operations = [
        migrations.AddField(
            model_name="issueevent",
            name="from_category",
            field=models.CharField(
                blank=True,
                choices=[
                    ("facilities", "Public facilities (e.g. the lobby iron door)"),
                    ("thrown_objects", "Objects thrown from height"),
                    ("sanitation", "Sanitation and cleanliness"),
                    ("corridor_clutter", "Clutter in corridors"),
                    ("bicycles", "Bicycle and e-bike parking"),
                    ("greening", "Greening"),
                    ("safety", "Safety hazard"),
                    ("neighbours", "Neighbour dispute"),
                    ("other", "Other"),
                ],
                max_length=20,
                verbose_name="from category",
            ),
        ),
        migrations.AddField(
            model_name="issueevent",
            name="to_category",
            field=models.CharField(
                blank=True,
                choices=[
                    ("facilities", "Public facilities (e.g. the lobby iron door)"),
                    ("thrown_objects", "Objects thrown from height"),
                    ("sanitation", "Sanitation and cleanliness"),
                    ("corridor_clutter", "Clutter in corridors"),
                    ("bicycles", "Bicycle and e-bike parking"),
                    ("greening", "Greening"),
                    ("safety", "Safety hazard"),
                    ("neighbours", "Neighbour dispute"),
                    ("other", "Other"),
                ],
                max_length=20,
                verbose_name="to category",
            ),
        ),
        migrations.RunPython(categories_from_words, migrations.RunPython.noop),
    ]
