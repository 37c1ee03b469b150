"""A work as its reading pages open it: the story with its authors, and its chapter index.

Every chapter page of a work, its work page and its entire-work page start from the same three
queries (the story, its authors, the chapters this reader may open). For a reader who is not one
of its authors they are the same for every guest, and the same for every logged-in reader, so
they are kept per work and audience under the work's version (archive/caching/versions.py): the
story's later chapters, and the readers' copy after the guests', read them from the cache in the
round trip that checks the version. A change that moves what the pages show moves the version,
so the pages and this move together; the hit count, which moves without it, is refreshed from
the flushed total on the way out (archive/caching/counters.py).

Each chapter of the index knows whether it has an approved comment (`has_comments`): on a page
kept for others, whose readers see approved comments alone, a chapter without any shows an empty
comment section without asking (every change to approved comments moves the work's version).
For logged-in readers the story also knows who has a comment awaiting approval on it
(`held_comment_writers`), whom the readers' copy of its pages is not for.

An author's view (drafts, draft chapters) is never kept: it is read from the database each time.
"""

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from archive.caching import deferred, versions
from archive.chapters.models import INDEX_FIELDS, Chapter
from archive.chapters.querysets import numbered
from archive.core.prepared import prepared_rows
from archive.core.raw_rows import from_row, set_prefetched
from archive.hits.services import total_key
from archive.stories.models import Story, StoryTag
from archive.stories.querysets import TAG_FIELDS, reading_authors, reading_fields, reading_tags
from archive.tags.models import Tag


def _key(story_id: int, audience: str) -> str:
    return f"reading:{audience}:{story_id}"


def readable_work(request: HttpRequest, story_id: int) -> tuple[Story, list[Chapter]]:
    """The story this reader may open (else 404), with its authors, and its chapters numbered as
    this reader sees them (the index and the previous and next links)."""
    user = request.user
    audience = "reader" if user.is_authenticated else "guest"
    key = _key(story_id, audience)
    names = [versions.EVERYTHING, versions.work(story_id)]
    # The versions with the kept work in one round trip, or none where the page read them already.
    tokens = versions.known(names)
    version_keys = versions.lookup_keys(names) if tokens is None else []
    found = cache.get_many([key, *version_keys, total_key(story_id)]) if settings.FRAGMENT_CACHE else {}
    if tokens is None:
        tokens = tuple(found.get(version_key) for version_key in version_keys)
    kept = found.get(key)
    if kept is not None and kept[0] == tokens and not kept[1].is_written_by(user):
        story, index = kept[1], kept[2]
        story.hit_count = max(story.hit_count, found.get(total_key(story_id), 0))
        return story, index
    if settings.FRAGMENT_CACHE and None in tokens:
        tokens = versions.completed(names, tokens)
    story = _readable_story(user, story_id)
    if story.is_written_by(user):
        index = Chapter.objects.only(*INDEX_FIELDS).with_comments_shown().numbered_for(story, user)
    else:
        columns, rows = prepared_rows(Chapter, _posted_index, story_id)
        index = []
        for *row, has_comments in rows:
            chapter = from_row(Chapter, columns[:-1], row)
            chapter.has_comments = bool(has_comments)
            index.append(chapter)
        numbered(story, index)
    if user.is_authenticated:
        story.held_comment_writers = held_comment_writers(story.pk)
    if settings.FRAGMENT_CACHE and not story.is_written_by(user):
        # Under the tokens read before the rows: a change committed in between moved them, so
        # this is never served after it.
        deferred.keep({key: (tokens, story, index)}, settings.WORK_PAGE_CACHE_SECONDS)
    return story, index


def held_comment_writers(story_id: int) -> frozenset[int]:
    """The readers with a comment awaiting approval on the work: they see it, so the readers' copy
    of its pages is not theirs (archive/comments/section.py). A held comment moves the work's
    version, as its approval and deletion do."""
    _, rows = prepared_rows(apps.get_model("comments", "Comment"), _held_comment_writers, story_id)
    return frozenset(user_id for (user_id,) in rows)


