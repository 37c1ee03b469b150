from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Prefetch


def tags_and_authors() -> list[Prefetch]:
    """The prefetches that give works their authors and tags, in typed order: for querysets
    (`with_tags_and_authors`) and for works already fetched (`prefetch_related_objects`)."""
    from archive.stories.models import StoryTag
    from archive.tags.models import Tag

    # Links and their tags in two index lookups: a join here makes PostgreSQL hash the whole
    # tag table for twenty cards.
    return [
        Prefetch("authors", queryset=get_user_model().objects.order_by("username")),
        Prefetch("tag_links", queryset=StoryTag.objects.order_by("id")),
        Prefetch("tag_links__tag", queryset=Tag.objects.only(*(field.removeprefix("tag__") for field in TAG_FIELDS))),
    ]


# What a work's pages and cards show of each of its tags.
TAG_FIELDS = ("tag__name", "tag__kind", "tag__merger_id")


def reading_authors() -> Prefetch:
    """A work's authors as its reading pages show them (name and link), in the byline's order: no
    more of their accounts, since the pages keep the work in the cache (archive/chapters/reading.py)."""
    return Prefetch("authors", queryset=get_user_model().objects.only("id", "username").order_by("username"))


# What lists and searches read of a work and its reading pages never show.
LISTING_COLUMNS = ("search_vector", "filter_ids", "role_ids", "main_ids")


def reading_fields() -> list[str]:
    """The story's fields as `for_reading` loads them (by attname): all but `LISTING_COLUMNS`."""
    from archive.stories.models import Story

    return [field.attname for field in Story._meta.concrete_fields if field.name not in LISTING_COLUMNS]


def reading_tags() -> Prefetch:
    """A work's tag links with their tags, in typed order, in one query (`for_reading`)."""
    from archive.stories.models import StoryTag

    links = StoryTag.objects.select_related("tag").only("tag_id", "content_object_id", "main", *TAG_FIELDS)
    return Prefetch("tag_links", queryset=links.order_by("id"))


class StoryQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)

    def drafts(self):
        return self.filter(published_at__isnull=True)

    def visible_to(self, user):
        """What this reader may find in any list, tag page, search or feed. Drafts never list,
        not even for their authors, who have their dashboard; works restricted to registered
        users don't exist for logged-out readers."""
        from archive.stories.choices import RESTRICTED_FILTER_ID

        published = self.published()
        if user.is_authenticated:
            return published
        return published.exclude(filter_ids__has_any=[RESTRICTED_FILTER_ID])

    def written_by(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(authors=user)

    def readable_by(self, user):
        """Stories whose pages this reader may open: visible ones, and their own drafts."""
        visible = self.visible_to(user)
        if not user.is_authenticated:
            return visible
        # The visible rule on the row itself, OR'd with the reader's own few works: as `pk IN
        # (visible)` PostgreSQL hashed every published id (34 ms at 100,000 works) for each page.
        return visible | self.filter(pk__in=self.written_by(user).values("pk"))

    def with_tag_ids(self, tag_ids):
        """Stories carrying every one of these tags."""
        queryset = self
        for tag_id in tag_ids:
            queryset = queryset.filter(tag_links__tag_id=tag_id)
        return queryset

    def with_authors(self):
        """Authors, in the byline's order (by name), in one query."""
        return self.prefetch_related(tags_and_authors()[0])

    def with_tags_and_authors(self):
        """Authors, and tags in typed order, each in a fixed number of queries."""
        return self.prefetch_related(*tags_and_authors())

    def with_draft_counts(self):
        """Drafts' cards show what they will count once posted (`Story.draft_stats`, for lists):
        their chapters' words and number, which their own counts leave at 0 until then."""
        return self.annotate(
            draft_words=models.Sum("chapters__word_count", default=0), draft_chapters=models.Count("chapters")
        )

    def card_rows(self):
        """The columns a story card shows, without its authors and tags: for lists, whose cards
        are mostly kept and fetch those only when rendered (archive/stories/cards.py)."""
        return self.defer("search_vector", "filter_ids", "role_ids", "main_ids", "notes", "end_notes")

    def for_cards(self):
        """What a story card renders, in a fixed number of queries."""
        return self.card_rows().with_tags_and_authors()

    def with_held_comments(self):
        """Works with comments waiting for approval, each with how many (the comments app's
        reverse relation)."""
        return self.filter(comments__approved=False, comments__deleted_at__isnull=True).annotate(
            held=models.Count("comments")
        )

    def recently_updated(self):
        return self.order_by("-updated_at", "-id")

    def for_reading(self, *, tags: bool = True):
        """What the work and chapter pages render about the story itself: one work, whose tag
        links and their tags come in one query (an index lookup each; the join the card lists
        avoid, `tags_and_authors`, costs nothing for one work's few dozen links). With
        `tags=False` the tags are left for `reading_tags()`, asked for only if they are shown."""
        prefetches = [reading_authors(), *([reading_tags()] if tags else [])]
        return self.defer(*LISTING_COLUMNS).prefetch_related(*prefetches)
