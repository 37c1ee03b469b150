"""Subscribing from a work page without leaving it, and reading what arrives in the inbox."""

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from archive.accounts.tests.factories import UserFactory
from archive.chapters.services import add_chapter
from archive.notifications.models import Subscription
from archive.stories.tests.factories import make_story

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


def test_without_javascript_the_subscribe_button_posts_and_comes_back(browser, live_server):
    story = make_story(title="Quiet Evening")
    no_js = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    reader = UserFactory(username="reader")
    client = Client()
    client.force_login(reader)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    no_js.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
    page = no_js.new_page()
    page.goto(story.get_absolute_url())

    page.get_by_role("button", name=SUBSCRIBE).click()

    expect(page.locator(".messages")).to_contain_text("You are subscribed to “Quiet Evening”.")
    assert page.url.endswith(story.get_absolute_url())
    no_js.close()
