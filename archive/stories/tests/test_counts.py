"""A work's counts have one owner (archive/stories/counts.py): whatever changes, they match their rows."""

import pytest

from archive.accounts.tests.factories import UserFactory
from archive.bookmarks.services import create_bookmark, delete_bookmark, update_bookmark
from archive.comments.services import approve_comment, delete_comment, post_comment
from archive.kudos.models import Kudos
from archive.kudos.services import leave_kudos, remove_kudos
from archive.publishing.services import add_chapter, delete_chapter, update_chapter
from archive.stories.counts import refresh_story_counts, stale_story_counts
from archive.stories.models import Story
from archive.stories.tests.factories import BLANK_WORK_FORM, make_story

pytestmark = pytest.mark.django_db

CHAPTER = {"title": "", "notes": "", "end_notes": "", "body": "<p>Three more words.</p>"}


def _reload(story: Story) -> Story:
    return Story.objects.get(pk=story.pk)


def test_held_and_deleted_comments_stay_out_of_the_count_when_a_chapter_changes(author):
    story = make_story(author=author, chapters=2, moderate_comments=True)
    chapter = story.chapters.get(position=1)
    reader = UserFactory()
    post_comment(chapter=chapter, user=reader, body="Held for approval.")
    approve_comment(comment=post_comment(chapter=chapter, user=reader, body="Approved."))
    placeholder = post_comment(chapter=chapter, user=author, body="Deleted, kept for its reply.")
    post_comment(chapter=chapter, user=author, body="The reply that keeps it.", parent=placeholder)
    delete_comment(comment=placeholder)
    assert _reload(story).comment_count == 2

    # Editing or adding a chapter used to recount every comment row, held and deleted alike.
    update_chapter(chapter=story.chapters.get(position=2), fields={"body": "<p>Edited.</p>"})
    add_chapter(story=story, fields=CHAPTER, post=True)

    assert _reload(story).comment_count == 2
    assert stale_story_counts([story.pk]) == []


def test_a_work_counts_only_what_every_reader_sees(author):
    story = make_story(author=author, moderate_comments=True)
    chapter = story.chapters.get()
    reader = UserFactory()
    post_comment(chapter=chapter, user=reader, body="Held.")
    approve_comment(comment=post_comment(chapter=chapter, user=reader, body="Approved."))
    gone = post_comment(chapter=chapter, user=author, body="Posted by the author, then deleted.")
    delete_comment(comment=gone)
    add_chapter(story=story, fields=CHAPTER, post=True)

    assert _reload(story).comment_count == 1
    assert stale_story_counts([story.pk]) == []


def test_deleting_a_chapter_takes_its_comments_out_of_the_count(author, reader):
    story = make_story(author=author, chapters=2)
    post_comment(chapter=story.chapters.get(position=2), user=reader, body="On chapter two.")
    post_comment(chapter=story.chapters.get(position=1), user=reader, body="On chapter one.")
    delete_chapter(chapter=story.chapters.get(position=2))

    story = _reload(story)
    assert story.comment_count == 1
    assert story.chapter_count == 1
    assert stale_story_counts([story.pk]) == []


def test_posting_past_the_expected_chapters_raises_the_expectation(author):
    story = make_story(author=author, chapters=3, expected_chapters=3)
    assert _reload(story).chapter_status == "3/3"

    add_chapter(story=story, fields=CHAPTER, post=True)

    story = _reload(story)
    assert story.chapter_status == "4/4"
    assert story.is_complete


def test_a_draft_chapter_past_the_expected_count_waits_until_it_is_posted(author):
    story = make_story(author=author, chapters=2, expected_chapters=2)
    draft = add_chapter(story=story, fields=CHAPTER, post=False)
    assert _reload(story).chapter_status == "2/2"

    update_chapter(chapter=draft, fields={}, post=True)

    assert _reload(story).chapter_status == "3/3"


def test_the_work_page_never_reads_more_chapters_than_expected(client, author):
    story = make_story(author=author, chapters=3, expected_chapters=3)
    add_chapter(story=story, fields=CHAPTER, post=True)

    page = client.get(story.get_absolute_url()).content.decode()

    assert "4/4" in page
    assert "4/3" not in page


def test_an_author_cannot_expect_fewer_chapters_than_are_posted(author, author_client):
    story = make_story(author=author, chapters=3, expected_chapters=5)
    form = {**BLANK_WORK_FORM, "title": story.title, "fandoms": "Greek Mythology", "expected_chapters": "2"}

    response = author_client.post(f"/works/{story.pk}/edit", form)

    assert response.status_code == 200
    assert "already has 3 posted chapters" in response.content.decode()
    assert _reload(story).expected_chapters == 5


def test_kudos_bookmarks_and_their_removal_keep_the_counts_exact(author):
    story = make_story(author=author)
    readers = UserFactory.create_batch(3)
    for reader in readers:
        leave_kudos(story=story, user=reader, ip="")
    public = create_bookmark(user=readers[0], story=story)
    private = create_bookmark(user=readers[1], story=story, private=True)
    update_bookmark(bookmark=private, note="", tags=[], private=False)
    update_bookmark(bookmark=public, note="", tags=[], private=True)
    delete_bookmark(bookmark=private)
    remove_kudos(kudos=Kudos.objects.filter(story=story).first())

    story = _reload(story)
    assert (story.kudos_count, story.bookmark_count) == (2, 0)
    assert stale_story_counts([story.pk]) == []


def test_a_recount_repairs_counts_written_around_the_services(author):
    story = make_story(author=author, chapters=2)
    Story.objects.filter(pk=story.pk).update(word_count=1, chapter_count=0, comment_count=9, kudos_count=4)
    assert {field for _, field, _, _ in stale_story_counts([story.pk])} == {
        "word_count",
        "chapter_count",
        "comment_count",
        "kudos_count",
    }

    refresh_story_counts([story.pk])

    assert stale_story_counts([story.pk]) == []
