from django import template
from django.utils.safestring import SafeString

from archive.caching.reader_parts import part
from archive.search.models import normalized_query

register = template.Library()


@register.simple_tag(takes_context=True)
def save_search_form(context, name: str, tag=None) -> SafeString:
    """ "Save this search" for this page's search (its parameters), named `name` to start with; on
    a tag's works page, `tag`. Nothing for guests: the reader's own part of a shared page."""
    request = context["request"]
    return part(request, "save_search", normalized_query(request.GET), tag.name if tag else "", name[:100])
