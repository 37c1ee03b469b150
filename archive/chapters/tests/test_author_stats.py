"""What a work's stats show its authors alone: a draft's own words and chapters, and subscribers."""

import re

import pytest

from archive.accounts.tests.factories import UserFactory
from archive.notifications.services import subscribe
from archive.publishing.services import add_chapter
from archive.stories.tests.factories import make_story

pytestmark = pytest.mark.django_db

CHAPTER = {"title": "", "notes": "", "end_notes": "", "body": "<p>Three more words.</p>"}


def stat(page: str, name: str) -> str | None:
    match = re.search(rf'<dd class="{name}">(.*?)</dd>', page, re.S)
    return match[1].strip() if match else None


def test_a_draft_counts_its_own_chapters_and_words_for_its_author(author, author_client):
    story = make_story(author=author, post=False, expected_chapters=2, body="<p>Five words in this one.</p>")
    add_chapter(story=story, fields=CHAPTER, post=False)

    for url in (story.get_absolute_url(), f"{story.get_absolute_url()}?view_full_work=true"):
        page = author_client.get(url).content.decode()
        assert stat(page, "words") == "8"
        assert stat(page, "chapters") == "2/2"


def test_a_draft_with_more_chapters_than_expected_never_reads_3_of_2(author, author_client):
    story = make_story(author=author, post=False, chapters=3, expected_chapters=2)

    assert stat(author_client.get(story.get_absolute_url()).content.decode(), "chapters") == "3/3"


def test_a_works_authors_see_its_subscribers_and_readers_do_not(author, author_client, reader_client):
    story = make_story(author=author, title="Followed")
    for _ in range(2):
        subscribe(user=UserFactory(), story=story)

    assert stat(author_client.get(story.get_absolute_url()).content.decode(), "subscribers") == "2"
    assert (
        stat(author_client.get(f"{story.get_absolute_url()}?view_full_work=true").content.decode(), "subscribers")
        == "2"
    )
    assert stat(reader_client.get(story.get_absolute_url()).content.decode(), "subscribers") is None
    assert stat(reader_client.get(story.get_absolute_url()).content.decode(), "words") is not None
