"""Main characters and relationships: `StoryTag.main`, and `Story.main_ids` to filter by them.

No work has any marked yet, so each work's main ids are all its characters' and relationships'
canonical ids and all its role ids (the rule in archive/tags/filtering.py `index_work`).
"""

import json

import archive.core.fields
from archive.core.migration_operations import PostgresOnlySQL
from django.db import migrations, models

KINDS = ("character", "relationship")


def fill_sqlite(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT id FROM tags_tag WHERE kind IN (%s, %s)", KINDS)
        about = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT id, filter_ids, role_ids FROM stories_story")
        for story_id, filter_ids, role_ids in cursor.fetchall():
            ids = [i for i in json.loads(filter_ids or "[]") if i in about] + json.loads(role_ids or "[]")
            cursor.execute("UPDATE stories_story SET main_ids = %s WHERE id = %s", [json.dumps(sorted(ids)), story_id])


class Migration(migrations.Migration):
    dependencies = [
        ("stories", "0012_story_backdate"),
        ("tags", "0001_tag"),
    ]

    operations = [
        migrations.AddField(
            model_name="story",
            name="main_ids",
            field=archive.core.fields.IdArrayField(blank=True, default=list, editable=False),
        ),
        migrations.AddField(
            model_name="storytag",
            name="main",
            field=models.BooleanField(db_default=False, default=False),
        ),
        PostgresOnlySQL(
            """
            UPDATE stories_story s SET main_ids = ARRAY(
                SELECT i FROM unnest(s.filter_ids) AS i JOIN tags_tag t ON t.id = i
                WHERE t.kind IN ('character', 'relationship')
                UNION SELECT unnest(s.role_ids) ORDER BY 1
            )
            """,
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.RunPython(fill_sqlite, migrations.RunPython.noop),
        # The same GIN index as filter_ids' and role_ids': "main character X" costs what "X" does.
        PostgresOnlySQL(
            "CREATE INDEX story_main_ids_gin ON stories_story USING gin (main_ids)",
            reverse_sql="DROP INDEX story_main_ids_gin",
        ),
    ]
