"""A work's tags and the values derived from them: filter ids, role ids, tag counts and tags'
use counts, each with the one function that computes it. The writers of a work's life cycle
(creating, posting, editing, deleting: archive/publishing/services.py) and wrangling call these."""

from collections import Counter

from django.db import transaction
from django.db.models import F

from archive.caching import versions
from archive.discovery.search_index import refresh_search_index
from archive.stories.choices import work_filter_ids
from archive.stories.counts import refresh_story_counts
from archive.stories.models import Story, StoryTag, counts_in_tags
from archive.tags.filtering import WorkIndex, index_works, is_plain
from archive.tags.models import Tag
from archive.tags.services import is_marked_main, main_keys, resolve_tags

BATCH = 1000


@transaction.atomic
def set_story_tags(
    *, story: Story, tags_by_kind: dict[str, list[str]], mains_by_kind: dict[str, list[str]] | None = None
) -> None:
    """Replace the story's tags with these, keeping the order the author typed them; those named in
    `mains_by_kind` (characters and relationships among them, see StoryForm) are its main ones."""
    tags = resolve_tags(tags_by_kind)
    mains = main_keys(mains_by_kind)
    story.tag_links.all().delete()
    StoryTag.objects.bulk_create(
        [StoryTag(content_object=story, tag=tag, main=is_marked_main(tag, mains)) for tag in tags]
    )
    refresh_story_filters([story.pk])
    refresh_search_index([story.pk])


def count_tag_uses(*, added=(), removed=()) -> None:
    """Move tags' use counts as a work starts or stops being listed (or its tags change)."""
    delta = Counter(tag_id for tag_id in added if is_plain(tag_id))
    delta.subtract(tag_id for tag_id in removed if is_plain(tag_id))
    by_change: dict[int, list[int]] = {}
    for tag_id, change in delta.items():
        if change:
            by_change.setdefault(change, []).append(tag_id)
    for change, tag_ids in by_change.items():
        Tag.objects.filter(pk__in=tag_ids).update(use_count=F("use_count") + change)


def refresh_tag_use_counts() -> None:
    """Recount every tag's use count from the works' filter ids: for `check_counters --fix` and the
    archive generator. The services move use counts by the change instead (`count_tag_uses`), by
    the same rule (`counts_in_tags`), so a popular tag isn't recounted whenever a work changes."""
    by_count: dict[int, list[int]] = {}
    for tag_id, _, expected in stale_tag_use_counts():
        by_count.setdefault(expected, []).append(tag_id)
    for count, tag_ids in by_count.items():
        for start in range(0, len(tag_ids), BATCH):
            Tag.objects.filter(pk__in=tag_ids[start : start + BATCH]).update(use_count=count)


def stale_tag_use_counts() -> list[tuple[int, int, int]]:
    """(tag id, stored, expected) for every tag whose use count disagrees with the works."""
    expected = expected_tag_use_counts()
    stored = Tag.objects.values_list("pk", "use_count").order_by("pk").iterator(chunk_size=5000)
    return [(pk, count, expected.get(pk, 0)) for pk, count in stored if count != expected.get(pk, 0)]


def expected_tag_use_counts() -> Counter:
    """Each tag's use count as the works' filter ids say it should be (tags used by none are absent)."""
    counts: Counter = Counter()
    listed = Story.objects.published().values_list("published_at", "filter_ids").order_by()
    for published_at, filter_ids in listed.iterator(chunk_size=5000):
        if counts_in_tags(published_at=published_at, filter_ids=filter_ids):
            counts.update(tag_id for tag_id in filter_ids if is_plain(tag_id))
    return counts


def story_filter_ids(index: WorkIndex, *, rating: str, warnings: int, restricted: bool) -> list[int]:
    """A work's filter ids: its tags' (`index_work`), its rating's and warnings', "restricted" if it
    is and "crossover" if its tags name two fandoms or more."""
    facts = work_filter_ids(rating=rating, warnings=warnings, restricted=restricted, fandom_count=index.fandom_count)
    return sorted([*index.filter_ids, *facts])


@transaction.atomic
def refresh_story_filters(story_ids) -> None:
    """Recompute these stories' filter ids, role ids, main ids and tag counts from their tags, rating and
    privacy, and move the tags' use counts with them.

    Called after a story's tags, rating or privacy change and after wrangling changes what a tag
    means; the only writer of those columns (the archive generator applies the same rules).
    """
    story_ids = list(story_ids)
    versions.changed(story_ids=story_ids, listings=True)  # the lists of the tags they had
    for start in range(0, len(story_ids), BATCH):
        stories = list(
            Story.objects.filter(pk__in=story_ids[start : start + BATCH])
            .select_for_update()
            .only(  # one call: a second only() would replace this list, and each story load the rest
                *("filter_ids", "role_ids", "main_ids", "published_at", "relationship_count", "fandom_count"),
                *("rating", "warnings", "restricted"),
            )
        )
        tag_ids: dict[int, list[int]] = {story.pk: [] for story in stories}
        main_tag_ids: dict[int, list[int]] = {story.pk: [] for story in stories}
        for story_id, tag_id, main in StoryTag.objects.filter(content_object__in=stories).values_list(
            "content_object_id", "tag_id", "main"
        ):
            tag_ids[story_id].append(tag_id)
            if main:
                main_tag_ids[story_id].append(tag_id)
        indexed = index_works(tag_ids, main_tag_ids)
        added: list[int] = []
        removed: list[int] = []
        for story in stories:
            if story.counts_in_tags:
                removed.extend(story.filter_ids)
            index = indexed[story.pk]
            story.filter_ids = story_filter_ids(
                index, rating=story.rating, warnings=story.warnings, restricted=story.restricted
            )
            story.role_ids = index.role_ids
            story.main_ids = index.main_ids
            if story.counts_in_tags:
                added.extend(story.filter_ids)
            story.relationship_count = index.relationship_count
            story.fandom_count = index.fandom_count
        Story.objects.bulk_update(stories, ["filter_ids", "role_ids", "main_ids", "relationship_count", "fandom_count"])
        count_tag_uses(added=added, removed=removed)
    versions.changed(story_ids=story_ids, listings=True)  # and of the tags they have now


@transaction.atomic
def refresh_stories(story_ids) -> None:
    """Recompute everything derived about these works (counts, filter ids, search document) from
    their rows: for writers that change a work outside the other services, such as the admin."""
    story_ids = list(story_ids)
    refresh_story_counts(story_ids)
    refresh_story_filters(story_ids)
    refresh_search_index(story_ids)
