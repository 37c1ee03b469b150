import django.contrib.postgres.search
from django.db import migrations

from archive.core.migration_operations import PostgresOnlySQL


class Migration(migrations.Migration):
    """A weighted tsvector per work for full-text search, kept by archive/discovery/search_index.py.

    On SQLite the column exists but stays empty: the quickstart searches with a plainer match.
    """

    dependencies = [
        ("stories", "0002_filter_ids"),
    ]

    operations = [
        migrations.AddField(
            model_name="story",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        PostgresOnlySQL(
            "CREATE INDEX story_search_vector_gin ON stories_story USING gin (search_vector)",
            reverse_sql="DROP INDEX story_search_vector_gin",
        ),
    ]
