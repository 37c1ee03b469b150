from django.db import migrations, models
from django.db.models import F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


def repair_counts(apps, schema_editor):
    """Works that read "4/3" expect as many chapters as they have; comment counts count only the
    comments every reader sees (they used to count held and deleted ones after a chapter change)."""
    Story = apps.get_model("stories", "Story")
    Comment = apps.get_model("comments", "Comment")
    Story.objects.filter(expected_chapters__lt=F("chapter_count")).update(expected_chapters=F("chapter_count"))
    counted = (
        Comment.objects.filter(story=OuterRef("pk"), approved=True, deleted_at__isnull=True)
        .order_by()
        .values("story")
        .annotate(n=models.Count("pk"))
        .values("n")
    )
    Story.objects.update(comment_count=Coalesce(Subquery(counted, output_field=IntegerField()), Value(0)))


class Migration(migrations.Migration):
    dependencies = [
        ("stories", "0009_story_rating_index_covers_filter_ids"),
        ("comments", "0002_threads_guests_moderation_blocks"),
    ]

    operations = [
        migrations.RunPython(repair_counts, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="story",
            constraint=models.CheckConstraint(
                condition=models.Q(("expected_chapters__isnull", True), ("expected_chapters__gte", models.F("chapter_count")), _connector="OR"),
                name="story_expected_covers_posted",
            ),
        ),
    ]
