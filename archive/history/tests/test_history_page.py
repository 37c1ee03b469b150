"""/history: the reader's works, those with new chapters first, and the front page's "Continue reading"."""

from datetime import timedelta

import pytest
from django.utils import timezone

from archive.accounts.tests.factories import UserFactory
from archive.caching import versions
from archive.chapters.models import Chapter
from archive.core.tests.pages import listed_ids
from archive.history.models import Reading
from archive.history.tests.factories import post_chapter, read
from archive.publishing.services import delete_story
from archive.stories.models import Story
from archive.stories.tests.factories import make_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def works(author) -> list[Story]:
    """Three works of three chapters, posted a month ago."""
    works = [make_story(author=author, title=f"Work {n}", chapters=3) for n in range(3)]
    Chapter.objects.filter(story__in=works).update(published_at=timezone.now() - timedelta(days=30))
    return works


def test_the_history_page_asks_a_logged_out_visitor_to_log_in(client):
    response = client.get("/history")

    assert response.status_code == 302
    assert response["Location"].startswith("/users/login")


def test_the_history_lists_the_reader_s_works_most_recently_read_first(works, reader, reader_client):
    read(reader, works[0], 1, days_ago=3)
    read(reader, works[1], 2, days_ago=1)
    read(reader, works[2], 3, days_ago=2)

    response = reader_client.get("/history")

    assert listed_ids(response) == [works[1].pk, works[2].pk, works[0].pk]
    assert "Last read <a" in response.content.decode()


def test_works_with_chapters_posted_since_the_reader_last_read_come_first(works, reader, reader_client):
    read(reader, works[0], 3, days_ago=5)
    read(reader, works[1], 1, days_ago=1)
    read(reader, works[2], 2, days_ago=3)
    for _ in range(3):
        post_chapter(works[0])

    response = reader_client.get("/history")

    page = response.content.decode()
    assert listed_ids(response) == [works[0].pk, works[1].pk, works[2].pk]
    assert "3 new chapters" in page
    assert page.count('class="new-chapters"') == 1


def test_each_entry_links_the_last_chapter_read_and_the_next(works, reader, reader_client):
    read(reader, works[0], 2, days_ago=1)

    page = reader_client.get("/history").content.decode()

    second, third = works[0].chapters.get(position=2), works[0].chapters.get(position=3)
    assert f'<a href="{second.get_absolute_url()}">Chapter 2</a>' in page
    assert f'<a href="{third.get_absolute_url()}">Continue: Chapter 3</a>' in page


def test_a_reader_sees_only_their_own_history(works, reader, reader_client):
    read(UserFactory(username="someone-else"), works[0], 1)
    read(reader, works[1], 1)

    assert listed_ids(reader_client.get("/history")) == [works[1].pk]


def test_a_work_that_is_no_longer_visible_drops_out_of_the_history(works, reader, reader_client):
    for work in works:
        read(reader, work, 1)
    Story.objects.filter(pk=works[0].pk).update(published_at=None)  # back to a draft
    works[1].delete()

    assert listed_ids(reader_client.get("/history")) == [works[2].pk]


def test_a_work_restricted_to_registered_users_stays_in_the_history(author, reader, reader_client):
    restricted = make_story(author=author, restricted=True)
    read(reader, restricted, 1)

    assert listed_ids(reader_client.get("/history")) == [restricted.pk]


def test_an_empty_history_says_so(reader_client):
    assert "No history yet" in reader_client.get("/history").content.decode()


def test_removing_a_work_from_the_history(works, reader, reader_client):
    read(reader, works[0], 1)
    read(reader, works[1], 1)

    response = reader_client.post(f"/history/{works[0].pk}/remove", follow=True)

    assert listed_ids(response) == [works[1].pk]
    assert "no longer in your history" in response.content.decode()


def test_removing_only_touches_the_reader_s_own_history(works, reader, reader_client):
    other = UserFactory(username="someone-else")
    read(other, works[0], 1)

    reader_client.post(f"/history/{works[0].pk}/remove")

    assert Reading.objects.filter(user=other).count() == 1


def test_remove_only_answers_post(works, reader, reader_client):
    read(reader, works[0], 1)

    assert reader_client.get(f"/history/{works[0].pk}/remove").status_code == 405
    assert Reading.objects.count() == 1


def test_clearing_the_history_asks_first_then_forgets_everything_of_the_reader_s(works, reader, reader_client):
    other = UserFactory(username="someone-else")
    for work in works:
        read(reader, work, 1)
    read(other, works[0], 1)

    confirm = reader_client.get("/history/clear")
    assert confirm.status_code == 200 and "Clear your history?" in confirm.content.decode()
    assert Reading.objects.filter(user=reader).count() == 3

    response = reader_client.post("/history/clear", follow=True)

    assert "Your history is empty." in response.content.decode()
    assert not Reading.objects.filter(user=reader).exists()
    assert Reading.objects.filter(user=other).count() == 1


def test_the_history_pages_twenty_at_a_time(author, reader, reader_client):
    for number in range(23):
        read(reader, make_story(author=author, title=f"Work {number}"), 1, days_ago=number)

    first, second = reader_client.get("/history"), reader_client.get("/history?page=2")

    assert len(listed_ids(first)) == 20 and len(listed_ids(second)) == 3
    assert "1–20 of 23 works" in first.content.decode()


def test_a_page_past_the_end_says_so(works, reader, reader_client):
    read(reader, works[0], 1)

    response = reader_client.get("/history?page=5")

    assert response.status_code == 200
    assert "There is no page 5" in response.content.decode()


