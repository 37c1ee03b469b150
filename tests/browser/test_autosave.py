"""Autosave in a real browser: what an author types survives a reload, and goes once it is posted."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from archive.accounts.tests.factories import UserFactory
from archive.stories.tests.factories import make_story

pytestmark = pytest.mark.django_db(transaction=True)

TYPED = "The rain had not stopped for three days, and the river was rising."


def saved_copy(page: Page) -> None:
    """Wait until autosave has written something to this browser's storage."""
    page.wait_for_function(
        "() => Object.keys(localStorage).some((key) => key.startsWith('autosave:')"
        " && localStorage[key].includes('river'))"
    )


def test_a_chapter_typed_but_not_posted_is_offered_back_after_a_reload(page: Page, log_in):
    author = UserFactory(username="quill")
    story = make_story(author=author, title="Floodwater")
    log_in(author)
    page.goto(f"/works/{story.pk}/chapters/new")

    page.get_by_label("Chapter text").fill(TYPED)
    saved_copy(page)
    page.reload()

    notice = page.locator(".autosave-notice")
    expect(notice).to_contain_text(re.compile(r"An unsaved copy from .+ was found"))
    expect(page.get_by_label("Chapter text")).to_have_value("")
    page.get_by_role("button", name="Restore it").click()

    expect(page.get_by_label("Chapter text")).to_have_value(TYPED)
    expect(notice).to_contain_text("The unsaved copy is back in the form")

    # Posting it goes through, and the next new chapter starts clean: no offer.
    page.get_by_role("button", name="Post chapter").click()
    expect(page.get_by_role("status")).to_contain_text("Your chapter was posted.")
    page.goto(f"/works/{story.pk}/chapters/new")
    expect(page.get_by_label("Chapter text")).to_be_visible()
    expect(page.locator(".autosave-notice")).to_have_count(0)
    assert page.evaluate("() => Object.keys(localStorage).filter((key) => key.startsWith('autosave:'))") == []


def test_discarding_the_copy_forgets_it(page: Page, log_in):
    author = UserFactory(username="quill")
    story = make_story(author=author, title="Floodwater", body="What the chapter said.")
    chapter = story.chapters.get()
    log_in(author)
    page.goto(f"/works/{story.pk}/chapters/{chapter.pk}/edit")

    page.get_by_label("Chapter text").fill(TYPED)
    saved_copy(page)
    page.reload()
    page.get_by_role("button", name="Discard").click()

    expect(page.locator(".autosave-notice")).to_contain_text("discarded")
    expect(page.get_by_label("Chapter text")).to_have_value("<p>What the chapter said.</p>")
    page.reload()
    expect(page.get_by_label("Chapter text")).to_be_visible()
    expect(page.locator(".autosave-notice")).to_have_count(0)


def test_a_copy_sent_but_refused_is_still_offered(page: Page, context, log_in):
    author = UserFactory(username="quill")
    story = make_story(author=author, title="Floodwater")
    log_in(author)
    page.goto(f"/works/{story.pk}/chapters/new")
    page.get_by_label("Chapter text").fill(TYPED)
    context.clear_cookies(name=settings.SESSION_COOKIE_NAME)  # the session expires while the author writes

    page.get_by_role("button", name="Post chapter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your session expired")
    expect(page.locator("textarea[readonly]").first).to_have_value(TYPED)

    log_in(author)
    page.goto(f"/works/{story.pk}/chapters/new")
    expect(page.locator(".autosave-notice")).to_contain_text("An unsaved copy from")
    page.get_by_role("button", name="Restore it").click()
    expect(page.get_by_label("Chapter text")).to_have_value(TYPED)
