"""The work's meta block (rating, warnings, tags, language, series, stats), the same on every page
of the work: kept as a fragment where the page itself is kept for others."""

from django import template
from django.utils.safestring import SafeString

from archive.caching import versions
from archive.caching.fragments import shared_fragment
from archive.caching.reader_parts import is_readers_render
from archive.chapters.reading import fetch_tags

register = template.Library()

TEMPLATE = "chapters/includes/work_meta.html"


@register.simple_tag(takes_context=True)
def work_meta(context, story) -> SafeString:
    """The meta block of `story`. On a page rendered for the shared cache (a guest's, or the
    readers' copy: never an author's, whose block has their own counts) it is the same for every
    chapter of the work, so it is kept under the work's version, the tags' and its hit count (its
    hits are a marker the page's server fills in: archive/caching/counters.py), once for guests
    and once for readers (the series entry lists the works each may open). Its tags are fetched
    only when it is rendered."""
    request = context.get("request")

    def render() -> str:
        if "tag_links" not in getattr(story, "_prefetched_objects_cache", {}):
            fetch_tags(story)
        with context.push(story=story):
            return context.template.engine.get_template(TEMPLATE).render(context)

    shown = (story.pk, story.hit_count, request is not None and is_readers_render(request))
    return shared_fragment(request, "work-meta", shown, TEMPLATE, [versions.work(story.pk), versions.TAGS], render)
