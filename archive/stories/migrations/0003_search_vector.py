from django.db import migrations

from archive.core.migration_operations import PostgresOnlySQL


class Migration(migrations.Migration):
    """A weighted tsvector per work for full-text search, kept by archive/stories/search_index.py.

    PostgreSQL only, and unknown to the model on purpose: SQLite has no tsvector.
    """

    dependencies = [
        ("stories", "0002_filter_ids"),
    ]

    operations = [
        PostgresOnlySQL(
            "ALTER TABLE stories_story ADD COLUMN search_vector tsvector",
            reverse_sql="ALTER TABLE stories_story DROP COLUMN search_vector",
        ),
        PostgresOnlySQL(
            "CREATE INDEX story_search_vector_gin ON stories_story USING gin (search_vector)",
            reverse_sql="DROP INDEX story_search_vector_gin",
        ),
    ]
