"""Story cards, rendered once and kept: a list page's twenty cards, with the authors and tags they
need fetched and built as models, were four fifths of what it cost to render.

A card shows the work's own row, its authors and its tags, the same for every reader. Its key is
a digest of the row's shown values and `edited_at` (which every change to a work's tags moves),
with the versions of what tags mean (wrangling) and of everything (a renamed account): a work
that changes in any way a card shows gets a new key. One `get_many` fetches a page's cards; only
the missing ones have their authors and tags fetched and are rendered, then kept with `set_many`.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet, prefetch_related_objects
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

from archive.caching import versions
from archive.stories.models import Story
from archive.stories.querysets import tags_and_authors

TEMPLATE = "includes/story_card.html"
TIMEOUT = 24 * 3600
SHOWN = (
    "pk", "title", "summary", "rating", "warnings", "categories", "language", "expected_chapters",
    "chapter_count", "word_count", "comment_count", "kudos_count", "bookmark_count", "hit_count",
    "published_at", "updated_at", "edited_at",
)  # fmt: skip


def _key(story: Story, tokens: tuple) -> str:
    shown = [getattr(story, name) for name in SHOWN]
    return "card:" + hashlib.blake2b(repr((shown, tokens)).encode(), digest_size=16).hexdigest()


def story_cards(stories) -> list[SafeString]:
    """The cards of these works, in order: a queryset of them, or the works already fetched."""
    if isinstance(stories, QuerySet) and stories._result_cache is None:
        stories = stories.prefetch_related(None)  # authors and tags only for the cards not kept
    stories = list(stories)
    tokens = (*versions.current([versions.EVERYTHING, versions.TAGS]), versions.template_version(TEMPLATE))
    keys = [_key(story, tokens) for story in stories]
    kept = cache.get_many(keys) if settings.FRAGMENT_CACHE else {}
    missing = [story for story, key in zip(stories, keys, strict=True) if key not in kept]
    if missing:
        prefetch_related_objects(missing, *tags_and_authors())  # skips works that have them
    template, made = get_template(TEMPLATE), {}
    cards = []
    for story, key in zip(stories, keys, strict=True):
        html = kept.get(key)
        if html is None:
            html = made[key] = template.render({"story": story})
        cards.append(mark_safe(html))  # noqa: S308 - our template's output, autoescaped
    if made and settings.FRAGMENT_CACHE:
        cache.set_many(made, TIMEOUT)
    return cards