@pytest.mark.parametrize("count", [1, 12])
def test_the_history_page_costs_the_same_queries_however_many_works(
    count, author, reader, reader_client, django_assert_max_num_queries
):
    for number in range(count):
        work = make_story(
            author=author,
            title=f"Work {number}",
            chapters=2,
            characters=[f"Character {number}"],
            freeforms=[f"Trope {number}"],
        )
        work.authors.add(UserFactory(username=f"coauthor{number}"))
        read(reader, work, 1, days_ago=number)
        post_chapter(work)

    # Session, user, unread notifications, count, page of readings, stories, their authors, tag
    # links, tags.
    with django_assert_max_num_queries(9):
        response = reader_client.get("/history")

    assert len(listed_ids(response)) == count


# The front page's "Continue reading" box


def test_the_front_page_offers_the_reader_s_most_recent_works_with_their_next_chapter(works, reader, reader_client):
    read(reader, works[0], 1, days_ago=3)
    read(reader, works[1], 3, days_ago=1)

    page = reader_client.get("/").content.decode()

    box = page[page.index('<section class="continue-box"') : page.index("</section>")]
    assert box.index("Work 1") < box.index("Work 0")
    next_chapter = works[0].chapters.get(position=2)
    assert f'<a href="{next_chapter.get_absolute_url()}">Chapter 2</a> <span class="next-label">(next)</span>' in box
    last_chapter = works[1].chapters.get(position=3)
    assert f'<a href="{last_chapter.get_absolute_url()}">Chapter 3</a>' in box


def test_the_front_page_box_shows_five_works_at_most(author, reader, reader_client):
    for number in range(7):
        read(reader, make_story(author=author, title=f"Work {number}"), 1, days_ago=number)

    page = reader_client.get("/").content.decode()

    box = page[page.index('<section class="continue-box"') : page.index("</section>")]
    assert box.count("<li>") == 5
    assert "Work 5" not in box and "Work 4" in box


def test_the_front_page_box_leaves_out_works_the_reader_can_no_longer_see(works, reader, reader_client):
    read(reader, works[0], 1)
    Story.objects.filter(pk=works[0].pk).update(published_at=None)

    assert "continue-box" not in reader_client.get("/").content.decode()


def test_the_front_page_box_costs_a_reader_two_queries_once_and_a_guest_none(
    works, reader, reader_client, client, django_assert_max_num_queries
):
    client.get("/")
    reader_client.get("/")  # warm per-process caches
    with django_assert_max_num_queries(100) as without_history:
        reader_client.get("/")
    for number, work in enumerate(works):
        read(reader, work, 2, days_ago=number)

    with django_assert_max_num_queries(len(without_history) + 2) as first:
        page = reader_client.get("/").content.decode()
    with django_assert_max_num_queries(len(without_history)) as again:
        again_page = reader_client.get("/").content.decode()
    with django_assert_max_num_queries(100) as guest:
        client.get("/")

    def box(html: str) -> str:
        return html[html.index('<section class="continue-box"') : html.index("</section>")]

    assert box(again_page) == box(page)  # the box is kept until they read on
    assert not any("history_reading" in query["sql"] for query in guest.captured_queries)
    # The works it may list (whose versions are read before its rows), then the box itself.
    assert sum("history_reading" in query["sql"] for query in first.captured_queries) == 2
    assert not any("history_reading" in query["sql"] for query in again.captured_queries)


def _box_queries(captured) -> int:
    return sum("history_reading" in query["sql"] for query in captured.captured_queries)


def _box(reader_client) -> str:
    page = reader_client.get("/").content.decode()
    return page[page.index('<section class="continue-box"') : page.index("</section>")]


def test_the_box_is_not_made_again_for_a_chapter_posted_in_a_work_it_does_not_list(
    works, reader, reader_client, django_assert_max_num_queries
):
    read(reader, works[0], 3)
    before = _box(reader_client)
    post_chapter(make_story(title="Someone else's work"))  # every list of works changes: not the box

    with django_assert_max_num_queries(100) as captured:
        assert _box(reader_client) == before

    assert _box_queries(captured) == 0


def test_a_chapter_posted_in_a_work_the_box_lists_shows_in_it_at_once(works, reader, reader_client):
    read(reader, works[0], 3)
    assert "(next)" not in _box(reader_client)

    chapter = post_chapter(works[0])

    box = _box(reader_client)
    assert f'<a href="{chapter.get_absolute_url()}">Chapter 4</a> <span class="next-label">(next)</span>' in box


def test_a_work_the_box_lists_leaves_it_at_once_when_deleted_or_drafted(works, reader, reader_client):
    for number, work in enumerate(works):
        read(reader, work, 1, days_ago=number)
    assert all(f"Work {number}" in _box(reader_client) for number in range(3))

    delete_story(story=works[0])
    Story.objects.filter(pk=works[1].pk).update(published_at=None)  # drafted again, as the services do
    versions.changed(story_ids=[works[1].pk], listings=True)

    box = _box(reader_client)
    assert "Work 0" not in box and "Work 1" not in box and "Work 2" in box


def test_the_box_shows_a_work_past_the_tenth_when_those_before_it_are_gone(author, reader, reader_client):
    works = [make_story(author=author, title=f"Work {number}") for number in range(12)]
    for number, work in enumerate(works):
        read(reader, work, 1, days_ago=number)
    Story.objects.filter(pk__in=[work.pk for work in works[:8]]).update(published_at=None)
    versions.changed(story_ids=[work.pk for work in works[:8]], listings=True)

    box = _box(reader_client)
    assert box.count("<li>") == 4 and "Work 11" in box
    # Found past the works whose versions it read first: made again on each view, never stale.
    post_chapter(works[11])
    assert "(next)" in _box(reader_client)
