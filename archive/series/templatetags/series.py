from django import template

from archive.series.navigation import parts_of

register = template.Library()


@register.inclusion_tag("series/includes/work_series.html", takes_context=True)
def work_series(context, story) -> dict:
    """The meta block's "Series:" entry, in the Archive of Our Own's markup (FanFicFare reads it)."""
    return {"parts": parts_of(story, context["request"].user)}
