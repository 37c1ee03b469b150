from django.conf import settings
from django.db import models

from archive.history.querysets import ReadingQuerySet


class Reading(models.Model):
    """Where a registered reader is in a story: the last chapter they opened, and when."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="readings")
    story = models.ForeignKey("stories.Story", on_delete=models.CASCADE, related_name="readings")
    chapter = models.ForeignKey("chapters.Chapter", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # Kept when the chapter is deleted, so the history can still say how far the reader got.
    chapter_number = models.PositiveIntegerField(help_text="The chapter's number as the reader saw it.")
    last_read_at = models.DateTimeField()

    objects = ReadingQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "story"], name="reading_one_per_story")]
        # The history page and the front page's "Continue reading" box: one reader's, newest first.
        indexes = [models.Index(fields=["user", "-last_read_at", "-id"], name="reading_history")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.story_id} to chapter {self.chapter_number}"
