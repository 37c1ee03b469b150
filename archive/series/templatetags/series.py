from django import template

from archive.series.navigation import parts_of

register = template.Library()


def series_parts(context, story) -> list:
    """The work's parts for this request's reader, found once for the meta block and the pager."""
    request = context["request"]
    found = request.__dict__.setdefault("_series_parts", {})
    if story.pk not in found:
        found[story.pk] = parts_of(story, request.user)
    return found[story.pk]


@register.inclusion_tag("series/includes/series_pager.html", takes_context=True)
def series_pager(context, story) -> dict:
    """After a work's last chapter: where it sits in its series, and the way on to the next work."""
    return {"parts": series_parts(context, story)}
