from django import template

from archive.bookmarks.box import box_context

register = template.Library()


@register.inclusion_tag("bookmarks/includes/bookmark_box_tag.html", takes_context=True)
def bookmark_box(context, story) -> dict:
    """Bookmark this work, edit or delete one's bookmark, and add it to or remove it from reading
    lists; a fixed number of queries."""
    return box_context(context["request"], story)
