"""The subscribe buttons, the inbox, the subscriptions list and the preferences page, as a reader uses them."""

import json
from datetime import timedelta
from itertools import count

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.utils import timezone

from archive.accounts.tests.factories import UserFactory
from archive.notifications.context_processors import unread_notifications
from archive.notifications.forms import PREFERENCE_FIELDS
from archive.notifications.models import Kind, Notification, Preferences, Subscription
from archive.notifications.services import subscribe
from archive.stories.models import Story
from archive.stories.tests.factories import make_story
from archive.tags.models import Tag

pytestmark = pytest.mark.django_db

SUBSCRIBE_FORM = 'class="subscribe-form"'
_chapter_ids = count(1)


@pytest.fixture
def story(author) -> Story:
    return make_story(author=author, title="The Pomegranate Seeds", characters=["Persephone"])


@pytest.fixture
def persephone(story) -> Tag:
    return Tag.objects.named("Persephone").get()


def notify(user, story: Story, text: str, *, minutes_ago: int = 0, read: bool = False) -> Notification:
    created = timezone.now() - timedelta(minutes=minutes_ago)
    return Notification.objects.create(
        recipient=user,
        kind=Kind.NEW_CHAPTER,
        chapter_id=next(_chapter_ids),
        story=story,
        text=text,
        url=story.get_absolute_url(),
        created_at=created,
        read_at=created if read else None,
    )


def page_urls(story: Story) -> dict[str, str]:
    return {"work": story.get_absolute_url(), "author": "/users/author/works", "tag": "/tags/Persephone/works"}


# The buttons


@pytest.mark.parametrize("page", ["work", "author", "tag"])
def test_a_reader_sees_a_subscribe_button_on_works_authors_and_tags(reader_client, story, page):
    content = reader_client.get(page_urls(story)[page]).content.decode()

    assert SUBSCRIBE_FORM in content
    assert "js/subscriptions.js" in content


@pytest.mark.parametrize("page", ["work", "author", "tag"])
def test_guests_see_no_subscribe_button(client, story, page):
    assert SUBSCRIBE_FORM not in client.get(page_urls(story)[page]).content.decode()


@pytest.mark.parametrize("page", ["work", "author"])
def test_authors_see_no_button_to_subscribe_to_themselves(author_client, story, page):
    assert SUBSCRIBE_FORM not in author_client.get(page_urls(story)[page]).content.decode()


def test_subscribing_from_a_work_page_returns_to_it_with_an_unsubscribe_button(reader_client, reader, story):
    url = story.get_absolute_url()

    response = reader_client.post(f"/works/{story.pk}/subscribe", {"next": url}, follow=True)

    assert response.redirect_chain == [(url, 302)]
    content = response.content.decode()
    assert "You are subscribed to “The Pomegranate Seeds”." in content
    assert f'action="/works/{story.pk}/unsubscribe"' in content
    assert Subscription.objects.filter(user=reader, story=story).exists()


def test_unsubscribing_from_an_author_removes_the_subscription(reader_client, reader, author, story):
    subscribe(user=reader, author=author)

    response = reader_client.post("/users/author/unsubscribe", follow=True)

    assert response.redirect_chain == [("/users/author/works", 302)]
    assert "You are no longer subscribed to author." in response.content.decode()
    assert not Subscription.objects.exists()


def test_subscribing_to_a_tag_with_javascript_answers_with_the_new_button(reader_client, reader, persephone):
    response = reader_client.post("/tags/Persephone/subscribe", headers={"accept": "application/json"})

    assert response.status_code == 200
    assert json.loads(response.content) == {
        "subscribed": True,
        "action": "/tags/Persephone/unsubscribe",
        "label": "Unsubscribe",
        "message": "You are subscribed to Persephone.",
    }
    assert Subscription.objects.get(user=reader).tag == persephone


def test_an_author_trying_to_subscribe_to_their_own_work_is_told_why_and_nothing_changes(author_client, story):
    response = author_client.post(f"/works/{story.pk}/subscribe", follow=True)

    assert "You can subscribe to other authors&#x27; posted works only." in response.content.decode()
    assert not Subscription.objects.exists()


