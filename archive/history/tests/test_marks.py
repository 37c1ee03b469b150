"""A reader can turn their history off (nothing is recorded), clear it, and mark a work read or unread."""

import pytest
from django.urls import reverse

from archive.history.models import Reading
from archive.history.tests.factories import chapter_url, read, reading_of
from archive.stories.models import Story
from archive.stories.tests.factories import make_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(author) -> Story:
    return make_story(author=author, title="The Long Way Round", chapters=4)


def test_turning_history_off_records_nothing_until_it_is_turned_on(story, reader_client, reader):
    response = reader_client.post(reverse("history:switch"), {"keep": "off"}, follow=True)

    assert "Your history is off" in response.text
    assert "Turn history on" in response.text
    page = reader_client.get(chapter_url(story, 2))
    assert "reading history</a> is off" in page.text
    assert reading_of(reader, story) is None

    reader_client.post(reverse("history:switch"), {"keep": "on"})
    reader_client.get(chapter_url(story, 3))
    assert reading_of(reader, story).chapter_number == 3


def test_turning_history_off_keeps_what_it_holds(story, reader_client, reader):
    read(reader, story, 2)

    reader_client.post(reverse("history:switch"), {"keep": "off"})
    reader_client.get(chapter_url(story, 4))

    assert reading_of(reader, story).chapter_number == 2
    assert "The Long Way Round" in reader_client.get(reverse("history:list")).text


def test_clearing_asks_first_then_empties_the_history(story, reader_client, reader):
    read(reader, story, 2)

    confirm = reader_client.get(reverse("history:clear"))
    assert "Yes, clear my history" in confirm.text
    assert reading_of(reader, story) is not None

    response = reader_client.post(reverse("history:clear"), follow=True)
    assert "Your history is empty." in response.text
    assert not Reading.objects.filter(user=reader).exists()


def test_a_work_page_offers_mark_as_read_which_records_the_last_chapter(story, reader_client, reader):
    page = reader_client.get(chapter_url(story, 1))
    assert "Mark as read" in page.text and "Mark as unread" in page.text

    response = reader_client.post(reverse("history:mark_read", args=[story.pk]), follow=True)

    assert "“The Long Way Round” is marked as read." in response.text
    reading = reading_of(reader, story)
    assert reading.chapter_number == 4
    assert reading.chapter == story.chapters.get(position=4)


def test_the_last_chapter_offers_only_mark_as_unread(story, reader_client):
    page = reader_client.get(chapter_url(story, 4))

    assert "Mark as unread" in page.text
    assert ">Mark as read<" not in page.text


def test_mark_as_unread_takes_the_work_out_of_the_history(story, reader_client, reader):
    reader_client.get(chapter_url(story, 2))

    response = reader_client.post(reverse("history:remove", args=[story.pk]), follow=True)

    assert "marked unread" in response.text
    assert reading_of(reader, story) is None


def test_the_history_page_marks_a_work_read_too(story, reader_client, reader):
    read(reader, story, 1)

    page = reader_client.get(reverse("history:list"))
    assert "as read</button>" in page.text

    reader_client.post(reverse("history:mark_read", args=[story.pk]))
    assert reading_of(reader, story).chapter_number == 4
    assert "as read</button>" not in reader_client.get(reverse("history:list")).text


def test_nothing_can_be_marked_read_while_history_is_off(story, reader_client, reader):
    reader_client.post(reverse("history:switch"), {"keep": "off"})

    response = reader_client.post(reverse("history:mark_read", args=[story.pk]), follow=True)

    assert "Your history is off: turn it on" in response.text
    assert reading_of(reader, story) is None


@pytest.mark.parametrize("whose", ["own", "draft"])
def test_own_works_and_drafts_cannot_be_marked_read(whose, author, author_client, story):
    target = story if whose == "own" else make_story(author=author, title="Draft", post=False)

    response = author_client.post(reverse("history:mark_read", args=[target.pk]))

    assert response.status_code == 404
    assert not Reading.objects.exists()


def test_guests_are_sent_to_log_in(story, client):
    response = client.post(reverse("history:mark_read", args=[story.pk]))

    assert response.status_code == 302 and "login" in response["Location"]
    assert not Reading.objects.exists()


def test_marking_read_a_work_whose_reading_went_behind_the_caches_back_records_it(story, reader_client, reader):
    """The place kept in the cache may name a reading no longer in the database (found by the
    malformed-request crawl: a 500); marking read writes it again."""
    reader_client.get(story.chapters.order_by("-position").first().get_absolute_url())  # its place is kept
    assert Reading.objects.filter(user=reader, story=story).exists()
    Reading.objects.filter(user=reader, story=story).delete()  # as a delete that skips the cache

    response = reader_client.post(reverse("history:mark_read", args=[story.pk]))

    assert response.status_code == 302
    assert Reading.objects.filter(user=reader, story=story).exists()
