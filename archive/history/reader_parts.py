"""The reader's own parts of a work page and the front page: "Continue reading" (which also
records where they are) and the box of works they were reading (archive/caching/reader_parts.py)."""

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.template.loader import get_template

from archive.caching import deferred, versions
from archive.caching.fragments import TIMEOUT as FRAGMENT_TIMEOUT
from archive.caching.reader_parts import remembered
from archive.chapters.models import Chapter
from archive.core.prepared import prepared_rows
from archive.history.models import Reading
from archive.history.services import PLACE, record_place

CONTINUE_BOX_SIZE = 5
BOX_TEMPLATE = "history/includes/continue_box.html"
READING_TEMPLATE = "history/includes/continue_reading.html"


def continue_reading(request: HttpRequest, items: list[tuple]) -> list[str]:
    """Each item (from `{% continue_reading %}`): the work, the chapter opened, whether to keep the
    reader's place, the chapter shown first, whether the link is an anchor on this page, whether
    nothing is recorded (a guest, an author, a draft), and the page's chapter ids in order."""
    user = request.user
    html = []
    for story_id, opened_id, keep_place, shown_id, anchor, off, ids in items:
        if off == "1" or not user.is_authenticated:
            html.append("")
            continue
        chapter_ids = [int(chapter_id) for chapter_id in ids.split("-")]
        opened = int(opened_id)
        reading = record_place(
            user=user,
            story_id=int(story_id),
            chapter_id=opened,
            chapter_number=chapter_ids.index(opened) + 1,
            keep_place=keep_place == "1",
        )
        target_number, target_url = None, ""
        if reading and reading.chapter_id and str(reading.chapter_id) != shown_id and reading.chapter_id in chapter_ids:
            target_number = chapter_ids.index(reading.chapter_id) + 1
            target = Chapter(pk=reading.chapter_id, story_id=int(story_id))
            target_url = f"#chapter-{target_number}" if anchor == "1" else target.get_absolute_url()
        shown = {
            "target_number": target_number,
            "target_url": target_url,
            "last_read_at": reading.last_read_at if target_number else None,
            "story_id": story_id,
            "keeps_history": user.keeps_history,
            # Read to the end already: no "Mark as read" (this page view just recorded the opened chapter).
            "at_end": opened == chapter_ids[-1] or (reading is not None and reading.chapter_id == chapter_ids[-1]),
        }
        # Rendered once per distinct state in this worker, not on every view.
        html.append(remembered("continue-reading", READING_TEMPLATE, shown))
    return html


def place_keys(request: HttpRequest, items: list[tuple]) -> list[str]:
    """The cache keys `continue_reading` reads for these items: the reader's place in each work."""
    user = request.user
    if not user.is_authenticated or not user.keeps_history:
        return []
    return [PLACE.format(user_id=user.pk, story_id=int(item[0])) for item in items if item[5] != "1"]


def continue_box(request: HttpRequest, items: list[tuple]) -> list[str]:
    """The reader's most recently read works with their next (or last) chapter; none for a guest."""
    user = request.user
    if not user.is_authenticated:
        return [""] * len(items)
    return [_continue_box(user)] * len(items)


def _continue_box(user) -> str:
    """The box, kept per reader under what it shows: the reader's history version and the versions
    of the works it may list (a new chapter or a work gone moves its work's). Not the lists' one,
    which every new chapter in the archive moves: under it, a busy archive rendered the box again
    on nearly every logged-in view of the front page. Kept, it costs one round trip with the
    page's versions and one for its works' (reading.py's kept work does the same)."""
    key = f"continue-box:{user.pk}"
    names = [versions.EVERYTHING, versions.reader(user.pk)]
    version_keys = versions.lookup_keys(names)
    found = cache.get_many([key, *version_keys]) if settings.FRAGMENT_CACHE else {}
    tokens = tuple(found.get(version_key) for version_key in version_keys)
    if None in tokens:
        tokens = versions.completed(names, tokens)
    stamp = (*tokens, versions.template_version(BOX_TEMPLATE))
    kept = found.get(key)
    if kept is not None and kept[0] == stamp and (not kept[1] or versions.current(kept[1]) == kept[2]):
        return kept[3]
    # The works the box may list, and their versions, read before the rows the box is made from:
    # a change committed in between moved them, so what is kept under them is never served after it.
    candidates = [story_id for (story_id,) in prepared_rows(Reading, _latest_works, user.pk)[1]]
    work_names = [versions.work(story_id) for story_id in candidates]
    work_tokens = versions.current(work_names) if work_names else ()
    # A reader who has read nothing yet (most, on their first views) is asked nothing more.
    readings = list(Reading.objects.for_continue_box(user)[:CONTINUE_BOX_SIZE]) if candidates else []
    html = get_template(BOX_TEMPLATE).render({"readings": readings})
    # More than half of them gone from view is rare: a work past the candidates would show, whose
    # version was not read, so that box is not kept.
    if settings.FRAGMENT_CACHE and all(reading.story_id in candidates for reading in readings):
        deferred.keep({key: (stamp, work_names, work_tokens, html)}, FRAGMENT_TIMEOUT)
    return html


def _latest_works(user_id: int):
    """The works of the reader's latest readings, twice as many as the box shows: those it shows are
    among them unless more than half of them can no longer be found."""
    return Reading.objects.filter(user_id=user_id).newest_first().values_list("story_id")[: 2 * CONTINUE_BOX_SIZE]
