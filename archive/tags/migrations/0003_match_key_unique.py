from django.db import migrations, models

from archive.tags.names import match_key


def fill_match_keys(apps, schema_editor):
    Tag = apps.get_model("tags", "Tag")
    for tag in Tag.objects.all().only("name", "kind"):
        tag.match_key = match_key(tag.name, relationship=tag.kind == "relationship")
        tag.save(update_fields=["match_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("tags", "0002_wrangling_fields"),
    ]

    operations = [
        migrations.RunPython(fill_match_keys, reverse_code=migrations.RunPython.noop),
        migrations.AlterField(
            model_name="tag",
            name="match_key",
            field=models.CharField(editable=False, max_length=255, unique=True),
        ),
    ]
