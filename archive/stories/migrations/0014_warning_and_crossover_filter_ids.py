"""Archive warnings and "crossover" become filter ids (archive/stories/choices.py `work_filter_ids`):
each work gains `IN_WARNING + bit` for every warning bit it has, and `CROSSOVER_FILTER_ID` if its
tags name two fandoms or more. The constants are written out: a migration keeps today's rule.
"""

import json

from archive.core.migration_operations import PostgresOnlySQL
from django.db import migrations

IN_WARNING = 5 << 40
CROSSOVER_FILTER_ID = 6 << 40
BITS = (1, 2, 4, 8, 16, 32)


def _added(warnings: int, fandom_count: int) -> list[int]:
    return [IN_WARNING + bit for bit in BITS if warnings & bit] + ([CROSSOVER_FILTER_ID] if fandom_count >= 2 else [])


def _kept(filter_ids) -> list[int]:
    return [i for i in filter_ids if not (IN_WARNING <= i < IN_WARNING + 64 or i == CROSSOVER_FILTER_ID)]


def fill_sqlite(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT id, filter_ids, warnings, fandom_count FROM stories_story")
        for story_id, filter_ids, warnings, fandom_count in cursor.fetchall():
            ids = sorted({*_kept(json.loads(filter_ids or "[]")), *_added(warnings, fandom_count)})
            cursor.execute("UPDATE stories_story SET filter_ids = %s WHERE id = %s", [json.dumps(ids), story_id])


class Migration(migrations.Migration):
    dependencies = [
        ("stories", "0013_story_main_tags"),
    ]

    operations = [
        PostgresOnlySQL(
            f"""
            UPDATE stories_story s SET filter_ids = ARRAY(
                SELECT i FROM unnest(s.filter_ids) AS i
                WHERE NOT (i >= {IN_WARNING} AND i < {IN_WARNING + 64} OR i = {CROSSOVER_FILTER_ID})
                UNION SELECT {IN_WARNING}::bigint + bit FROM unnest(ARRAY{list(BITS)}::bigint[]) AS bit
                WHERE s.warnings & bit::int <> 0
                UNION SELECT {CROSSOVER_FILTER_ID}::bigint WHERE s.fandom_count >= 2
                ORDER BY 1
            )
            """,
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.RunPython(fill_sqlite, migrations.RunPython.noop),
    ]
