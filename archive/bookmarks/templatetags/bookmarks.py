from django import template
from django.utils.safestring import SafeString

from archive.caching.reader_parts import part

register = template.Library()


@register.simple_tag(takes_context=True)
def bookmark_box(context, story) -> SafeString:
    """Bookmark this work, edit or delete one's bookmark, and add it to or remove it from reading
    lists; a fixed number of queries. The reader's own part of the page (reader_parts.py)."""
    return part(context["request"], "bookmark", story.pk, story.bookmark_count, int(story.is_draft))