def test_someone_elses_draft_is_a_404_to_subscribe_to(reader_client, author):
    draft = make_story(author=author, post=False)

    assert reader_client.post(f"/works/{draft.pk}/subscribe").status_code == 404
    assert not Subscription.objects.exists()


def test_a_guest_is_sent_to_log_in_to_subscribe(client, story):
    response = client.post(f"/works/{story.pk}/subscribe")

    assert response.status_code == 302
    assert response["Location"].startswith("/users/login")
    assert not Subscription.objects.exists()


def test_subscribing_takes_a_post_only(reader_client, story):
    assert reader_client.get(f"/works/{story.pk}/subscribe").status_code == 405


def test_the_return_address_must_be_on_this_site(reader_client, story):
    response = reader_client.post(f"/works/{story.pk}/subscribe", {"next": "https://evil.example/"})

    assert response["Location"] == story.get_absolute_url()


# The header


def test_the_header_shows_a_logged_in_readers_unread_count(reader_client, reader, story):
    notify(reader, story, "one")
    notify(reader, story, "two")
    notify(reader, story, "read already", read=True)

    content = reader_client.get("/").content.decode()

    assert '<span class="unread-count">2<span class="visually-hidden"> unread</span></span>' in content


def test_the_header_caps_a_large_unread_count(reader_client, reader, story):
    Notification.objects.bulk_create(
        Notification(recipient=reader, kind=Kind.NEW_CHAPTER, chapter_id=n, story=story, text=str(n), url="/")
        for n in range(100)
    )

    assert '<span class="unread-count">99+' in reader_client.get("/").content.decode()


def test_the_header_count_follows_new_and_read_notifications_on_the_next_page(reader_client, reader, story):
    work_page = story.get_absolute_url()
    reader_client.get(work_page)  # the readers' copy of the page is kept; the header is the reader's own

    notify(reader, story, "one")
    assert '<span class="unread-count">1<' in reader_client.get(work_page).content.decode()

    reader_client.post("/inbox/read", {"next": work_page})
    assert 'class="unread-count"' not in reader_client.get(work_page).content.decode()


def test_the_unread_count_costs_guests_nothing_and_readers_one_query(
    reader, story, django_assert_num_queries, django_assert_max_num_queries
):
    notify(reader, story, "one")
    request = RequestFactory().get("/")

    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        count = unread_notifications(request)["unread_notifications"]
        assert not count

    request.user = reader
    with django_assert_num_queries(1):
        count = unread_notifications(request)["unread_notifications"]
        assert count
        assert str(count) == count.label == "1"


# The inbox


def test_the_inbox_lists_a_readers_notifications_newest_first_unread_marked(reader_client, reader, author, story):
    notify(reader, story, "Older and read", minutes_ago=10, read=True)
    notify(reader, story, "Newest", minutes_ago=1)
    notify(author, story, "Someone else's")

    content = reader_client.get("/inbox").content.decode()

    assert content.index("Newest") < content.index("Older and read")
    assert "Someone else" not in content
    assert content.count('class="notification unread"') == 1


def test_the_inbox_can_show_only_unread_notifications(reader_client, reader, story):
    notify(reader, story, "Read one", read=True)
    notify(reader, story, "Unread one")

    content = reader_client.get("/inbox?show=unread").content.decode()

    assert "Unread one" in content
    assert "Read one" not in content


def test_opening_a_notification_marks_it_read_and_goes_to_the_work(reader_client, reader, story):
    notification = notify(reader, story, "Open me")

    response = reader_client.post(f"/inbox/{notification.pk}/read", {"open": "1"})

    assert response["Location"] == story.get_absolute_url()
    notification.refresh_from_db()
    assert not notification.is_unread


def test_mark_all_read_clears_the_unread_count(reader_client, reader, story):
    notify(reader, story, "one")
    notify(reader, story, "two")

    response = reader_client.post("/inbox/read", follow=True)

    assert "Marked 2 notifications as read." in response.content.decode()
    assert not Notification.objects.unread().exists()
    assert 'class="unread-count"' not in response.content.decode()


