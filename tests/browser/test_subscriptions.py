"""Subscribing from a work page without leaving it, and reading what arrives in the inbox."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from archive.accounts.tests.factories import UserFactory
from archive.core.tests.tools import needs_axe, needs_vnu
from archive.notifications.models import Kind, Notification, Subscription
from archive.notifications.services import subscribe
from archive.publishing.services import add_chapter
from archive.stories.tests.factories import make_story
from archive.tags.models import Tag
from tests.browser.test_accessibility import assert_no_blocking_axe_violations, assert_valid_html

pytestmark = pytest.mark.django_db(transaction=True)

SUBSCRIBE = re.compile(r"^Subscribe\W+new chapters of this work$")


CHAPTER = {"title": "The Return", "notes": "", "end_notes": "", "body": "<p>Spring came back.</p>"}


def test_a_reader_subscribes_without_a_reload_and_finds_the_new_chapter_in_the_inbox(page, log_in, mailoutbox):
    story = make_story(title="Quiet Evening", author=UserFactory(username="writer"))
    reader = UserFactory(username="reader")
    log_in(reader)
    page.goto(story.get_absolute_url())
    page.evaluate("window.__stayed = true")

    page.get_by_role("button", name=SUBSCRIBE).click()

    expect(page.locator(".subscribe-status")).to_have_text("You are subscribed to “Quiet Evening”.")
    expect(page.locator(".subscribe-form button")).to_contain_text("Unsubscribe")
    assert page.evaluate("window.__stayed === true")
    assert Subscription.objects.filter(user=reader, story=story).exists()

    # Outside any test transaction, so the notification goes out on the real commit.
    add_chapter(story=story, fields=CHAPTER, post=True)
    page.goto("/")
    expect(page.locator(".site-header .unread-count")).to_contain_text("1")
    page.get_by_role("link", name="Inbox").click()
    page.get_by_role("button", name="New chapter of “Quiet Evening”: Chapter 2: The Return").click()

    expect(page.locator("h3.title").first).to_contain_text("Chapter 2: The Return")
    expect(page.locator(".site-header .unread-count")).to_have_count(0)
    assert [message.to for message in mailoutbox] == [[reader.email]]


def test_without_javascript_the_subscribe_button_posts_and_comes_back(no_js_page):
    story = make_story(title="Quiet Evening")
    page = no_js_page(UserFactory(username="reader"))
    page.goto(story.get_absolute_url())

    page.get_by_role("button", name=SUBSCRIBE).click()

    expect(page.locator(".messages")).to_contain_text("You are subscribed to “Quiet Evening”.")
    assert page.url.endswith(story.get_absolute_url())


def build_pages() -> tuple[object, dict[str, str]]:
    """A reader with subscriptions and notifications, and the pages they see them on."""
    author = UserFactory(username="writer")
    reader = UserFactory(username="reader")
    story = make_story(title="Quiet Evening", author=author, characters=["Carol Peletier"])
    subscribe(user=reader, story=story)
    subscribe(user=reader, author=author)
    subscribe(user=reader, tag=Tag.objects.get(name="Carol Peletier"))
    chapter = add_chapter(story=story, fields=CHAPTER, post=True)
    for number in range(3):
        Notification.objects.create(
            recipient=reader,
            kind=Kind.NEW_CHAPTER,
            story=story,
            chapter_id=chapter.pk + 100 + number,  # the real one arrived on commit
            text=f"New chapter of “Quiet Evening”: Chapter {number + 2}",
            url=chapter.get_absolute_url(),
            read_at=timezone.now() if number else None,
        )
    return reader, {
        "inbox": "/inbox",
        "subscriptions": "/subscriptions",
        "preferences": "/preferences",
        "work with the button": story.get_absolute_url(),
        "author with the button": "/users/writer/works",
    }


@needs_axe
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_notification_pages_have_no_serious_or_critical_axe_violations(browser, live_server, theme):
    reader, pages = build_pages()
    assert_no_blocking_axe_violations(browser, live_server, reader, pages, theme)


@needs_vnu
def test_the_notification_pages_are_valid_html(db, tmp_path):
    reader, pages = build_pages()
    assert_valid_html(reader, pages, tmp_path)
