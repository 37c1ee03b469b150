"""Atom feeds of works: a tag's new works and an author's works.

Feed readers never log in, so every feed lists through `Story.objects.visible_to` for an
anonymous reader: drafts leak nowhere. A reader who opens a feed in their browser gets it without
the works their saved exclusions hide (archive/discovery/exclusions.py), as every other list of
works; such a feed is theirs, never kept for others by the page cache. Each feed costs the same few queries however many
works it holds (`for_cards()` prefetches authors and tags).
"""

import copy
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.contrib.humanize.templatetags.humanize import intcomma
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html, format_html_join

from archive.caching.pages import SharedPage
from archive.core.prose import sanitize_html, strip_controls
from archive.discovery.exclusions import SHOW_PARAM, saved_exclusions
from archive.stories.models import Story
from archive.tags.models import Tag

FEED_SIZE = 25


def authors_of(story: Story) -> list[tuple[str, str]]:
    """(name, works page) for each author, from the prefetched authors."""
    return [(author.username, author.get_absolute_url()) for author in story.authors.all()]


class MultiAuthorAtom1Feed(Atom1Feed):
    """Atom with one <author> per author of an entry: Django's writes one at most, and a work
    can have several. Items pass `authors` as (name, path) pairs."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name, path in item.get("authors", ()):
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.addQuickElement("uri", urljoin(item["link"], path))
            handler.endElement("author")


def _names(tags: list[Tag]) -> str:
    return ", ".join(tag.name for tag in tags)


def work_summary(story: Story) -> str:
    """The work's summary and one plain line of what a card shows, as HTML for a feed entry.

    Put together, then sanitized: the last step, so nothing after it can change what it let
    through (dropping control characters after it once turned `java&#1;script:` into `javascript:`).
    """
    facts = [
        ("Rating", story.get_rating_display()),
        ("Fandoms", _names(story.fandoms)),
        ("Characters", _names(story.characters)),
        ("Relationships", _names(story.relationships)),
        ("Words", intcomma(story.word_count)),
        ("Chapters", story.chapter_status),
    ]
    line = format_html_join(" · ", "{}: {}", ((label, value) for label, value in facts if value))
    return sanitize_html(story.summary + format_html("<p>{}</p>", line))


class WorksFeed(Feed):
    """Entries for works, newest first; subclasses narrow the visible works to the feed's."""

    feed_type = MultiAuthorAtom1Feed
    # Kept for logged-out readers and, apart, for logged-in ones (not `anyone`: a reader's saved
    # exclusions, known only once their session is read, change what the feed lists).
    shared_page = SharedPage()

    request: HttpRequest | None = None

    def works(self, obj, visible):
        raise NotImplementedError

    def get_feed(self, obj, request: HttpRequest):
        # One feed object serves every request: items() reads the request from a copy of its own.
        feed = copy.copy(self)
        feed.request = request
        return super(WorksFeed, feed).get_feed(obj, request)

    def items(self, obj):
        works = self.works(obj, Story.objects.visible_to(AnonymousUser()))
        if self.request is not None and self.request.GET.get(SHOW_PARAM) != "1":
            works = works.filter(saved_exclusions(self.request).keeps())
        return works.for_cards().order_by("-published_at", "-id")[:FEED_SIZE]

    def item_title(self, story: Story) -> str:
        # Atom titles are text: escaped once when written (Django's default escapes twice, for RSS).
        return strip_controls(story.title)

    def item_description(self, story: Story) -> str:
        return work_summary(story)

    def item_pubdate(self, story: Story):
        return story.published_at

    def item_updateddate(self, story: Story):
        return story.updated_at

    def item_categories(self, story: Story) -> list[str]:
        return [strip_controls(link.tag.name) for link in story.tag_links.all()]

    def item_extra_kwargs(self, story: Story) -> dict:
        return {"authors": authors_of(story)}


class TagWorksFeed(WorksFeed):
    """/tags/<tag>/feed.atom: the newest works with a tag; a synonym's feed is its canonical tag's."""

    def get_object(self, request: HttpRequest, name: str) -> Tag:
        tag = Tag.objects.named(name).select_related("merger").first()
        if tag is None:
            raise Http404("No such tag.")
        return tag.merger or tag

    def works(self, tag: Tag, visible):
        return visible.filter(filter_ids__has_all=[tag.filter_id])

    def title(self, tag: Tag) -> str:
        return strip_controls(f"Works tagged {tag.name} · {settings.SITE_NAME}")

    def link(self, tag: Tag) -> str:
        return tag.get_absolute_url()


class AuthorWorksFeed(WorksFeed):
    """/users/<username>/works/feed.atom: an author's newest works."""

    def get_object(self, request: HttpRequest, username: str):
        return get_object_or_404(get_user_model(), username=username)

    def works(self, author, visible):
        return visible.filter(authors=author)

    def title(self, author) -> str:
        return f"Works by {author.username} · {settings.SITE_NAME}"

    def link(self, author) -> str:
        return author.get_absolute_url()
