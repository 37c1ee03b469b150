from django.db import migrations

from archive.core.migration_operations import PostgresOnlySQL


class Migration(migrations.Migration):
    """Autocomplete matches the start of a tag name or of any word in it (`UPPER(name) LIKE`);
    a trigram index answers both on PostgreSQL. pg_trgm is a trusted extension (PostgreSQL 13+)."""

    dependencies = [
        ("tags", "0003_match_key_unique"),
    ]

    operations = [
        PostgresOnlySQL("CREATE EXTENSION IF NOT EXISTS pg_trgm", reverse_sql=migrations.RunSQL.noop),
        PostgresOnlySQL(
            "CREATE INDEX tag_name_upper_trgm ON tags_tag USING gin (upper(name::text) gin_trgm_ops)",
            reverse_sql="DROP INDEX tag_name_upper_trgm",
        ),
    ]
