from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from taggit.managers import TaggableManager
from taggit.models import ItemBase

from archive.core.fields import IdArrayField
from archive.core.reversing import url_with
from archive.stories.choices import (
    LANGUAGES,
    RESTRICTED_FILTER_ID,
    RTL_LANGUAGES,
    Category,
    CommentPermission,
    Rating,
    Warning,
    all_flags,
    from_flags,
)
from archive.stories.querysets import StoryQuerySet
from archive.tags.models import Tag

MAX_TITLE_LENGTH = 255
MAX_SUMMARY_LENGTH = 1250
MAX_NOTES_LENGTH = 5000
# How many of a work's characters and relationships its author may mark as main (the rest are
# background): the work form says so, and refuses more, next to the field.
MAX_MAIN_TAGS = {Tag.Kind.CHARACTER: 4, Tag.Kind.RELATIONSHIP: 2}


def counts_in_tags(*, published_at, filter_ids) -> bool:
    """The rule for `Story.counts_in_tags`, for callers that read the two columns without a model."""
    return published_at is not None and RESTRICTED_FILTER_ID not in (filter_ids or ())


class StoryTag(ItemBase):
    """A story's tag, in the order its author typed it."""

    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="story_links")
    content_object = models.ForeignKey("stories.Story", on_delete=models.CASCADE, related_name="tag_links")
    # A main character or relationship, as its author marked it (characters and relationships only).
    main = models.BooleanField(default=False, db_default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["content_object", "tag"], name="storytag_unique")]

    def __str__(self) -> str:
        return f"{self.content_object_id}: {self.tag_id}"