def test_a_reader_cannot_mark_someone_elses_notification(reader_client, author, story):
    notification = notify(author, story, "Not yours")

    assert reader_client.post(f"/inbox/{notification.pk}/read").status_code == 404
    notification.refresh_from_db()
    assert notification.is_unread


def test_the_inbox_needs_a_log_in(client):
    assert client.get("/inbox")["Location"].startswith("/users/login")


def test_the_inbox_pages_twenty_at_a_time(reader_client, reader, story):
    for number in range(25):
        notify(reader, story, f"Notification {number:02}", minutes_ago=number)

    first = reader_client.get("/inbox").content.decode()
    second = reader_client.get("/inbox?page=2").content.decode()

    assert "Notification 00" in first and "Notification 19" in first and "Notification 20" not in first
    assert "Notification 20" in second and "Notification 24" in second


def test_the_inbox_costs_the_same_queries_however_many_notifications(
    reader_client, reader, story, django_assert_max_num_queries
):
    notify(reader, story, "one")
    with django_assert_max_num_queries(50) as few:
        reader_client.get("/inbox")

    for number in range(30):
        notify(reader, story, f"more {number}")

    with django_assert_max_num_queries(len(few.captured_queries)):
        reader_client.get("/inbox")


# Subscriptions


def test_the_subscriptions_page_lists_works_authors_and_tags_with_unsubscribe_buttons(
    reader_client, reader, author, story, persephone
):
    subscribe(user=reader, story=story)
    subscribe(user=reader, author=author)
    subscribe(user=reader, tag=persephone)

    content = reader_client.get("/subscriptions").content.decode()

    assert "The Pomegranate Seeds" in content
    assert f'action="/works/{story.pk}/unsubscribe"' in content
    assert 'action="/users/author/unsubscribe"' in content
    assert 'action="/tags/Persephone/unsubscribe"' in content


def test_unsubscribing_from_the_subscriptions_page_returns_to_it(reader_client, reader, persephone):
    subscribe(user=reader, tag=persephone)

    response = reader_client.post("/tags/Persephone/unsubscribe", {"next": "/subscriptions"}, follow=True)

    assert response.redirect_chain == [("/subscriptions", 302)]
    assert "You aren't subscribed to anything yet." in response.content.decode()


def test_the_subscriptions_page_costs_the_same_queries_however_many_subscriptions(
    reader_client, reader, django_assert_max_num_queries
):
    make_story(author=UserFactory(username="first"), characters=["Persephone"])
    subscribe(user=reader, author=UserFactory(username="someone"))
    with django_assert_max_num_queries(50) as few:
        reader_client.get("/subscriptions")

    for number in range(8):
        other = UserFactory(username=f"writer-{number}")
        story = make_story(author=other, title=f"Work {number}", characters=[f"Character {number}"])
        subscribe(user=reader, story=story)
        subscribe(user=reader, author=other)
        subscribe(user=reader, tag=Tag.objects.named(f"Character {number}").get())

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = reader_client.get("/subscriptions")
    assert response.content.decode().count("Unsubscribe<span") == 20


# Preferences


def test_every_notification_is_on_until_a_reader_turns_it_off(reader_client):
    content = reader_client.get("/preferences").content.decode()

    assert content.count("checked") == len(PREFERENCE_FIELDS)


def test_turning_off_e_mails_for_new_chapters_is_saved(reader_client, reader):
    everything_but = {name: "on" for name in Preferences.__dict__ if name.startswith(("inbox_", "email_"))}
    del everything_but["email_new_chapter"]

    response = reader_client.post("/preferences", everything_but, follow=True)

    assert "Your notification preferences were saved." in response.content.decode()
    preferences = Preferences.objects.get(user=reader)
    assert not preferences.wants(Kind.NEW_CHAPTER, "email")
    assert preferences.wants(Kind.NEW_CHAPTER, "inbox")
    assert preferences.wants(Kind.REPLY_TO_YOUR_COMMENT, "email")
    assert response.content.decode().count("checked") == len(PREFERENCE_FIELDS) - 1


def test_preferences_need_a_log_in(client):
    assert client.get("/preferences")["Location"].startswith("/users/login")
