"""The archive remembers, per registered reader and work, the last chapter opened and when."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from archive.accounts.tests.factories import UserFactory
from archive.history.models import Reading
from archive.history.services import RELOAD_WINDOW, record_reading
from archive.history.tests.factories import chapter_url, read, reading_of
from archive.publishing.services import add_chapter, delete_chapter
from archive.stories.models import Story
from archive.stories.tests.factories import make_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(author) -> Story:
    return make_story(author=author, title="The Long Way Round", chapters=10)


def writes_during(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in captured.captured_queries if not query["sql"].startswith("SELECT")]


def test_opening_a_chapter_remembers_it_and_when(story, reader_client, reader):
    reader_client.get(chapter_url(story, 7))

    reading = reading_of(reader, story)
    assert reading.chapter == story.chapters.get(position=7)
    assert reading.chapter_number == 7
    assert reading.last_read_at is not None


def test_opening_another_chapter_moves_the_place_in_one_upsert(story, reader_client, reader):
    reader_client.get(chapter_url(story, 3))

    writes = writes_during(reader_client, chapter_url(story, 4))

    assert len(writes) == 1 and "INSERT INTO" in writes[0] and "ON CONFLICT" in writes[0]
    assert reading_of(reader, story).chapter_number == 4
    assert Reading.objects.filter(user=reader).count() == 1


def test_reloading_a_chapter_writes_nothing(story, reader_client, reader):
    reader_client.get(chapter_url(story, 3))
    first_read = reading_of(reader, story).last_read_at

    assert writes_during(reader_client, chapter_url(story, 3)) == []
    assert reading_of(reader, story).last_read_at == first_read


def test_reading_the_same_chapter_again_later_moves_the_time(story, reader_client, reader):
    old = read(reader, story, 3, days_ago=RELOAD_WINDOW.total_seconds() / 86400 + 0.01)

    reader_client.get(chapter_url(story, 3))

    assert reading_of(reader, story).last_read_at > old.last_read_at


def test_the_work_page_records_a_first_visit_at_chapter_one(story, reader_client, reader):
    reader_client.get(story.get_absolute_url())

    assert reading_of(reader, story).chapter_number == 1


def test_the_work_page_never_moves_a_returning_reader_back_to_chapter_one(story, reader_client, reader):
    before = read(reader, story, 7, days_ago=2)

    reader_client.get(story.get_absolute_url())

    reading = reading_of(reader, story)
    assert reading.chapter_number == 7
    assert reading.last_read_at == before.last_read_at


def test_the_entire_work_records_the_last_chapter(story, reader_client, reader):
    reader_client.get(f"{story.get_absolute_url()}?view_full_work=true")

    assert reading_of(reader, story).chapter_number == 10


def test_guests_leave_no_history(story, client):
    client.get(chapter_url(story, 2))

    assert not Reading.objects.exists()


def test_authors_reading_their_own_work_leave_no_history(story, author_client):
    author_client.get(chapter_url(story, 2))

    assert not Reading.objects.exists()


def test_drafts_leave_no_history(author, author_client, reader):
    draft = make_story(author=author, post=False)
    chapter = draft.chapters.get()
    chapter.number = 1

    author_client.get(draft.get_absolute_url())

    assert record_reading(user=reader, story=draft, chapter=chapter) is None
    assert not Reading.objects.exists()


def test_a_draft_chapter_of_a_posted_work_leaves_no_history(story, reader):
    draft = add_chapter(
        story=story, fields={"title": "", "notes": "", "end_notes": "", "body": "<p>Soon.</p>"}, post=False
    )
    draft.number = 11

    assert record_reading(user=reader, story=story, chapter=draft) is None
    assert not Reading.objects.exists()


def test_a_deleted_chapter_leaves_the_reader_s_place_without_a_link(story, reader_client, reader):
    reader_client.get(chapter_url(story, 5))

    delete_chapter(chapter=story.chapters.get(position=5))

    reading = reading_of(reader, story)
    assert reading.chapter is None and reading.chapter_number == 5


def test_every_reader_has_their_own_place(story, reader_client, reader):
    other = UserFactory(username="other")
    other_client = Client()
    other_client.force_login(other)

    reader_client.get(chapter_url(story, 2))
    other_client.get(chapter_url(story, 9))

    assert reading_of(reader, story).chapter_number == 2
    assert reading_of(other, story).chapter_number == 9


# "Continue reading" on the work pages


def test_the_work_page_offers_to_continue_where_the_reader_left_off(story, reader_client, reader):
    read(reader, story, 7, days_ago=3)

    page = reader_client.get(story.get_absolute_url()).content.decode()

    assert "Continue reading: Chapter 7" in page
    assert f'href="{chapter_url(story, 7)}">Continue reading' in page


def test_a_chapter_page_offers_the_chapter_the_reader_read_before(story, reader_client, reader):
    read(reader, story, 7, days_ago=3)

    page = reader_client.get(chapter_url(story, 2)).content.decode()

    assert "Continue reading: Chapter 7" in page
    assert reading_of(reader, story).chapter_number == 2


def test_the_chapter_being_read_is_not_offered_again(story, reader_client, reader):
    read(reader, story, 7, days_ago=3)

    assert "Continue reading" not in reader_client.get(chapter_url(story, 7)).content.decode()


def test_a_first_visit_offers_nothing_to_continue(story, reader_client, client):
    assert "Continue reading" not in reader_client.get(story.get_absolute_url()).content.decode()
    assert "Continue reading" not in client.get(story.get_absolute_url()).content.decode()


def test_the_entire_work_jumps_to_the_chapter_the_reader_had_reached(story, reader_client, reader):
    read(reader, story, 4, days_ago=1)

    page = reader_client.get(f"{story.get_absolute_url()}?view_full_work=true").content.decode()

    assert '<a href="#chapter-4">Continue reading: Chapter 4</a>' in page


def test_continue_reading_counts_chapters_as_the_reader_does(story, reader_client, reader):
    read(reader, story, 7, days_ago=3)
    delete_chapter(chapter=story.chapters.get(position=2))

    page = reader_client.get(story.get_absolute_url()).content.decode()

    assert "Continue reading: Chapter 6" in page


# On PostgreSQL one statement reads the reader's place and moves it; SQLite reads, then moves.
READ_AND_MOVE = ["WITH"] if connection.vendor == "postgresql" else ["SELECT", "INSERT"]
MOVE = ["WITH"] if connection.vendor == "postgresql" else ["INSERT"]


def history_queries(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [query["sql"].split()[0] for query in captured.captured_queries if "history_reading" in query["sql"]]


def test_history_costs_a_first_visit_one_or_two_queries_the_next_chapter_one_a_reload_none(story, reader_client):
    assert history_queries(reader_client, chapter_url(story, 2)) == READ_AND_MOVE
    assert history_queries(reader_client, chapter_url(story, 2)) == []
    assert history_queries(reader_client, chapter_url(story, 3)) == MOVE
    assert history_queries(reader_client, story.get_absolute_url()) == []


def test_the_entire_work_costs_a_first_visit_the_same(story, reader_client):
    assert history_queries(reader_client, f"{story.get_absolute_url()}?view_full_work=true") == READ_AND_MOVE


def test_history_costs_a_guest_no_query(story, client):
    assert history_queries(client, chapter_url(story, 2)) == []
    assert history_queries(client, f"{story.get_absolute_url()}?view_full_work=true") == []


def test_a_reload_after_the_window_reads_the_place_again_and_moves_its_time(story, reader_client, reader):
    read(reader, story, 3, days_ago=1)

    assert history_queries(reader_client, chapter_url(story, 3)) == READ_AND_MOVE
    assert history_queries(reader_client, chapter_url(story, 3)) == []


def test_removing_a_work_from_the_history_forgets_the_cached_place_too(story, reader_client, reader):
    reader_client.get(chapter_url(story, 4))
    reader_client.post(f"/history/{story.pk}/remove")

    reader_client.get(chapter_url(story, 4))

    assert reading_of(reader, story).chapter_number == 4


def test_clearing_the_history_forgets_the_cached_places_too(story, reader_client, reader):
    reader_client.get(chapter_url(story, 4))
    reader_client.post("/history/clear")

    reader_client.get(chapter_url(story, 4))

    assert reading_of(reader, story).chapter_number == 4
