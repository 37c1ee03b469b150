from django.conf import settings
from django.db import models
from django.db.models import Prefetch
from django.db.models.functions import Length, Lower
from django.db.models.lookups import GreaterThan, LessThanOrEqual
from django.urls import reverse

MAX_NOTE_LENGTH = 5000
MAX_TAG_LENGTH = 100
MAX_TAGS = 25
MAX_LIST_NAME_LENGTH = 100
MARK_FOR_LATER = "Mark for later"


class BookmarkQuerySet(models.QuerySet):
    def public(self):
        """The bookmarks a work's bookmark count counts."""
        return self.filter(private=False)

    def shown_to(self, viewer):
        """Bookmarks this viewer may see: public ones and their own, of works they may see, and of
        series (whose pages show each reader the works they may see).

        A private bookmark is its owner's alone; a work restricted to registered users (or
        anything else `Story.objects.visible_to` hides) takes its bookmarks out of sight with it.
        """
        from archive.stories.models import Story

        mine_or_public = models.Q(private=False)
        if viewer.is_authenticated:
            mine_or_public |= models.Q(user=viewer)
        of_visible = models.Q(story__in=Story.objects.visible_to(viewer).values("pk")) | models.Q(series__isnull=False)
        return self.filter(mine_or_public, of_visible)

    def for_cards(self):
        """What a list of bookmarks renders: the story card (or the series' blurb), the
        bookmarker and their tags."""
        from archive.series.querysets import for_blurbs
        from archive.stories.models import Story

        return self.select_related("user").prefetch_related(
            Prefetch("story", queryset=Story.objects.for_cards()),
            *for_blurbs("series"),
            Prefetch("tags", queryset=BookmarkTag.objects.order_by("id")),
        )

    def newest_first(self):
        return self.order_by("-created_at", "-id")


class Bookmark(models.Model):
    """A reader's bookmark of a story or of a series: one per reader and story (or series), public
    unless made private.

    `Story.bookmark_count` counts a story's public ones; archive/bookmarks/services.py moves it.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookmarks")
    story = models.ForeignKey(
        "stories.Story", null=True, blank=True, on_delete=models.CASCADE, related_name="bookmarks"
    )
    series = models.ForeignKey(
        "series.Series", null=True, blank=True, on_delete=models.CASCADE, related_name="bookmarks"
    )
    note = models.TextField(blank=True, help_text="Plain text.")
    private = models.BooleanField(default=False, help_text="Only the bookmarker sees a private bookmark.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = BookmarkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "story"], name="bookmark_one_per_user_and_story"),
            models.UniqueConstraint(
                fields=["user", "series"], condition=models.Q(series__isnull=False), name="bookmark_one_per_series"
            ),
            models.CheckConstraint(
                condition=models.Q(story__isnull=False, series__isnull=True)
                | models.Q(story__isnull=True, series__isnull=False),
                name="bookmark_of_a_story_or_a_series",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("note"), MAX_NOTE_LENGTH), name="bookmark_note_length"
            ),
        ]
        indexes = [
            models.Index(fields=["user", "-created_at", "-id"], name="bookmark_by_user"),
            models.Index(fields=["story"], condition=models.Q(private=False), name="bookmark_public_by_story"),
        ]

    def __str__(self) -> str:
        what = f"series {self.series_id}" if self.series_id else self.story_id
        return f"Bookmark of {what} by user {self.user_id}"

    def get_absolute_url(self) -> str:
        return reverse("bookmarks:detail", args=[self.pk])

    @property
    def target(self):
        """What is bookmarked: the story, or the series."""
        return self.series if self.series_id else self.story

    def is_owned_by(self, user) -> bool:
        return user.is_authenticated and user.pk == self.user_id

    def visible_to(self, user) -> bool:
        return not self.private or self.is_owned_by(user)


class BookmarkTag(models.Model):
    """One of the bookmarker's own tags on a bookmark: free text, theirs alone, no wrangling."""

    bookmark = models.ForeignKey(Bookmark, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(max_length=MAX_TAG_LENGTH)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint("bookmark", Lower("name"), name="bookmarktag_unique_ignoring_case"),
        ]
        indexes = [models.Index(Lower("name"), name="bookmarktag_lower_name")]

    def __str__(self) -> str:
        return self.name


class ReadingList(models.Model):
    """A reader's named list of stories; "Mark for later" is built in and made when first needed."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reading_lists")
    name = models.CharField(max_length=MAX_LIST_NAME_LENGTH)
    builtin = models.BooleanField(default=False, help_text="The built-in “Mark for later” list.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-builtin", Lower("name"), "id"]
        constraints = [
            models.UniqueConstraint("user", Lower("name"), name="readinglist_name_unique_per_user"),
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(builtin=True), name="readinglist_one_builtin_per_user"
            ),
            models.CheckConstraint(
                condition=models.Q(builtin=False) | models.Q(name=MARK_FOR_LATER), name="readinglist_builtin_name"
            ),
            models.CheckConstraint(condition=GreaterThan(Length("name"), 0), name="readinglist_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("bookmarks:list_detail", args=[self.user.username, self.pk])


class ReadingListItem(models.Model):
    reading_list = models.ForeignKey(ReadingList, on_delete=models.CASCADE, related_name="items")
    story = models.ForeignKey("stories.Story", on_delete=models.CASCADE, related_name="reading_list_items")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-added_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["reading_list", "story"], name="readinglistitem_unique")]
        indexes = [models.Index(fields=["reading_list", "-added_at", "-id"], name="readinglistitem_by_list")]

    def __str__(self) -> str:
        return f"{self.story_id} in list {self.reading_list_id}"
