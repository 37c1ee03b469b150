"""A work's life cycle, from the author's side: every write an author makes to a work.

Each workflow runs in one transaction and locks the story row first, so two authors posting
to the same story at once get distinct positions and consistent counts; notifications and
e-mails go after commit (archive/notifications/services.py's `notify_*`).

- create a work with its first chapter, posted or as a draft: `create_story`
- post a draft work (its chapters with it): `post_story`
- edit a work's details and tags, and date it (backdating): `update_story`, `date_publication`
- delete a work: `delete_story`
- add, edit, post, delete and reorder its chapters: `add_chapter`, `update_chapter`,
  `delete_chapter`, `reorder_chapters`; each edit keeps the text it replaced: `keep_revision`

The rest of the life cycle, by the same rules:

- preview before posting: archive/publishing/preview.py (nothing saved)
- the author's pages for all of the above: archive/publishing/views.py
- place a work in a series: archive/series/services.py (`set_work_series`, called with
  `create_story` and `update_story` in one transaction by the views here)
- co-creators: invite, accept, leave, and orphan one work: archive/cocreators/services.py
- an account's works when it is deleted (orphaned or deleted): archive/publishing/account_deletion.py
"""

import datetime

from django.db import transaction
from django.db.models import Case, F, Max, Value, When
from django.utils import timezone

from archive.caching import versions
from archive.chapters.models import MAX_REVISIONS_PER_CHAPTER, TEXT_FIELDS, Chapter, ChapterRevision
from archive.core.prose import count_words
from archive.notifications.services import notify_chapter_posted, notify_story_posted
from archive.series.services import leave_every_series
from archive.stories.counts import COUNTS, refresh_story_counts
from archive.stories.models import Story
from archive.stories.services import count_tag_uses, set_story_tags


class LastChapterError(Exception):
    """A work keeps at least one chapter; delete the work instead."""


class StaleOrderError(Exception):
    """The chapters' order changed after the form asking to reorder them was built."""


def _lock(story: Story) -> Story:
    return Story.objects.select_for_update().get(pk=story.pk)


CHAPTER_COUNTS = ["word_count", "chapter_count"]


def _refresh_counters(story: Story, fields=CHAPTER_COUNTS) -> None:
    refresh_story_counts([story.pk], fields)
    story.refresh_from_db(fields=[*fields, "expected_chapters"])


def _apply(chapter: Chapter, fields: dict) -> None:
    for name, value in fields.items():
        setattr(chapter, name, value)
    chapter.word_count = count_words(chapter.body)


@transaction.atomic
def create_story(
    *,
    author,
    story_fields: dict,
    tags_by_kind: dict[str, list[str]],
    chapter_fields: dict,
    post: bool,
    mains_by_kind: dict[str, list[str]] | None = None,
) -> Story:
    """A new story with its first chapter, posted or saved as a draft. Its author alone: others
    are credited only by accepting an invitation (archive/cocreators/services.py)."""
    now = timezone.now()
    story = Story.objects.create(**story_fields, published_at=now if post else None, updated_at=now if post else None)
    story.authors.add(author)
    set_story_tags(story=story, tags_by_kind=tags_by_kind, mains_by_kind=mains_by_kind)
    chapter = Chapter(story=story, position=1, published_at=now if post else None)
    _apply(chapter, chapter_fields)
    chapter.save()
    _refresh_counters(story)
    if post and story.backdate:
        date_publication(story=story)
    if post:
        notify_story_posted(story=story)
    return story


@transaction.atomic
def post_story(*, story: Story) -> Story:
    """Post a draft story and every chapter it has."""
    story = _lock(story)
    if not story.is_draft:
        return story
    now = timezone.now()
    story.chapters.drafts().update(published_at=now)
    story.published_at = story.updated_at = now
    story.save(update_fields=["published_at", "updated_at", "edited_at"])
    _refresh_counters(story)
    if story.backdate:
        date_publication(story=story)
    if story.counts_in_tags:
        count_tag_uses(added=story.filter_ids)
    notify_story_posted(story=story)
    return story


@transaction.atomic
def update_story(
    *, story: Story, fields: dict, tags_by_kind: dict[str, list[str]], mains_by_kind: dict[str, list[str]] | None = None
) -> Story:
    # Lock and re-read the row: two edits at once then apply one after the other (tags included),
    # and saving only the form's fields never writes back counters that moved since the form opened.
    story = Story.objects.select_for_update().get(pk=story.pk)
    backdate = story.backdate
    for name, value in fields.items():
        setattr(story, name, value)
    story.save(update_fields=[*fields, "edited_at"])
    if story.backdate != backdate:
        date_publication(story=story)
    set_story_tags(story=story, tags_by_kind=tags_by_kind, mains_by_kind=mains_by_kind)
    return story


def date_publication(*, story: Story) -> None:
    """Date a posted work as its author says: "Published" is the day they set (`backdate`) or, without
    one, when its first chapter was posted; and it was last updated when its latest chapter was
    posted, or then, if later (a one-chapter work backdated to 2019 lists as updated in 2019).
    Call it inside the transaction that posts the work or changes its backdate."""
    if story.is_draft:
        return
    posted = list(story.chapters.posted().order_by("published_at").values_list("published_at", flat=True))
    if not posted:
        return
    published = start_of_day(story.backdate) if story.backdate else posted[0]
    story.published_at, story.updated_at = published, max([published, *posted[1:]])
    Story.objects.filter(pk=story.pk).update(published_at=story.published_at, updated_at=story.updated_at)
    versions.changed(story_ids=[story.pk], listings=True)


