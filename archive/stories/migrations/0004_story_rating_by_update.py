from django.db import migrations, models


class Migration(migrations.Migration):
    """Listings filtered by rating (the commonest filter) and sorted by date walk one index,
    even hundreds of pages deep."""

    dependencies = [
        ("stories", "0003_search_vector"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="story",
            index=models.Index(
                fields=["rating", "-updated_at", "-id"],
                condition=models.Q(published_at__isnull=False),
                name="story_rating_by_update",
            ),
        ),
    ]