class Story(models.Model):
    title = models.CharField(max_length=MAX_TITLE_LENGTH)
    summary = models.TextField(blank=True)
    notes = models.TextField("beginning notes", blank=True)
    end_notes = models.TextField("end notes", blank=True)
    rating = models.CharField(max_length=20, choices=Rating.choices, default=Rating.NOT_RATED)
    warnings = models.PositiveSmallIntegerField(help_text="Archive warnings, a bit each.")
    categories = models.PositiveSmallIntegerField(default=0, help_text="Categories, a bit each.")
    language = models.CharField(max_length=10, choices=LANGUAGES, default="en")
    authors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="stories")
    expected_chapters = models.PositiveSmallIntegerField(null=True, blank=True)
    restricted = models.BooleanField(
        "only show to registered users",
        default=False,
        db_default=False,
        help_text="Logged-out readers won't find this work anywhere on the archive.",
    )
    comment_permission = models.CharField(
        "who can comment",
        max_length=20,
        choices=CommentPermission.choices,
        default=CommentPermission.REGISTERED,
        db_default=CommentPermission.REGISTERED,
    )
    moderate_comments = models.BooleanField(
        "moderate comments",
        default=False,
        db_default=False,
        help_text="New comments wait for your approval before others can see them.",
    )
    # Denormalised from posted chapters, comments and kudos, moved in the same transaction.
    word_count = models.PositiveIntegerField(default=0)
    chapter_count = models.PositiveSmallIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)
    kudos_count = models.PositiveIntegerField(default=0)
    bookmark_count = models.PositiveIntegerField(default=0, db_default=0, help_text="Public bookmarks.")
    # Flushed in batches from the cache by `manage.py flush_hits` (archive/hits).
    hit_count = models.PositiveIntegerField(default=0, db_default=0)
    # Denormalised from the tags (see archive/tags/filtering.py), moved with every tag change by
    # archive/stories/services.py `refresh_story_filters`: tags' canonical ids, the rating and
    # "restricted" (a few dozen at most, so B-tree indexes can carry them), and the characters'
    # roles (in a romance, in a friendship: unbounded, so only a GIN index holds them).
    filter_ids = IdArrayField()
    role_ids = IdArrayField()
    # What the work is about: the canonical ids of its main characters and relationships and the
    # role ids of its main relationships; of a kind with nothing marked main, all of them count.
    main_ids = IdArrayField()
    relationship_count = models.PositiveSmallIntegerField(default=0, editable=False)
    fandom_count = models.PositiveSmallIntegerField(default=0, editable=False)
    # Full-text search on PostgreSQL (archive/discovery/search_index.py); empty on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, help_text="Empty while a draft.")
    # An author's own publication date (AO3's "Set a different publication date"): posting and
    # editing date the work to it instead of the day it was posted (archive/publishing/services.py).
    backdate = models.DateField("publication date", null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True, help_text="When readers last got new content.")
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(auto_now=True)

    tags = TaggableManager(through=StoryTag, blank=True)

    objects = StoryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "stories"
        constraints = [
            models.CheckConstraint(condition=models.Q(rating__in=Rating.values), name="story_rating_valid"),
            models.CheckConstraint(
                condition=models.Q(warnings__gte=1, warnings__lte=all_flags(Warning)),
                name="story_has_warnings",
            ),
            models.CheckConstraint(
                condition=models.Q(categories__lte=all_flags(Category)), name="story_categories_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(expected_chapters__isnull=True) | models.Q(expected_chapters__gte=1),
                name="story_expected_chapters_positive",
            ),
            # Posting past the expected count raises it (archive/stories/counts.py): never "4/3".
            models.CheckConstraint(
                condition=models.Q(expected_chapters__isnull=True)
                | models.Q(expected_chapters__gte=models.F("chapter_count")),
                name="story_expected_covers_posted",
            ),
            models.CheckConstraint(
                condition=models.Q(comment_permission__in=CommentPermission.values),
                name="story_comment_permission_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(published_at__isnull=True) | models.Q(updated_at__isnull=False),
                name="story_published_has_updated",
            ),
        ]
        indexes = [
            # Covering filter_ids: a deep page of a big tag (newest first) reads only this index.
            models.Index(
                fields=["-updated_at", "-id"],
                include=["filter_ids"],
                condition=models.Q(published_at__isnull=False),
                name="story_listed_by_update",
            ),
            # Feeds and "sort by date posted".
            models.Index(
                fields=["-published_at", "-id"],
                condition=models.Q(published_at__isnull=False),
                name="story_listed_by_post",
            ),
            # Covering filter_ids too: logged-out lists exclude restricted works by a filter id,
            # and a deep page of one rating still reads only this index.
            models.Index(
                fields=["rating", "-updated_at", "-id"],
                include=["filter_ids"],
                condition=models.Q(published_at__isnull=False),
                name="story_rating_by_update",
            ),
            # "Sort by kudos", the sort readers choose most after date: a big fandom's (or an
            # excluding reader's) top page walks this index, checking filter_ids in it, instead of
            # reading and sorting every one of its works (tens of thousands at a million works).
            # The price: a kudos updates these index entries, so its update is no longer HOT.
            models.Index(
                fields=["-kudos_count", "-id"],
                include=["filter_ids"],
                condition=models.Q(published_at__isnull=False),
                name="story_listed_by_kudos",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return url_with("chapters:work", self.pk)

    def clean(self) -> None:
        # The database refuses it too (story_expected_covers_posted); this says why, next to the field.
        if self.expected_chapters is not None and self.expected_chapters < self.chapter_count:
            raise ValidationError(
                {
                    "expected_chapters": f"This work already has {self.chapter_count} posted chapters, so it can't "
                    "expect fewer. Leave it blank if you don't know how many there will be."
                }
            )

    @property
    def is_draft(self) -> bool:
        return self.published_at is None

    @property
    def counts_in_tags(self) -> bool:
        """Whether this work counts in its tags' use counts: those are what everyone can see, so
        drafts and works restricted to registered users don't."""
        return counts_in_tags(published_at=self.published_at, filter_ids=self.filter_ids)

    @property
    def is_complete(self) -> bool:
        return self.expected_chapters is not None and self.chapter_count >= self.expected_chapters

    @property
    def chapter_status(self) -> str:
        expected = "?" if self.expected_chapters is None else self.expected_chapters
        return f"{self.chapter_count}/{expected}"

    def draft_stats(self) -> dict:
        """What a draft work will count once posted, for its authors: its counts (words, chapters)
        count posted chapters only, so a draft's are 0 until then. One query."""
        totals = self.chapters.aggregate(words=models.Sum("word_count"), chapters=models.Count("pk"))
        return {
            "words": totals["words"] or 0,
            "chapter_status": draft_chapter_status(totals["chapters"], self.expected_chapters),
        }

    @property
    def is_rtl(self) -> bool:
        return self.language in RTL_LANGUAGES

    def warning_list(self) -> list[Warning]:
        return from_flags(Warning, self.warnings)

    def category_list(self) -> list[Category]:
        return from_flags(Category, self.categories)

    def is_written_by(self, user) -> bool:
        return user.is_authenticated and any(author.pk == user.pk for author in self.authors.all())

    # Tags by kind, read from the prefetched links (see StoryQuerySet.for_cards).
    def _tags_of(self, kind: str) -> list[Tag]:
        return [link.tag for link in self.tag_links.all() if link.tag.kind == kind]

    def _mains_first(self, kind: str) -> list[Tag]:
        """Main ones first, each in the order typed; `tag.is_main` says which the author marked."""
        links = [link for link in self.tag_links.all() if link.tag.kind == kind]
        for link in links:
            link.tag.is_main = link.main
        return [link.tag for link in sorted(links, key=lambda link: not link.main)]

    @property
    def fandoms(self) -> list[Tag]:
        return self._tags_of(Tag.Kind.FANDOM)

    @property
    def relationships(self) -> list[Tag]:
        return self._mains_first(Tag.Kind.RELATIONSHIP)

    @property
    def characters(self) -> list[Tag]:
        return self._mains_first(Tag.Kind.CHARACTER)

    @property
    def freeforms(self) -> list[Tag]:
        return self._tags_of(Tag.Kind.FREEFORM)


def draft_chapter_status(chapters: int, expected_chapters: int | None) -> str:
    """A draft's "chapters/expected" as it will be once posted: as posting does, more chapters than
    expected raise the expectation, so never "3/2"."""
    expected = "?" if expected_chapters is None else max(expected_chapters, chapters)
    return f"{chapters}/{expected}"
