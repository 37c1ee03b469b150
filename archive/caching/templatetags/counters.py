from django import template
from django.utils.safestring import SafeString

from archive.caching import counters

register = template.Library()


@register.simple_tag(takes_context=True)
def hit_count(context, story) -> SafeString:
    """The work's hit count; on a page kept for others, filled in as it is served (counters.py)."""
    return counters.hit_count(context.get("request"), story.pk, story.hit_count)
