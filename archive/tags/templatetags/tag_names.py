from django import template
from django.utils.safestring import SafeString

from archive.tags.names import breakable as breakable_name

register = template.Library()


@register.filter
def breakable(name: str) -> SafeString:
    """{{ tag.name|breakable }}: the name escaped, wrapping after "/" and "&" (archive/tags/names.py)."""
    return breakable_name(name)
