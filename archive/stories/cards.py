"""Story cards: rendered in Python, once, and kept (archive/caching/fragments.py).

A list page shows twenty cards, and a search nobody asked before renders most of them cold: in
Django's template language a cold card cost 1.3 ms, most of a distinct search's CPU (the profile
in the README's "Speed per core"), so the card is built here from plain values, every one of them
escaped, in a few dozen microseconds. `story_card(story)` is the one way any page renders a card.

A card shows the work's own row, its authors and its tags, the same for every reader. Its key is
a digest of the row's shown values and `edited_at` (which every change to a work's tags moves),
with the versions of what tags mean (wrangling) and of everything (a renamed account): a work
that changes in any way a card shows gets a new key. Lists fetch their works with `card_rows()`;
only the cards not kept have their authors and tags fetched, here, as plain values.
"""

import hashlib
from collections.abc import Sequence
from functools import lru_cache
from html import escape
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import dateformat, timezone
from django.utils.safestring import SafeString, mark_safe

from archive.accounts.models import author_url
from archive.caching import versions
from archive.caching.fragments import fragment_key, kept_fragments
from archive.core.reversing import url_with
from archive.stories.choices import LANGUAGES, Category, Rating, Warning, from_flags
from archive.stories.models import draft_chapter_status
from archive.tags.models import Tag, tag_url

# A digest of this module's source, in every card's key: a deploy that changes the markup below
# changes the keys.
CARD_VERSION = hashlib.blake2b(Path(__file__).read_bytes(), digest_size=6).hexdigest()
SHOWN = (
    "pk", "title", "summary", "rating", "warnings", "categories", "language", "expected_chapters",
    "chapter_count", "word_count", "comment_count", "kudos_count", "bookmark_count", "hit_count",
    "published_at", "updated_at", "edited_at",
)  # fmt: skip

RATINGS = dict(Rating.choices)
LANGUAGE_NAMES = dict(LANGUAGES)
ISO = "%Y-%m-%dT%H:%M:%S%z"  # the template filter's 'Y-m-d\\TH:i:sO'
TYPED_KINDS = (Tag.Kind.RELATIONSHIP, Tag.Kind.CHARACTER, Tag.Kind.FREEFORM)

# A tag as a card shows it: (kind, name, marked main by its author).
CardTag = tuple[str, str, bool]
# templates/includes/main_mark.html, which tag pages show (the work's meta block uses this one).
MAIN_MARK = (
    '<span class="main-mark" title="Main"><span aria-hidden="true">★</span>'
    '<span class="visually-hidden"> (main)</span></span>'
)


def story_cards(stories) -> list[SafeString]:
    """The cards of these works (fetched with `card_rows()`, or with their tags already), in order."""
    stories = list(stories)
    tokens = (*versions.current([versions.EVERYTHING, versions.TAGS]), CARD_VERSION)
    keys = [fragment_key("card", [getattr(story, name) for name in SHOWN], tokens) for story in stories]
    shown: dict[int, tuple[list[str], list[CardTag]]] = {}

    def prepare(missing) -> None:
        shown.update(authors_and_tags(missing))

    return kept_fragments(stories, keys, lambda story: render_card(story, *shown[story.pk]), prepare=prepare)


def story_card(story) -> SafeString:
    """One work's card, from its prefetched authors and tags (`for_cards()`), or fetched now."""
    return mark_safe(render_card(story, *authors_and_tags([story])[story.pk]))  # noqa: S308 - escaped below


def authors_and_tags(stories) -> dict[int, tuple[list[str], list[CardTag]]]:
    """Each work's authors' names (by name) and tags (in the order they were given), by work id:
    read from what was prefetched (`with_tags_and_authors()`), else fetched for all of them in one
    query of plain values (the ORM's three cost a cold page more CPU than running them)."""
    found: dict[int, tuple[list[str], list[CardTag]]] = {}
    lean = []
    for story in stories:
        cache = getattr(story, "_prefetched_objects_cache", {})
        if "tag_links" in cache and "authors" in cache:
            authors = [author.username for author in story.authors.all()]
            tags = [(link.tag.kind, link.tag.name, link.main) for link in story.tag_links.all()]
            found[story.pk] = (authors, tags)
        else:
            found[story.pk] = ([], [])
            lean.append(story.pk)
    if lean:
        with connection.cursor() as cursor:
            cursor.execute(_authors_and_tags_sql(len(lean)), [*lean, *lean])
            for story_id, is_tag, name, _, tag in cursor.fetchall():
                if is_tag:
                    main, kind, tag_name = tag[0] == "1", *tag[1:].partition(":")[::2]
                    found[story_id][1].append((kind, tag_name, main))
                else:
                    found[story_id][0].append(name)
    return found


