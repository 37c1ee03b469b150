from django import template
from django.utils.safestring import SafeString

from archive.caching.reader_parts import part

register = template.Library()


@register.simple_tag(takes_context=True)
def continue_reading(context, story, shown, chapters, *, opened=None, keep_place=False, anchor=False) -> SafeString:
    """ "Continue reading: Chapter 7" when the reader last read a chapter other than `shown`, and
    the reader's place moved to `opened` (default: `shown`); the reader's own part of the page.

    `chapters` is the page's numbered list of readable chapters, so this costs no query beyond
    the place's; with `anchor` (the entire work) the link jumps to the chapter on the same page.
    """
    request = context["request"]
    opened = opened or shown
    off = story.is_draft or opened.is_draft or story.is_written_by(request.user)
    ids = "-".join(str(chapter.pk) for chapter in chapters)
    return part(request, "reading", story.pk, opened.pk, int(keep_place), shown.pk, int(anchor), int(off), ids)


@register.simple_tag(takes_context=True)
def continue_reading_box(context) -> SafeString:
    """The reader's most recently read works with their next (or last) chapter."""
    return part(context["request"], "continue_box")
