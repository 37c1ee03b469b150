"""The reader's own parts of a work page and the front page: "Continue reading" (which also
records where they are) and the box of works they were reading (archive/caching/reader_parts.py)."""

from django.http import HttpRequest
from django.template.loader import get_template

from archive.caching import versions
from archive.caching.fragments import fragment_key, fragment_tokens, kept_fragments
from archive.caching.reader_parts import remembered
from archive.chapters.models import Chapter
from archive.history.models import Reading
from archive.history.services import record_place

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


def continue_box(request: HttpRequest, items: list[tuple]) -> list[str]:
    """The reader's most recently read works with their next (or last) chapter: kept under the
    reader's history version and the lists' one (a new chapter, a work gone), so one query only
    when either moved; none for a guest."""
    user = request.user
    if not user.is_authenticated:
        return [""] * len(items)
    tokens = fragment_tokens(BOX_TEMPLATE, versions.LISTINGS, versions.reader(user.pk))
    key = fragment_key("continue-box", user.pk, tokens)

    def render(_user) -> str:
        readings = list(Reading.objects.for_continue_box(user)[:CONTINUE_BOX_SIZE])
        return get_template(BOX_TEMPLATE).render({"readings": readings})

    return [str(kept_fragments([user], [key], render)[0])] * len(items)
