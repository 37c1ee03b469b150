"""Kudos, public bookmarks and new subscribers reach a work's authors as one line a work a day."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive.accounts.tests.factories import UserFactory
from archive.bookmarks.services import create_bookmark
from archive.kudos.services import leave_kudos
from archive.notifications.models import Kind, Notification, Preferences
from archive.notifications.services import subscribe, unsubscribe
from archive.stories.tests.factories import make_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(author):
    return make_story(author=author, title="The Pomegranate Seeds", fandoms=["Greek Mythology"])


def lines(user) -> list[tuple[str, str, int]]:
    return list(Notification.objects.filter(recipient=user).order_by("id").values_list("kind", "text", "count"))


def test_kudos_from_three_readers_are_one_line_that_counts_them(author, story):
    leave_kudos(story=story, user=UserFactory(), ip="")
    assert lines(author) == [(Kind.KUDOS_ON_YOUR_WORK, "A reader left kudos on “The Pomegranate Seeds”", 1)]

    leave_kudos(story=story, user=UserFactory(), ip="")
    leave_kudos(story=story, user=AnonymousUser(), ip="192.0.2.7")

    assert lines(author) == [(Kind.KUDOS_ON_YOUR_WORK, "3 readers left kudos on “The Pomegranate Seeds”", 3)]


def test_a_digest_read_yesterday_is_unread_again_with_the_next_kudos_and_tomorrow_starts_a_new_line(author, story):
    leave_kudos(story=story, user=UserFactory(), ip="")
    Notification.objects.update(read_at=Notification.objects.get().created_at)

    leave_kudos(story=story, user=UserFactory(), ip="")
    assert Notification.objects.get().is_unread

    Notification.objects.update(day=Notification.objects.get().day - timedelta(days=1))
    leave_kudos(story=story, user=UserFactory(), ip="")
    assert [count for _, _, count in lines(author)] == [2, 1]


def test_a_kudos_costs_one_statement_for_the_inbox_however_many_authors(author, story):
    co_authors = UserFactory.create_batch(3)
    story.authors.add(*co_authors)
    reader = UserFactory()

    with CaptureQueriesContext(connection) as queries:
        leave_kudos(story=story, user=reader, ip="")

    assert sum("notifications_notification" in query["sql"] for query in queries.captured_queries) == 1
    for user in [author, *co_authors]:
        assert lines(user) == [(Kind.KUDOS_ON_YOUR_WORK, "A reader left kudos on “The Pomegranate Seeds”", 1)]
    assert lines(reader) == []


def test_public_bookmarks_and_subscribers_are_counted_and_private_bookmarks_are_not(author, story):
    create_bookmark(user=UserFactory(), story=story)
    create_bookmark(user=UserFactory(), story=story, private=True)
    subscribe(user=UserFactory(), story=story)
    subscribe(user=UserFactory(), story=story)

    assert lines(author) == [
        (Kind.BOOKMARK_OF_YOUR_WORK, "A reader bookmarked “The Pomegranate Seeds”", 1),
        (Kind.SUBSCRIBER_TO_YOUR_WORK, "2 readers subscribed to “The Pomegranate Seeds”", 2),
    ]


def test_an_author_who_turned_kudos_off_hears_nothing_of_them(author, story):
    Preferences.objects.create(user=author, inbox_kudos_on_your_work=False)

    leave_kudos(story=story, user=UserFactory(), ip="")

    assert lines(author) == []


def test_a_comment_notification_names_the_chapter_and_quotes_the_start_of_the_comment(
    author, reader, story, django_capture_on_commit_callbacks
):
    from archive.comments.services import post_comment
    from archive.publishing.services import add_chapter

    chapter = add_chapter(
        story=story, fields={"title": "", "notes": "", "end_notes": "", "body": "<p>Up.</p>"}, post=True
    )
    long_comment = "I loved how the seeds come back. " * 10

    with django_capture_on_commit_callbacks(execute=True):
        post_comment(chapter=chapter, user=reader, body=long_comment)

    [text] = Notification.objects.filter(recipient=author).values_list("text", flat=True)
    assert text.startswith(
        "reader commented on Chapter 2 of “The Pomegranate Seeds”: “I loved how the seeds come back."
    )
    assert text.endswith("…”")
    assert len(text) < 250


def test_the_dashboard_shows_an_author_their_subscribers(author, author_client, story):
    quiet = make_story(author=author, title="Nobody Follows This")
    for _ in range(2):
        subscribe(user=UserFactory(), story=story)
    subscribe(user=UserFactory(), author=author)

    page = author_client.get("/dashboard").content.decode()

    assert "1 reader subscribed to you" in page
    assert "The Pomegranate Seeds</a>: 2 subscribers" in page
    assert quiet.title not in page.split("Your subscribers")[1].split("</section>")[0]


def test_readers_subscribing_to_an_author_are_one_line_a_day_about_the_author(author):
    subscribe(user=UserFactory(), author=author)
    subscribe(user=UserFactory(), author=author)

    assert lines(author) == [(Kind.SUBSCRIBER_TO_YOU, "2 readers subscribed to you", 2)]
    assert Notification.objects.get().url == author.get_absolute_url()


def test_a_reader_who_unsubscribes_leaves_the_days_digest_line(author, story):
    first, second = UserFactory(), UserFactory()
    for reader in (first, second):
        subscribe(user=reader, story=story)
        subscribe(user=reader, author=author)

    unsubscribe(user=first, story=story)
    unsubscribe(user=first, author=author)

    assert lines(author) == [
        (Kind.SUBSCRIBER_TO_YOUR_WORK, "A reader subscribed to “The Pomegranate Seeds”", 1),
        (Kind.SUBSCRIBER_TO_YOU, "A reader subscribed to you", 1),
    ]

    unsubscribe(user=second, story=story)
    unsubscribe(user=second, author=author)

    assert lines(author) == []
