"""Characters' roles (in a romance, in a friendship) move out of `filter_ids` into `role_ids`.

A work with many long relationship tags had hundreds of them, and the B-tree indexes that carry
`filter_ids` (INCLUDE) refused the row ("index row requires 9224 bytes"): such a work could not
be saved. `filter_ids` keeps tags, rating and restricted, a few dozen ids at most.
"""

import json

import archive.core.fields
from archive.core.migration_operations import PostgresOnlySQL
from django.db import migrations

ROLES_FROM, ROLES_TO = 1 << 40, 3 << 40


def split_sqlite(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT id, filter_ids FROM stories_story")
        for story_id, raw in cursor.fetchall():
            ids = json.loads(raw or "[]")
            roles = [i for i in ids if ROLES_FROM <= i < ROLES_TO]
            if roles:
                rest = [i for i in ids if not ROLES_FROM <= i < ROLES_TO]
                cursor.execute(
                    "UPDATE stories_story SET filter_ids = %s, role_ids = %s WHERE id = %s",
                    [json.dumps(rest), json.dumps(roles), story_id],
                )


def join_sqlite(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT id, filter_ids, role_ids FROM stories_story")
        for story_id, raw, roles in cursor.fetchall():
            ids = sorted(json.loads(raw or "[]") + json.loads(roles or "[]"))
            cursor.execute("UPDATE stories_story SET filter_ids = %s WHERE id = %s", [json.dumps(ids), story_id])


class Migration(migrations.Migration):
    dependencies = [
        ("stories", "0010_story_expected_covers_posted"),
    ]

    operations = [
        migrations.AddField(
            model_name="story",
            name="role_ids",
            field=archive.core.fields.IdArrayField(blank=True, default=list, editable=False),
        ),
        PostgresOnlySQL(
            f"""
            UPDATE stories_story SET
                role_ids = ARRAY(SELECT i FROM unnest(filter_ids) AS i WHERE i >= {ROLES_FROM} AND i < {ROLES_TO} ORDER BY i),
                filter_ids = ARRAY(SELECT i FROM unnest(filter_ids) AS i WHERE i < {ROLES_FROM} OR i >= {ROLES_TO} ORDER BY i)
            WHERE EXISTS (SELECT 1 FROM unnest(filter_ids) AS i WHERE i >= {ROLES_FROM} AND i < {ROLES_TO});
            """,
            reverse_sql="UPDATE stories_story SET filter_ids = ARRAY(SELECT unnest(filter_ids || role_ids) ORDER BY 1)",
        ),
        migrations.RunPython(split_sqlite, join_sqlite),
        # GIN answers "has all of" (@>) and "has any of" (&&) on PostgreSQL; SQLite scans.
        PostgresOnlySQL(
            "CREATE INDEX story_role_ids_gin ON stories_story USING gin (role_ids)",
            reverse_sql="DROP INDEX story_role_ids_gin",
        ),
    ]