def chapter(chapter_id: int) -> Chapter:
    """The chapter, whole (its text and notes), else 404."""
    columns, rows = prepared_rows(Chapter, _chapter, chapter_id)
    if not rows:
        raise Http404("No such chapter.")
    return from_row(Chapter, columns, rows[0])


def _readable_story(user, story_id: int) -> Story:
    """The story as `Story.objects.readable_by(user).for_reading(tags=False)` gives it (its tags
    only if the page shows them: a kept meta block needs none, templatetags/work_meta.py), else 404."""
    if user.is_authenticated:
        columns, rows = prepared_rows(Story, _reader_story, story_id, user.pk)
    else:
        columns, rows = prepared_rows(Story, _guest_story, story_id)
    if not rows:
        raise Http404("No such work.")
    story = from_row(Story, columns, rows[0])
    columns, rows = prepared_rows(get_user_model(), _authors, story_id)
    set_prefetched(story, "authors", [from_row(get_user_model(), columns, row) for row in rows])
    return story


def fetch_tags(story: Story) -> None:
    """The story's tag links with their tags, in typed order, as `reading_tags()` prefetches them
    (for the meta block, when a page shows it: templatetags/work_meta.py)."""
    columns, rows = prepared_rows(StoryTag, _tag_links, story.pk)
    links = []
    for row in rows:
        values = dict(zip(columns, row, strict=True))
        link = from_row(StoryTag, LINK_FIELDS, [values[name] for name in LINK_FIELDS])
        tag = from_row(Tag, ["id", *TAG_NAMES], [values["tag_id"], *(values[f"tag__{name}"] for name in TAG_NAMES)])
        link.tag = tag
        link.content_object = story
        links.append(link)
    set_prefetched(story, "tag_links", links)


# The queries of a page's first visit, as querysets whose SQL is made once (archive/core/prepared.py).


def _guest_story(story_id: int) -> QuerySet:
    return Story.objects.readable_by(AnonymousUser()).filter(pk=story_id).values_list(*reading_fields())


def _reader_story(story_id: int, user_id: int) -> QuerySet:
    reader = get_user_model()(pk=user_id)
    return Story.objects.readable_by(reader).filter(pk=story_id).values_list(*reading_fields())


def _authors(story_id: int) -> QuerySet:
    return reading_authors().queryset.filter(stories=story_id).values_list("id", "username")


def _posted_index(story_id: int) -> QuerySet:
    """The index of a reader who is not an author of the work: its posted chapters."""
    chapters = Chapter.objects.readable_in(Story(pk=story_id), AnonymousUser()).with_comments_shown()
    return chapters.values_list(*INDEX_FIELDS, "has_comments")


def _chapter(chapter_id: int) -> QuerySet:
    fields = [field.attname for field in Chapter._meta.concrete_fields]
    return Chapter.objects.filter(pk=chapter_id).order_by().values_list(*fields)


def _held_comment_writers(story_id: int) -> QuerySet:
    comments = apps.get_model("comments", "Comment").objects  # an app above this one
    return comments.pending().filter(story_id=story_id, user__isnull=False).values_list("user_id")


def readable_index(request: HttpRequest, story_id: int) -> tuple[Story, list[Chapter]]:
    """`readable_work`, 404 where the reader may open none of its chapters."""
    story, index = readable_work(request, story_id)
    if not index:
        raise Http404("This work has no chapters you can read.")
    return story, index


LINK_FIELDS = ["id", "tag_id", "content_object_id", "main"]
TAG_NAMES = [field.removeprefix("tag__") for field in TAG_FIELDS]


def _tag_links(story_id: int) -> QuerySet:
    return reading_tags().queryset.filter(content_object_id=story_id).values_list(*LINK_FIELDS, *TAG_FIELDS)
