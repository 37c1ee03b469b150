from django.conf import settings
from django.db import models
from django.urls import reverse

from archive.chapters.querysets import ChapterQuerySet
from archive.core.reversing import reverse_ids

MAX_BODY_LENGTH = 510_000
# Older revisions are pruned past this many per chapter (the newest are kept).
MAX_REVISIONS_PER_CHAPTER = 50
TEXT_FIELDS = ["title", "summary", "notes", "end_notes", "body"]
# What a chapter index (and the chapter select, and the manage page) reads of each chapter.
INDEX_FIELDS = ["id", "story_id", "position", "title", "published_at"]


class Chapter(models.Model):
    story = models.ForeignKey("stories.Story", on_delete=models.CASCADE, related_name="chapters")
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=255, blank=True)
    summary = models.TextField(blank=True, default="", db_default="")
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
        return reverse_ids("chapters:detail", args=[self.story_id, self.pk])

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
    def shown_published_at(self):
        """The date readers see for it: `numbered_for` sets it for a backdated work's first chapter."""
        return getattr(self, "_shown_published_at", self.published_at)

    @shown_published_at.setter
    def shown_published_at(self, value) -> None:
        self._shown_published_at = value

    @property
    def heading(self) -> str:
        return f"Chapter {self.number}: {self.title}" if self.title else f"Chapter {self.number}"


class ChapterRevision(models.Model):
    """A chapter's text as it was before an edit replaced it; restoring one is itself an edit."""

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="revisions")
    title = models.CharField(max_length=255, blank=True)
    summary = models.TextField(blank=True, default="", db_default="")
    notes = models.TextField("beginning notes", blank=True)
    end_notes = models.TextField("end notes", blank=True)
    body = models.TextField()
    word_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, help_text="When an edit replaced this text.")
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who made the edit that replaced this text.",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["chapter", "-created_at", "-id"], name="chapterrevision_newest")]

    def __str__(self) -> str:
        return f"{self.chapter_id} before {self.created_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("chapters:revision", args=[self.chapter.story_id, self.chapter_id, self.pk])

    def text_fields(self) -> dict[str, str]:
        return {field: getattr(self, field) for field in TEXT_FIELDS}
