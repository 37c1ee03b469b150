from django import template
from django.utils.safestring import SafeString

from archive.caching.reader_parts import part

register = template.Library()


@register.simple_tag(takes_context=True)
def reader_part(context, name: str, *args) -> SafeString:
    """One reader's own part of a shared page (archive/caching/reader_parts.py)."""
    return part(context["request"], name, *args)
