"""What a downloaded work holds, gathered once for every format.

A `Book` is the work as a reader sees it on the site: its preface (title, authors, tags, stats,
summary, notes), its posted chapters with their notes in place, and its end notes, with every
stored fragment already written out as XHTML-compatible markup (see xhtml.py) and every plain
string stripped of characters XML can't hold. The formats (epub.py, html.py) only lay it out.
"""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.urls import reverse
from django.utils.text import slugify

from archive.chapters.models import Chapter
from archive.core.prose import html_to_text, strip_controls
from archive.downloads.xhtml import ProseWriter
from archive.series.models import SeriesWork
from archive.stories.models import Story
from archive.tags.models import Tag

SLUG_LENGTH = 60


@dataclass(frozen=True)
class Link:
    text: str
    url: str


@dataclass(frozen=True)
class BookChapter:
    number: int
    heading: str
    summary: str
    notes: str
    body: str
    end_notes: str

    @property
    def anchor(self) -> str:
        return f"chapter-{self.number}"

    @property
    def filename(self) -> str:
        return f"chapter-{self.number:03d}.xhtml"


@dataclass(frozen=True)
class BookSeries:
    """One series the work is part of: "Part `position` of `title`" (its part as its series stores it)."""

    title: str
    position: int
    url: str


@dataclass(frozen=True)
class Book:
    identifier: str
    slug: str
    site_name: str
    work_url: str
    title: str
    authors: list[Link]
    language: str
    language_name: str
    is_rtl: bool
    rating: str
    warnings: list[str]
    categories: list[str]
    fandoms: list[Link]
    relationships: list[Link]
    characters: list[Link]
    freeforms: list[Link]
    summary: str
    summary_text: str
    notes: str
    end_notes: str
    published_at: datetime
    updated_at: datetime
    is_complete: bool
    word_count: int
    chapter_status: str
    modified: datetime
    chapters: list[BookChapter]
    series: list[BookSeries]

    @property
    def subjects(self) -> list[str]:
        return [tag.text for tag in (*self.fandoms, *self.relationships, *self.characters, *self.freeforms)]

    @property
    def modified_stamp(self) -> str:
        """`dcterms:modified` as EPUB wants it: UTC, to the second."""
        return self.modified.strftime("%Y-%m-%dT%H:%M:%SZ")

    @property
    def shows_updated(self) -> bool:
        return len(self.chapters) > 1 or not self.is_complete


def download_slug(story: Story) -> str:
    """The file name's stem: the title in ASCII (any slug in the URL works; the id decides)."""
    return slugify(story.title)[:SLUG_LENGTH].strip("-_") or f"work-{story.pk}"


def posted_chapters(story: Story) -> list[Chapter]:
    """The chapters every reader sees, numbered as they count them.

    Not `Chapter.objects.numbered_for(story, user)`: that gives an author their draft chapters
    too, and a download is the posted work, the same file for everyone.
    """
    chapters = list(Chapter.objects.posted().filter(story=story).order_by("position"))
    for number, chapter in enumerate(chapters, start=1):
        chapter.number = number
    return chapters


def make_book(*, story: Story, chapters: list[Chapter], site_url: str, keep_images: bool) -> Book:
    """`story` comes from `Story.objects.for_reading()` (authors and tags prefetched)."""
    prose = ProseWriter(base_url=site_url, keep_images=keep_images)
    work_url = _absolute(site_url, story.get_absolute_url())

    def tags(tag_list: list[Tag]) -> list[Link]:
        return [Link(strip_controls(tag.name), _absolute(site_url, tag.get_absolute_url())) for tag in tag_list]

    edits = [story.edited_at, *(chapter.edited_at for chapter in chapters)]
    return Book(
        # The same work from the same site keeps its identifier, so e-readers see a new download
        # as a new version of the book they have.
        identifier=f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, work_url)}",
        slug=download_slug(story),
        site_name=strip_controls(settings.SITE_NAME),
        work_url=work_url,
        title=strip_controls(story.title),
        authors=[
            Link(
                strip_controls(author.username),
                _absolute(site_url, reverse("stories:by_author", args=[author.username])),
            )
            for author in story.authors.all()
        ],
        language=story.language,
        language_name=story.get_language_display(),
        is_rtl=story.is_rtl,
        rating=story.get_rating_display(),
        warnings=[warning.label for warning in story.warning_list()],
        categories=[category.label for category in story.category_list()],
        fandoms=tags(story.fandoms),
        relationships=tags(story.relationships),
        characters=tags(story.characters),
        freeforms=tags(story.freeforms),
        summary=prose(story.summary),
        summary_text=strip_controls(" ".join(html_to_text(story.summary).split())),
        notes=prose(story.notes),
        end_notes=prose(story.end_notes),
        published_at=story.published_at,
        updated_at=story.updated_at,
        is_complete=story.is_complete,
        word_count=story.word_count,
        chapter_status=story.chapter_status,
        modified=max(edit for edit in edits if edit is not None).astimezone(UTC).replace(microsecond=0),
        chapters=[
            BookChapter(
                number=chapter.number,
                heading=strip_controls(chapter.heading),
                summary=prose(chapter.summary),
                notes=prose(chapter.notes),
                body=prose(chapter.body),
                end_notes=prose(chapter.end_notes),
            )
            for chapter in chapters
        ],
        series=[
            BookSeries(
                strip_controls(link.series.title), link.position, _absolute(site_url, link.series.get_absolute_url())
            )
            for link in SeriesWork.objects.filter(story=story).select_related("series").order_by("series__title", "pk")
        ],
    )


def _absolute(site_url: str, path: str) -> str:
    return site_url.rstrip("/") + path
