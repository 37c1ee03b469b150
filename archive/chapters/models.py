from django.db import models
from django.urls import reverse

from archive.chapters.querysets import ChapterQuerySet

MAX_BODY_LENGTH = 510_000


class Chapter(models.Model):
    story = models.ForeignKey("stories.Story", on_delete=models.CASCADE, related_name="chapters")
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=255, blank=True)
    notes = models.TextField("beginning notes", blank=True)
    end_notes = models.TextField("end notes", blank=True)
    body = models.TextField()
    word_count = models.PositiveIntegerField(default=0)
    published_at = models.DateTimeField(null=True, blank=True, help_text="Empty while a draft.")
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(auto_now=True)

    objects = ChapterQuerySet.as_manager()

    class Meta:
        ordering = ["story", "position"]
        constraints = [
            models.UniqueConstraint(fields=["story", "position"], name="chapter_position_unique"),
            models.CheckConstraint(condition=models.Q(position__gte=1), name="chapter_position_positive"),
        ]

    def __str__(self) -> str:
        return self.heading

    def get_absolute_url(self) -> str:
        return reverse("chapters:detail", args=[self.story_id, self.pk])

    @property
    def is_draft(self) -> bool:
        return self.published_at is None

    @property
    def number(self) -> int:
        """The chapter's number as this reader counts it; views set it when drafts are hidden."""
        return getattr(self, "_number", self.position)

    @number.setter
    def number(self, value: int) -> None:
        self._number = value

    @property
    def heading(self) -> str:
        return f"Chapter {self.number}: {self.title}" if self.title else f"Chapter {self.number}"
