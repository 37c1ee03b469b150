from django.conf import settings
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThan

from archive.core.reversing import url_with
from archive.series.querysets import SeriesQuerySet
from archive.stories.models import MAX_TITLE_LENGTH


class Series(models.Model):
    """Works read in order: Part 1, Part 2... of a title (the Archive of Our Own's series).

    Its creators are its works' authors (each work added brings its authors in); only they may
    change it. archive/series/services.py keeps its works' positions 1..n.
    """

    title = models.CharField(max_length=MAX_TITLE_LENGTH)
    summary = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    complete = models.BooleanField(default=False, db_default=False, help_text="No more works will be added.")
    creators = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="series")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SeriesQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "series"
        constraints = [
            models.CheckConstraint(condition=GreaterThan(Length("title"), 0), name="series_title_not_empty"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return url_with("series:detail", self.pk)

    def is_created_by(self, user) -> bool:
        return user.is_authenticated and any(creator.pk == user.pk for creator in self.creators.all())


class SeriesWork(models.Model):
    """A work's place in a series: Part `position`. A work may be in several series."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="series_works")
    story = models.ForeignKey("stories.Story", on_delete=models.CASCADE, related_name="series_links")
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["series", "position"]
        constraints = [
            models.UniqueConstraint(fields=["series", "story"], name="serieswork_once_per_series"),
            models.UniqueConstraint(fields=["series", "position"], name="serieswork_position_unique"),
            models.CheckConstraint(condition=models.Q(position__gte=1), name="serieswork_position_positive"),
        ]

    def __str__(self) -> str:
        return f"Part {self.position} of series {self.series_id}: work {self.story_id}"
