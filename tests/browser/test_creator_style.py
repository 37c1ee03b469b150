"""Hide creator's style: the reader's own alignment and type for a chapter, remembered or for one page."""

import pytest
from playwright.sync_api import Page, expect

from archive.publishing.services import update_chapter
from archive.stories.models import Story
from archive.stories.tests.factories import make_story

pytestmark = pytest.mark.django_db(transaction=True)

BODY = "<center>A centred dedication.</center><p>Then a <small>small aside</small> in the story.</p>"


def formatted_work() -> Story:
    story = make_story()
    update_chapter(chapter=story.chapters.get(), fields={"body": BODY})
    return story


def alignment(page: Page) -> str:
    return page.locator("#workskin .userstuff center").evaluate("element => getComputedStyle(element).textAlign")


def aside_size(page: Page) -> str:
    return page.locator("#workskin .userstuff small").evaluate("element => getComputedStyle(element).fontSize")


def text_size(page: Page) -> str:
    return page.locator("#workskin .userstuff p").first.evaluate("element => getComputedStyle(element).fontSize")


def test_hiding_the_creators_style_applies_at_once_and_survives_a_reload(page: Page):
    story = formatted_work()
    page.goto(story.get_absolute_url())
    assert alignment(page) != "start"
    assert aside_size(page) != text_size(page)

    page.get_by_text("Reading settings").click()
    page.get_by_label("Hide creator's style").check()
    assert alignment(page) == "start"
    assert aside_size(page) == text_size(page)

    page.reload()

    expect(page.locator("html")).to_have_attribute("data-reader-creator-style", "hide")
    assert alignment(page) == "start"
    page.get_by_text("Reading settings").click()
    expect(page.get_by_label("Hide creator's style")).to_be_checked()
    # The link for readers without JavaScript gives way to the setting.
    expect(page.get_by_role("link", name="Hide creator's style")).to_be_hidden()

    page.get_by_label("Hide creator's style").uncheck()
    assert alignment(page) != "start"
    page.reload()
    assert alignment(page) != "start"


def test_without_javascript_a_link_hides_the_creators_style_for_that_page(no_js_page, live_server):
    story = formatted_work()
    page = no_js_page()
    page.goto(story.get_absolute_url())
    assert alignment(page) != "start"

    page.get_by_role("link", name="Hide creator's style").click()

    expect(page).to_have_url(f"{live_server.url}{story.get_absolute_url()}?style=disable")
    assert alignment(page) == "start"
    page.get_by_role("link", name="Show creator's style").click()
    assert alignment(page) != "start"
