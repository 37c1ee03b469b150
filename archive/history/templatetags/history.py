from django import template

from archive.history.models import Reading

register = template.Library()

CONTINUE_BOX_SIZE = 5


@register.inclusion_tag("history/includes/continue_reading.html")
def continue_reading(reading: Reading | None, shown, chapters, *, anchor: bool = False) -> dict:
    """ "Continue reading: Chapter 7" when the reader last read a chapter other than `shown`.

    `chapters` is the page's numbered list of readable chapters, so this costs no query; with
    `anchor` (the entire work) the link jumps to the chapter on the same page.
    """
    target = None
    if reading and reading.chapter_id and (shown is None or reading.chapter_id != shown.pk):
        target = next((chapter for chapter in chapters if chapter.pk == reading.chapter_id), None)
    return {"reading": reading, "target": target, "anchor": anchor}


@register.inclusion_tag("history/includes/continue_box.html", takes_context=True)
def continue_reading_box(context) -> dict:
    """The reader's most recently read works with their next (or last) chapter: one query,
    none for a logged-out visitor."""
    user = context["request"].user
    if not user.is_authenticated:
        return {"readings": []}
    return {"readings": list(Reading.objects.for_continue_box(user)[:CONTINUE_BOX_SIZE])}