@lru_cache(maxsize=64)
def _authors_and_tags_sql(count: int) -> str:
    """Authors by name (the database's collation, as the byline sorts them), then tags in the
    order they were given. Each tag is looked up by its id: joined whole, PostgreSQL hashes the
    entire tag table for twenty cards."""
    from archive.stories.models import Story, StoryTag

    ids = ", ".join(["%s"] * count)
    writers, users = Story.authors.through._meta.db_table, get_user_model()._meta.db_table
    links, tags = StoryTag._meta.db_table, Tag._meta.db_table
    # Only table names and placeholders are put in.
    main = "CASE WHEN l.main THEN '1' ELSE '0' END"
    tag = f"(SELECT {main} || t.kind || ':' || t.name FROM {tags} t WHERE t.id = l.tag_id)"  # noqa: S608
    return (
        f"SELECT w.story_id, 0, u.username, u.id, '' FROM {writers} w JOIN {users} u ON u.id = w.user_id "  # noqa: S608
        f"WHERE w.story_id IN ({ids}) UNION ALL "
        f"SELECT l.content_object_id, 1, '', l.id, {tag} FROM {links} l WHERE l.content_object_id IN ({ids}) "
        "ORDER BY 2, 3, 4"
    )


def render_card(story, authors: Sequence[str], tags: Sequence[CardTag]) -> str:
    """The card's HTML: AO3's blurb markup (`li.story-card`, `ul.required-tags`, `ul.tags` with
    typed items, `dl.stats`), which FanFicFare and the archive's tests read."""
    pk = story.pk
    byline = ", ".join(f'<a rel="author" href="{escape(author_url(name))}">{escape(name)}</a>' for name in authors)
    fandoms = ", ".join(_tag_link(name) for kind, name, _ in tags if kind == Tag.Kind.FANDOM)
    # Main characters and relationships first (sorted() keeps the typed order otherwise), marked.
    typed = "".join(
        f'<li class="{kind} main">{_tag_link(name)}{MAIN_MARK}</li>'
        if main
        else f'<li class="{kind}">{_tag_link(name)}</li>'
        for wanted in TYPED_KINDS
        for kind, name, main in sorted(tags, key=lambda tag: not tag[2])
        if kind == wanted
    )
    updated = ""
    if story.updated_at:
        when = timezone.localtime(story.updated_at)
        updated = f'<time datetime="{when.strftime(ISO)}">{dateformat.format(when, "j M Y")}</time>'
    rating = RATINGS.get(story.rating, story.rating)
    language = LANGUAGE_NAMES.get(story.language, story.language)
    required = "".join(
        [
            f'<li class="rating rating-{escape(story.rating)}" title="Rating">{escape(rating)}</li>',
            *(
                f'<li class="warning" title="Archive warning">{escape(w.label)}</li>'
                for w in from_flags(Warning, story.warnings)
            ),
            *(
                f'<li class="category" title="Category">{escape(c.label)}</li>'
                for c in from_flags(Category, story.categories)
            ),
            f'<li class="status">{"Complete" if story.is_complete else "Work in progress"}</li>',
        ]
    )
    bookmarks = f'<a href="{bookmarks_url(pk)}">{story.bookmark_count:,}</a>' if story.bookmark_count else "0"
    words, chapter_status = story.word_count, story.chapter_status
    if story.is_draft and hasattr(story, "draft_chapters"):  # `with_draft_counts()`, for the author
        words = story.draft_words
        chapter_status = draft_chapter_status(story.draft_chapters, story.expected_chapters)
    summary = f'\n  <blockquote class="summary userstuff">{story.summary}</blockquote>' if story.summary else ""
    draft = ' <span class="badge draft">Draft</span>' if story.is_draft else ""
    return (
        f'<li class="story-card" id="work_{pk}"><article>\n'
        f'  <div class="card-header">\n'
        f'    <h3 class="card-title">\n'
        f'      <a href="{story.get_absolute_url()}">{escape(story.title)}</a>\n'
        f'      <span class="byline">by {byline}</span>{draft}\n'
        f"    </h3>\n"
        f'    <p class="card-fandoms">{fandoms}</p>\n'
        f'    <p class="card-updated">{updated}</p>\n'
        f"  </div>\n"
        f'  <ul class="required-tags">{required}</ul>\n'
        f'  <ul class="tags">{typed}</ul>{summary}\n'
        f'  <dl class="stats">\n'
        f'    <dt>Language:</dt><dd lang="{escape(story.language)}">{escape(language)}</dd>\n'
        f'    <dt>Words:</dt><dd class="words">{words:,}</dd>\n'
        f'    <dt>Chapters:</dt><dd class="chapters">{chapter_status}</dd>\n'
        f'    <dt>Comments:</dt><dd class="comments">{story.comment_count:,}</dd>\n'
        f'    <dt class="kudos">Kudos:</dt><dd class="kudos">{story.kudos_count:,}</dd>\n'
        f'    <dt class="bookmarks">Bookmarks:</dt><dd class="bookmarks">{bookmarks}</dd>\n'
        f'    <dt class="hits">Hits:</dt><dd class="hits">{story.hit_count:,}</dd>\n'
        f"  </dl>\n"
        f"</article></li>"
    )


def _tag_link(name: str) -> str:
    return f'<a class="tag" href="{escape(tag_url("stories:tag_works", name))}">{escape(name)}</a>'


def bookmarks_url(pk: int) -> str:
    return url_with("bookmarks:for_work", pk)
