"""The work's meta block (rating, warnings, tags, language, series, stats), the same on every page
of the work: kept as a fragment where the page itself is kept for others."""

from django import template
from django.template.loader import get_template
from django.utils.safestring import SafeString

from archive.caching import versions
from archive.caching.fragments import shared_fragment
from archive.caching.reader_parts import is_readers_render
from archive.chapters.meta_block import META_VERSION, meta_block
from archive.chapters.reading import fetch_tags
from archive.series.templatetags.series import series_parts

register = template.Library()

# The meta block's "Series:" entry, in the Archive of Our Own's markup (FanFicFare reads it).
SERIES_TEMPLATE = "series/includes/work_series.html"


@register.simple_tag(takes_context=True)
def work_meta(context, story) -> SafeString:
    """The meta block of `story` (archive/chapters/meta_block.py). On a page rendered for the
    shared cache (a guest's, or the readers' copy: never an author's, whose block has their own
    counts) it is the same for every chapter of the work, so it is kept under the work's version,
    the tags' and its hit count (its hits are a marker the page's server fills in:
    archive/caching/counters.py), once for guests and once for readers (the series entry lists
    the works each may open). Its tags are fetched only when it is rendered."""
    request = context.get("request")

    def render() -> str:
        if "tag_links" not in getattr(story, "_prefetched_objects_cache", {}):
            fetch_tags(story)
        parts = series_parts(context, story)
        series = get_template(SERIES_TEMPLATE).render({"parts": parts}) if parts else ""
        return meta_block(
            story,
            request=request,
            series=series.strip(),
            draft_stats=context.get("draft_stats"),
            is_author=bool(context.get("is_author")),
        )

    shown = (story.pk, story.hit_count, request is not None and is_readers_render(request), META_VERSION)
    tokens = [versions.work(story.pk), versions.TAGS]
    return shared_fragment(request, "work-meta", shown, SERIES_TEMPLATE, tokens, render)