def start_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@transaction.atomic
def delete_story(*, story: Story) -> None:
    if story.counts_in_tags:
        count_tag_uses(removed=story.filter_ids)
    versions.changed(story_ids=[story.pk], listings=True)
    leave_every_series(story=story)  # its series close the gap it leaves
    story.delete()


# A work's chapters.


@transaction.atomic
def add_chapter(*, story: Story, fields: dict, post: bool) -> Chapter:
    """Append a chapter. Posting it in a posted story is an update readers see; a draft is not."""
    story = _lock(story)
    last = story.chapters.aggregate(last=Max("position"))["last"] or 0
    now = timezone.now()
    chapter = Chapter(story=story, position=last + 1, published_at=now if post else None)
    _apply(chapter, fields)
    chapter.save()
    if post and not story.is_draft:
        Story.objects.filter(pk=story.pk).update(updated_at=now)
        notify_chapter_posted(chapter=chapter)
    _refresh_counters(story)
    return chapter


@transaction.atomic
def update_chapter(*, chapter: Chapter, fields: dict, post: bool = False, edited_by=None) -> Chapter:
    """Save an edit; `post` also posts a draft chapter, which readers see as an update.

    The text it replaces is kept as a revision its authors can view and restore.
    """
    story = _lock(chapter.story)
    # Re-read under the lock: the revision keeps what was really saved, and a position or
    # posting date moved by a concurrent change is not written back from a stale copy.
    chapter = Chapter.objects.get(pk=chapter.pk)
    chapter.story = story
    if any(fields.get(name, getattr(chapter, name)) != getattr(chapter, name) for name in TEXT_FIELDS):
        keep_revision(chapter=chapter, edited_by=edited_by)
    _apply(chapter, fields)
    if post and chapter.is_draft:
        chapter.published_at = timezone.now()
        if not story.is_draft:
            Story.objects.filter(pk=story.pk).update(updated_at=chapter.published_at)
            notify_chapter_posted(chapter=chapter)
    chapter.save()
    _refresh_counters(story)
    return chapter


def keep_revision(*, chapter: Chapter, edited_by=None) -> ChapterRevision:
    """Keep the chapter's current text as a revision, pruning the oldest past the cap."""
    revision = ChapterRevision.objects.create(
        chapter=chapter,
        edited_by=edited_by,
        word_count=chapter.word_count,
        **{n: getattr(chapter, n) for n in TEXT_FIELDS},
    )
    stale = list(chapter.revisions.values_list("pk", flat=True)[MAX_REVISIONS_PER_CHAPTER:])
    if stale:
        ChapterRevision.objects.filter(pk__in=stale).delete()
    return revision


@transaction.atomic
def delete_chapter(*, chapter: Chapter) -> None:
    """Delete a chapter and close the gap it leaves, keeping positions 1..N."""
    story = _lock(chapter.story)
    only_chapter = story.chapters.count() <= 1
    only_posted = not story.is_draft and not chapter.is_draft and story.chapters.posted().count() <= 1
    if only_chapter or only_posted:
        raise LastChapterError("A work needs at least one posted chapter. Delete the whole work instead.")
    # The position as it is now, not as it was when the caller loaded the chapter.
    position = Chapter.objects.values_list("position", flat=True).get(pk=chapter.pk)
    chapter.delete()
    # One row at a time, lowest first, so the unique (story, position) never sees a clash.
    for later in story.chapters.filter(position__gt=position).order_by("position"):
        Chapter.objects.filter(pk=later.pk).update(position=later.position - 1)
    # Its comments went with it.
    _refresh_counters(story, COUNTS)


@transaction.atomic
def reorder_chapters(*, story: Story, seen: list[int], order: list[int]) -> None:
    """Put the work's chapters in `order` (their ids, first to last), keeping positions 1..n.

    `seen` is the order the author's form was built from: if another author (or another tab)
    reordered, added or deleted a chapter since, nothing changes and `StaleOrderError` says so,
    rather than undoing a change the author never saw.
    """
    story = _lock(story)
    current = list(story.chapters.select_for_update().order_by("position").values_list("pk", flat=True))
    if current != list(seen):
        raise StaleOrderError(
            "The chapters of this work changed after this page was opened (someone reordered, added or "
            "deleted one), so nothing was saved. Here is their order now: please move them again."
        )
    if sorted(order) != sorted(current):
        raise ValueError("`order` must name each of the work's chapters once")
    if order == current:
        return
    # Out of the way first, so the unique (story, position) never sees two chapters at one place.
    story.chapters.update(position=F("position") + len(current))
    story.chapters.update(position=Case(*(When(pk=pk, then=Value(number)) for number, pk in enumerate(order, start=1))))
    # A download's "modified" date follows (archive/downloads/book.py); readers see the new order at once.
    Story.objects.filter(pk=story.pk).update(edited_at=timezone.now())
    versions.changed(story_ids=[story.pk])
