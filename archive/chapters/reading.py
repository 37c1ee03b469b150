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
from django.core.cache import cache
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from archive.caching import versions
from archive.chapters.models import INDEX_FIELDS, Chapter
from archive.hits.services import total_key
from archive.stories.models import Story


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
        tokens = versions.current(names)
    # Its tags only if the page shows them: a kept meta block needs none (templatetags/work_meta.py).
    story = get_object_or_404(Story.objects.readable_by(user).for_reading(tags=False), pk=story_id)
    index = Chapter.objects.only(*INDEX_FIELDS).with_comments_shown().numbered_for(story, user)
    if user.is_authenticated:
        story.held_comment_writers = held_comment_writers(story.pk)
    if settings.FRAGMENT_CACHE and not story.is_written_by(user):
        # Under the tokens read before the rows: a change committed in between moved them, so
        # this is never served after it.
        cache.set(key, (tokens, story, index), settings.WORK_PAGE_CACHE_SECONDS)
    return story, index


def held_comment_writers(story_id: int) -> frozenset[int]:
    """The readers with a comment awaiting approval on the work: they see it, so the readers' copy
    of its pages is not theirs (archive/comments/section.py). A held comment moves the work's
    version, as its approval and deletion do."""
    comments = apps.get_model("comments", "Comment").objects  # an app above this one
    return frozenset(comments.pending().filter(story_id=story_id, user__isnull=False).values_list("user_id", flat=True))


def readable_index(request: HttpRequest, story_id: int) -> tuple[Story, list[Chapter]]:
    """`readable_work`, 404 where the reader may open none of its chapters."""
    story, index = readable_work(request, story_id)
    if not index:
        raise Http404("This work has no chapters you can read.")
    return story, index
