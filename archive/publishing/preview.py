"""Previews: a work or chapter as readers will see it, from a form's values, with nothing saved.

The preview is rendered by the reading page's own templates (chapters/includes/work_meta.html and
work_skin.html) from unsaved stand-ins: a story and chapter built from the form, with the authors and
tags they would have set as if prefetched. Nothing is written, so nothing is cached for others,
nobody is notified, and no counter moves; the page answers a POST, which no cache keeps.
"""

from dataclasses import dataclass, field

from django.http import HttpRequest
from django.utils import timezone

from archive.chapters.models import Chapter
from archive.core.prose import count_words
from archive.publishing.services import start_of_day
from archive.stories.models import Story, StoryTag
from archive.tags.services import is_marked_main, main_keys, preview_tags


def wanted(request: HttpRequest) -> bool:
    """The form's Preview button: show the page as readers will see it, and save nothing."""
    return request.method == "POST" and request.POST.get("action") == "preview"


@dataclass
class Preview:
    """What the reading templates need: the story, the chapter shown, and the chapters around it."""

    story: Story
    chapter: Chapter
    index: list[Chapter] = field(default_factory=list)
    next: Chapter | None = None


def _with_relations(
    story: Story,
    *,
    authors: list,
    tags_by_kind: dict[str, list[str]] | None,
    mains_by_kind: dict[str, list[str]] | None = None,
) -> Story:
    """Give the stand-in the authors and tags it would have, where the templates look for them."""
    cache = getattr(story, "_prefetched_objects_cache", {})
    cache["authors"] = list(authors)
    if tags_by_kind is not None:
        mains = main_keys(mains_by_kind)
        cache["tag_links"] = [StoryTag(tag=tag, main=is_marked_main(tag, mains)) for tag in preview_tags(tags_by_kind)]
    story._prefetched_objects_cache = cache
    return story


def _as_posted(story: Story, *, words: int, chapters: int) -> None:
    """The dates and counts readers will see once this is posted."""
    now = timezone.now()
    if story.is_draft:
        story.published_at = start_of_day(story.backdate) if story.backdate else now
        story.updated_at = story.published_at
    story.word_count, story.chapter_count = words, chapters
    if story.expected_chapters is not None:
        story.expected_chapters = max(story.expected_chapters, chapters)


def _chapter(fields: dict, *, story: Story, number: int, chapter: Chapter | None = None) -> Chapter:
    chapter = chapter or Chapter(story=story)
    for name, value in fields.items():
        setattr(chapter, name, value)
    chapter.story = story
    chapter.word_count = count_words(chapter.body)
    chapter.number = number
    if chapter.published_at is None:
        chapter.published_at = timezone.now()  # as readers will see it: not a draft
    return chapter


def new_work(
    *,
    author,
    story_fields: dict,
    tags_by_kind: dict[str, list[str]],
    chapter_fields: dict,
    mains_by_kind: dict[str, list[str]] | None = None,
) -> Preview:
    story = Story(**story_fields)
    # Many-to-many relations need an id even when prefetched; 0 is no work's, and nothing is saved.
    story.pk = 0
    _with_relations(story, authors=[author], tags_by_kind=tags_by_kind, mains_by_kind=mains_by_kind)
    chapter = _chapter(chapter_fields, story=story, number=1)
    chapter.pk = 0
    _as_posted(story, words=chapter.word_count, chapters=1)
    return Preview(story=story, chapter=chapter, index=[chapter])


def _readers_chapters(story: Story) -> list[Chapter]:
    """The chapters readers will see once the work is posted: posted ones, or all of a draft's."""
    chapters = story.chapters.order_by("position")
    if not story.is_draft:
        chapters = chapters.posted()
    chapters = list(chapters.defer("body", "notes", "end_notes", "summary"))
    for number, chapter in enumerate(chapters, start=1):
        chapter.number = number
    return chapters


def work_edit(
    *,
    story: Story,
    story_fields: dict,
    tags_by_kind: dict[str, list[str]],
    mains_by_kind: dict[str, list[str]] | None = None,
) -> Preview:
    """The work's first chapter page with these details; `story` comes from `for_reading()`. Its
    end notes show under the first chapter only when that is the last (elsewhere the preface says
    where they are), as on the reading page."""
    was_draft = story.is_draft
    backdate = story.backdate
    for name, value in story_fields.items():
        setattr(story, name, value)
    _with_relations(story, authors=story.authors.all(), tags_by_kind=tags_by_kind, mains_by_kind=mains_by_kind)
    index = _readers_chapters(story)
    first = Chapter.objects.get(pk=index[0].pk)
    first.number = 1
    first.story = story
    if was_draft:
        _as_posted(story, words=sum(c.word_count for c in index), chapters=len(index))
    elif story.backdate != backdate:
        # As `date_publication` will date it: the day set, or when its first chapter was posted.
        posted = min(entry.published_at for entry in index)
        story.published_at = start_of_day(story.backdate) if story.backdate else posted
    following = index[1] if len(index) > 1 else None
    return Preview(story=story, chapter=first, index=index, next=following)


def chapter(*, story: Story, chapter_fields: dict, chapter: Chapter | None = None) -> Preview:
    """A new chapter (`chapter` None) or an edit of `chapter`, as readers will see it once posted."""
    _with_relations(story, authors=story.authors.all(), tags_by_kind=None)
    index = _readers_chapters(story)
    if chapter is None:
        shown = _chapter(chapter_fields, story=story, number=len(index) + 1)
        shown.pk = 0  # no chapter's id: the preview links to nothing
        index.append(shown)
        words_before = 0
        if not story.is_draft:
            story.updated_at = shown.published_at  # a new chapter is an update readers see
    else:
        before = [entry for entry in index if entry.position < chapter.position]
        words_before = 0 if chapter.is_draft else chapter.word_count
        shown = _chapter(chapter_fields, story=story, number=len(before) + 1, chapter=chapter)
        index = [*before, shown, *[entry for entry in index if entry.position > chapter.position]]
    position = index.index(shown)
    following = index[position + 1] if position + 1 < len(index) else None
    if story.is_draft:
        _as_posted(story, words=sum(entry.word_count for entry in index), chapters=len(index))
    else:
        story.word_count = story.word_count - words_before + shown.word_count
        story.chapter_count = len(index)
        if story.expected_chapters is not None:
            story.expected_chapters = max(story.expected_chapters, len(index))
    return Preview(story=story, chapter=shown, index=index, next=following)
