"""A work's meta block (rating, warnings, tags, language, series, stats), rendered in Python.

Every page of a work shows it, and a first visit to a work renders it: in Django's template
language, with an include per kind of tag, it cost a fifth of a chapter's first render (the
profile in the README's "Speed per core"). Like a story card (archive/stories/cards.py), it is
built here from plain values, every one of them escaped. The markup is the Archive of Our Own's
(`dl.work.meta`, `dd.fandom.tags`...), which FanFicFare reads.
"""

import hashlib
from functools import cache
from html import escape
from pathlib import Path

from django.urls import reverse
from django.utils import dateformat
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime

from archive.caching import counters
from archive.stories.cards import MAIN_MARK, bookmarks_url
from archive.stories.models import Story
from archive.tags.models import Tag

# A digest of this module's source, in the kept block's key: a deploy that changes the markup below
# changes the keys.
META_VERSION = hashlib.blake2b(Path(__file__).read_bytes(), digest_size=6).hexdigest()
# Folds the details below to bring the text up a phone's first screen; needs a script
# (static/js/reader.js), so CSS shows it only then, and the details are open without one.
TOGGLE = (
    '<p class="meta-toggle"><button type="button" class="secondary" data-meta-toggle aria-controls="work-meta"'
    ' aria-expanded="true"><span class="when-shown">Hide work details</span>'
    '<span class="when-hidden">Show work details</span></button></p>\n'
)


@cache
def _search_url() -> str:
    return reverse("search:works")


def _day(value) -> str:
    return dateformat.format(template_localtime(value), "Y-m-d")


def _tag_items(tags: list[Tag]) -> str:
    """templates/includes/tag_links.html: the tags as links, main ones marked."""
    items = []
    for tag in tags:
        link = f'<a class="tag" href="{escape(tag.get_absolute_url())}">{escape(tag.name)}</a>'
        main = getattr(tag, "is_main", False)
        items.append(f'<li class="main">{link}{MAIN_MARK}</li>' if main else f"<li>{link}</li>")
    return "".join(items)


def _searched(field: str, value: str, label: str) -> str:
    return f'<li><a class="tag" href="{_search_url()}?{field}={escape(value)}">{escape(label)}</a></li>'


def meta_block(
    story: Story, *, request=None, series: str = "", draft_stats: dict | None = None, is_author: bool = False
) -> SafeString:
    """The block for `story` (with its tags prefetched), `series` its "Series:" entry as rendered.
    `draft_stats` (a draft's own counts) and `is_author` (its subscriber count) are for its
    authors' view, which is never kept for others."""
    rows = [
        '<dt class="rating tags">Rating:</dt>',
        f'<dd class="rating tags"><ul class="commas">'
        f"{_searched('rating', story.rating, story.get_rating_display())}</ul></dd>",
        '<dt class="warning tags">Archive Warnings:</dt>',
        '<dd class="warning tags"><ul class="commas">'
        + "".join(_searched("warnings", str(w.value), w.label) for w in story.warning_list())
        + "</ul></dd>",
    ]
    if story.categories:
        rows += [
            '<dt class="category tags">Categories:</dt>',
            '<dd class="category tags"><ul class="commas">'
            + "".join(_searched("categories", str(c.value), c.label) for c in story.category_list())
            + "</ul></dd>",
        ]
    rows += [
        '<dt class="fandom tags">Fandoms:</dt>',
        f'<dd class="fandom tags"><ul class="commas">{_tag_items(story.fandoms)}</ul></dd>',
    ]
    for kind, label, tags in (
        ("relationship", "Relationships", story.relationships),
        ("character", "Characters", story.characters),
        ("freeform", "Additional Tags", story.freeforms),
    ):
        if tags:
            rows += [
                f'<dt class="{kind} tags">{label}:</dt>',
                f'<dd class="{kind} tags"><ul class="commas">{_tag_items(tags)}</ul></dd>',
            ]
    rows += [
        '<dt class="language">Language:</dt>',
        f'<dd class="language" lang="{escape(story.language)}">{escape(str(story.get_language_display()))}</dd>',
    ]
    if series:
        rows.append(series)
    stats = _stats(story, request, draft_stats, is_author)
    rows.append(f'<dt class="stats">Stats:</dt>\n<dd class="stats">\n<dl class="stats">\n{stats}</dl>\n</dd>')
    body = "\n  ".join(rows)
    return mark_safe(f'{TOGGLE}<dl class="work meta group" id="work-meta">\n  {body}\n</dl>\n')  # noqa: S308 - escaped above


def _stats(story: Story, request, draft_stats: dict | None, is_author: bool) -> str:
    stats = []
    if story.published_at:
        stats.append(f'<dt class="published">Published:</dt><dd class="published">{_day(story.published_at)}</dd>')
        if story.chapter_count > 1 or not story.is_complete:
            status = "Completed" if story.is_complete else "Updated"
            stats.append(f'<dt class="status">{status}:</dt><dd class="status">{_day(story.updated_at)}</dd>')
    # A draft's own counts are 0 until it is posted: its authors see what its chapters hold.
    words = draft_stats["words"] if draft_stats else story.word_count
    chapters = draft_stats["chapter_status"] if draft_stats else story.chapter_status
    bookmarks = f'<a href="{bookmarks_url(story.pk)}">{story.bookmark_count:,}</a>' if story.bookmark_count else "0"
    stats += [
        f'<dt class="words">Words:</dt><dd class="words">{words:,}</dd>',
        f'<dt class="chapters">Chapters:</dt><dd class="chapters">{escape(chapters)}</dd>',
        f'<dt class="comments">Comments:</dt><dd class="comments">{story.comment_count:,}</dd>',
        f'<dt class="kudos">Kudos:</dt><dd class="kudos">{story.kudos_count:,}</dd>',
        f'<dt class="bookmarks">Bookmarks:</dt><dd class="bookmarks">{bookmarks}</dd>',
        f'<dt class="hits">Hits:</dt><dd class="hits">{counters.hit_count(request, story.pk, story.hit_count)}</dd>',
    ]
    if is_author and not story.is_draft:
        # Its authors' eyes only: their view of a work is never kept for others (archive/chapters/views.py).
        from archive.notifications.services import subscriber_counts

        count = subscriber_counts(story_ids=[story.pk]).get(story.pk, 0)
        stats.append(f'<dt class="subscribers">Subscribers:</dt><dd class="subscribers">{count:,}</dd>')
    return "".join(f"{row}\n" for row in stats)
