"""Authors who chose e-mail for kudos, bookmarks and subscribers get the day's digest lines in one
e-mail, the next day (`manage.py send_digests`), only at a confirmed address, and only once."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from archive.accounts.tests.factories import UserFactory, logged_in
from archive.bookmarks.services import create_bookmark
from archive.kudos.models import Kudos
from archive.kudos.services import leave_kudos
from archive.notifications.models import Notification, Preferences, Subscription
from archive.notifications.services import digest_day, email_digests, subscribe
from archive.stories.tests.factories import make_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(author):
    return make_story(author=author, title="The Pomegranate Seeds", fandoms=["Greek Mythology"])


def readers_came(story, author) -> None:
    for _ in range(2):
        leave_kudos(story=story, user=UserFactory(), ip="")
    leave_kudos(story=story, user=AnonymousUser(), ip="192.0.2.7")
    create_bookmark(user=UserFactory(), story=story)
    create_bookmark(user=UserFactory(), story=story, private=True)
    subscribe(user=UserFactory(), story=story)
    subscribe(user=UserFactory(), author=author)


def today():
    return digest_day(timezone.now())


def send_digests(day=None) -> int:
    """A day's digests, with the jobs they queue once they commit: the e-mails leave the outbox."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return email_digests(day=day)


def run_send_digests(*args) -> None:
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("send_digests", *args, verbosity=0)


def test_an_author_gets_the_days_kudos_bookmarks_and_subscribers_in_one_email_text_and_html(author, story):
    readers_came(story, author)

    assert send_digests(today()) == 1

    [message] = mail.outbox
    assert message.to == [author.email]
    assert message.subject.startswith("Your works on ")
    assert message.subject.endswith(": kudos, bookmarks and subscribers")
    lines = [line.strip() for line in message.body.splitlines()]
    expected = [
        "- 3 readers left kudos on “The Pomegranate Seeds”",
        "- A reader bookmarked “The Pomegranate Seeds”",
        "- A reader subscribed to “The Pomegranate Seeds”",
        "- A reader subscribed to you",
    ]
    assert [line for line in lines if line.startswith("- ")] == expected
    assert any(line.endswith(f"{story.get_absolute_url()}#kudos") for line in lines)
    [(html, kind)] = message.alternatives
    assert kind == "text/html"
    assert f'{story.get_absolute_url()}#kudos">3 readers left kudos on “The Pomegranate Seeds”</a>' in html
    assert "/preferences" in html and "/preferences" in message.body


def test_each_author_of_a_shared_work_gets_their_own(author, story):
    co_author = UserFactory(username="co")
    story.authors.add(co_author)
    leave_kudos(story=story, user=UserFactory(), ip="")

    send_digests(today())

    assert sorted(message.to[0] for message in mail.outbox) == sorted([author.email, co_author.email])


def test_sending_a_day_twice_sends_nothing_twice(author, story):
    readers_came(story, author)

    assert send_digests(today()) == 1
    assert send_digests(today()) == 0
    assert len(mail.outbox) == 1


def test_nothing_goes_to_an_unconfirmed_or_missing_address(author, story):
    leave_kudos(story=story, user=UserFactory(), ip="")
    author.email_verified = False
    author.save(update_fields=["email_verified"])
    other = make_story(author=UserFactory(email=""), title="No Address")
    leave_kudos(story=other, user=UserFactory(), ip="")

    assert send_digests(today()) == 0
    assert mail.outbox == []


def test_an_author_chooses_which_digests_come_by_email(author, story):
    readers_came(story, author)
    Preferences.objects.create(user=author, email_kudos_on_your_work=False, email_subscriber_to_you=False)

    send_digests(today())

    assert "kudos" not in mail.outbox[0].body
    assert "A reader bookmarked" in mail.outbox[0].body
    assert "subscribed to you" not in mail.outbox[0].body


def test_an_author_with_every_digest_email_off_gets_none(author, story):
    readers_came(story, author)
    Preferences.objects.create(
        user=author,
        email_kudos_on_your_work=False,
        email_bookmark_of_your_work=False,
        email_subscriber_to_your_work=False,
        email_subscriber_to_you=False,
    )

    assert send_digests(today()) == 0


def test_an_author_who_turned_the_inbox_lines_off_still_gets_the_email(author, story):
    Preferences.objects.create(user=author, inbox_kudos_on_your_work=False)

    leave_kudos(story=story, user=UserFactory(), ip="")
    send_digests(today())

    assert not Notification.objects.filter(recipient=author).exists()
    assert "A reader left kudos on “The Pomegranate Seeds”" in mail.outbox[0].body


def test_send_digests_mails_yesterdays_and_only_yesterdays(author, story):
    leave_kudos(story=story, user=UserFactory(), ip="")
    leave_kudos(story=story, user=UserFactory(), ip="")
    Kudos.objects.filter(pk=Kudos.objects.first().pk).update(created_at=timezone.now() - timedelta(days=1))
    subscribe(user=UserFactory(), story=story)  # today's: tomorrow's e-mail

    run_send_digests()

    [message] = mail.outbox
    assert "- A reader left kudos on “The Pomegranate Seeds”" in message.body
    assert "subscribed" not in message.body
    run_send_digests("--day", today().isoformat())
    assert "- A reader subscribed to “The Pomegranate Seeds”" in mail.outbox[1].body


def test_an_authors_own_bookmark_of_their_work_is_not_in_their_digest(author, story):
    create_bookmark(user=author, story=story)
    leave_kudos(story=story, user=UserFactory(), ip="")

    send_digests(today())

    assert "bookmarked" not in mail.outbox[0].body


def test_the_email_costs_the_same_queries_however_many_authors_and_works(author, django_assert_max_num_queries):
    def busy_author(name):
        writer = UserFactory(username=name)
        for number in range(3):
            work = make_story(author=writer, title=f"{name} {number}")
            leave_kudos(story=work, user=UserFactory(), ip="")
            subscribe(user=UserFactory(), story=work)
        subscribe(user=UserFactory(), author=writer)

    busy_author("first")
    with django_assert_max_num_queries(20) as few:
        send_digests(today())
    for name in ("second", "third", "fourth"):
        busy_author(name)
    with django_assert_max_num_queries(len(few.captured_queries)):
        send_digests(today())
    assert len(mail.outbox) == 4
    assert Subscription.objects.count() == 16


def test_the_preferences_page_offers_the_digests_by_email(author):
    client = logged_in(author)
    page = client.get("/preferences").content.decode()
    assert 'name="email_kudos_on_your_work"' in page
    assert "By e-mail (one e-mail a day, with the day&#x27;s counts)" in page

    fields = dict.fromkeys(("inbox_kudos_on_your_work", "email_bookmark_of_your_work"), "on")
    client.post("/preferences", fields)

    preferences = Preferences.objects.get(user=author)
    assert (preferences.email_kudos_on_your_work, preferences.email_bookmark_of_your_work) == (False, True)
