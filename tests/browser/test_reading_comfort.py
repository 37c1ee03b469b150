"""Reading comfort in a real browser: settings that stick, the keyboard, the adult warning."""

import pytest
from playwright.sync_api import Page, expect

from archive.publishing.services import add_chapter
from archive.stories.choices import Rating
from archive.stories.models import Story
from archive.stories.tests.factories import make_story

pytestmark = pytest.mark.django_db(transaction=True)


def two_chapters(**fields) -> Story:
    story = make_story(body="The first chapter opens.", **fields)
    add_chapter(
        story=story,
        fields={"title": "Later", "notes": "", "end_notes": "", "body": "<p>The second chapter goes on.</p>"},
        post=True,
    )
    return story


def test_reader_settings_apply_at_once_and_survive_a_reload(page: Page):
    story = two_chapters()
    page.goto(story.get_absolute_url())

    page.get_by_text("Reading settings").click()
    page.get_by_label("Theme").select_option("dark")
    page.get_by_label("Text size").select_option("large")
    page.get_by_label("Font").select_option("sans")
    expect(page.locator("html")).to_have_attribute("data-reader-theme", "dark")

    page.reload()

    html = page.locator("html")
    expect(html).to_have_attribute("data-reader-theme", "dark")
    expect(html).to_have_attribute("data-reader-size", "large")
    expect(html).to_have_attribute("data-reader-font", "sans")
    # Applied by the blocking script in <head>, before the body exists: no flash of the light theme.
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(22, 24, 29)"
    page.get_by_text("Reading settings").click()
    expect(page.get_by_label("Theme")).to_have_value("dark")


def test_the_arrow_keys_turn_chapters(page: Page):
    story = two_chapters()
    page.goto(story.get_absolute_url())

    page.keyboard.press("ArrowRight")
    expect(page.get_by_text("The second chapter goes on.")).to_be_visible()
    page.keyboard.press("ArrowLeft")
    expect(page.get_by_text("The first chapter opens.")).to_be_visible()


def test_the_arrow_keys_leave_a_comment_being_typed_alone(page: Page, log_in):
    from archive.accounts.tests.factories import UserFactory

    story = two_chapters()
    log_in(UserFactory())
    page.goto(story.get_absolute_url())

    box = page.get_by_role("textbox", name="Comment")
    box.fill("Loved it")
    box.press("ArrowLeft")

    expect(page.get_by_text("The first chapter opens.")).to_be_visible()


def test_an_explicit_work_asks_once_then_reads(page: Page):
    story = two_chapters(rating=Rating.EXPLICIT)
    page.goto(story.get_absolute_url())

    expect(page.get_by_role("heading", name="This work could have adult content")).to_be_visible()
    page.get_by_role("link", name="Yes, continue").click()
    expect(page.get_by_text("The first chapter opens.")).to_be_visible()

    page.goto(story.chapters.last().get_absolute_url())
    expect(page.get_by_text("The second chapter goes on.")).to_be_visible()
