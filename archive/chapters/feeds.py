"""The Atom feed of a work's new chapters.

Only a work an anonymous reader may find has a feed (a draft's is a 404), and only its posted
chapters appear, numbered as a reader counts them. Entries announce a chapter rather than carry
its text: the text stays behind the work page (and its adult-content warning).
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.humanize.templatetags.humanize import intcomma
from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.html import format_html

from archive.caching.pages import SharedPage
from archive.chapters.models import Chapter
from archive.core.prose import sanitize_html, strip_controls
from archive.stories.feeds import FEED_SIZE, MultiAuthorAtom1Feed, authors_of
from archive.stories.models import Story

FEED_FIELDS = ["id", "story_id", "position", "title", "published_at", "word_count"]


class StoryChaptersFeed(Feed):
    """/works/<id>/chapters/feed.atom: a work's posted chapters, newest first."""

    feed_type = MultiAuthorAtom1Feed
    shared_page = SharedPage(work="story_id", anyone=True)  # the same for every reader: kept

    def get_object(self, request: HttpRequest, story_id: int) -> Story:
        stories = Story.objects.visible_to(AnonymousUser()).defer(
            "search_vector", "filter_ids", "role_ids", "notes", "end_notes"
        )
        return get_object_or_404(stories.with_authors(), pk=story_id)

    def items(self, story: Story) -> list[Chapter]:
        chapters = Chapter.objects.only(*FEED_FIELDS).numbered_for(story, AnonymousUser())
        for chapter in chapters:
            chapter.story = story
        chapters.sort(key=lambda chapter: (chapter.published_at, chapter.position), reverse=True)
        return chapters[:FEED_SIZE]

    def title(self, story: Story) -> str:
        return strip_controls(f"{story.title}: new chapters · {settings.SITE_NAME}")

    def link(self, story: Story) -> str:
        return story.get_absolute_url()

    def item_title(self, chapter: Chapter) -> str:
        # Text, escaped once when written; the same as the chapter page's <title>.
        return strip_controls(f"{chapter.story.title} - {chapter.heading}")

    def item_description(self, chapter: Chapter) -> str:
        story = chapter.story
        # HTML from user text: sanitized last, like every summary in a feed.
        return sanitize_html(
            format_html(
                "<p>{} of {} · Words: {} · Chapters: {}</p>",
                chapter.heading,
                story.title,
                intcomma(chapter.word_count),
                story.chapter_status,
            )
        )

    def item_pubdate(self, chapter: Chapter):
        return chapter.published_at

    def item_updateddate(self, chapter: Chapter):
        # Readers got the chapter when it was posted; later edits are not news.
        return chapter.published_at

    def item_extra_kwargs(self, chapter: Chapter) -> dict:
        return {"authors": authors_of(chapter.story)}
