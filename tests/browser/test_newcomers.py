"""The journeys a newcomer trips on (issue "Polished for phones and first-time authors"), on a
phone-sized and a desktop viewport."""

import re

import pytest
from playwright.sync_api import Page, expect

from archive.accounts.tests.factories import UserFactory
from archive.stories.models import Story
from archive.stories.tests.factories import make_story
from archive.tags.models import Tag
from tests.browser.viewports import VIEWPORTS

pytestmark = pytest.mark.django_db(transaction=True)


def test_enter_in_a_tag_field_never_posts_the_work(sized_page: Page, log_in):
    page = sized_page
    author = UserFactory(username="quill")
    make_story(author=author, fandoms=["The Walking Dead"], characters=["Carol Peletier"])
    log_in(author)
    page.goto("/works/new")
    page.get_by_role("textbox", name="Title", exact=True).fill("One Line")
    page.get_by_label("Chapter text").fill("Only one line so far.")

    characters = page.get_by_role("combobox", name="Characters", exact=True)
    characters.press_sequentially("Car")
    expect(page.get_by_role("listbox").get_by_role("option")).to_have_text(["Carol Peletier"])
    characters.press("Enter")  # the list is open, nothing highlighted
    page.get_by_role("combobox", name="Fandoms").fill("The Walking Dead")
    page.get_by_role("combobox", name="Fandoms").press("Enter")  # no list open

    expect(page).to_have_url(re.compile(r"/works/new$"))
    assert not Story.objects.filter(title="One Line").exists()


def test_enter_in_a_plain_field_previews_the_work_and_saves_nothing(sized_page: Page, log_in):
    page = sized_page
    log_in(UserFactory(username="quill"))
    page.goto("/works/new")
    page.get_by_role("textbox", name="Title", exact=True).fill("Pressed Enter")
    page.get_by_label("Summary", exact=True).fill("A summary.")
    page.get_by_label("Rating").select_option(label="General Audiences")
    page.get_by_label("No Archive Warnings Apply").check()
    page.get_by_role("combobox", name="Fandoms").fill("Original Work")
    page.get_by_label("Chapter text").fill("The first chapter.")

    page.get_by_role("textbox", name="Title", exact=True).press("Enter")

    # Enter presses the form's first button, Preview (#12): shown, kept in the form, not saved.
    expect(page.get_by_role("heading", name="Preview of your new work")).to_be_visible()
    expect(page.locator(".preview-page h2.title")).to_have_text("Pressed Enter")
    expect(page.get_by_role("textbox", name="Title", exact=True)).to_have_value("Pressed Enter")
    assert not Story.objects.filter(title="Pressed Enter").exists()

    page.get_by_role("button", name="Save as draft").click()
    expect(page.get_by_role("status")).to_have_text("Your draft was saved.")
    assert Story.objects.get(title="Pressed Enter").is_draft


def test_the_more_notes_link_leads_to_the_end_notes_from_any_chapter(sized_page: Page):
    page = sized_page
    story = make_story(
        author=UserFactory(), title="Long Road", chapters=3, notes="<p>Begin here.</p>", end_notes="<p>Thanks!</p>"
    )

    page.goto(story.get_absolute_url())  # chapter 1 of 3: the end notes are on chapter 3's page
    page.get_by_role("link", name="more notes").click()

    expect(page).to_have_url(re.compile(r"/chapters/\d+#work_endnotes$"))
    expect(page.locator("#work_endnotes")).to_contain_text("Thanks!")
    expect(page.locator("#work_endnotes")).to_be_in_viewport()

    page.goto(f"{story.get_absolute_url()}?view_full_work=true")
    page.get_by_role("link", name="more notes").click()
    expect(page.locator("#work_endnotes")).to_be_in_viewport()


def test_a_chapter_past_the_expected_count_raises_it_so_the_status_is_never_3_of_2(sized_page: Page, log_in):
    page = sized_page
    author = UserFactory(username="quill")
    story = make_story(author=author, title="Two Parts", chapters=2, expected_chapters=2)
    log_in(author)
    page.goto(f"/works/{story.pk}/chapters/new")
    page.get_by_label("Chapter text").fill("An epilogue nobody planned.")

    page.get_by_role("button", name="Post chapter").click()

    expect(page.get_by_role("status")).to_have_text("Your chapter was posted.")
    expect(page.locator("dd.chapters")).to_have_text("3/3")
    expect(page.locator("dt.status")).to_have_text("Completed:")


def test_a_reader_jumps_to_a_chapter_by_its_title_and_sees_the_byline_on_every_chapter(sized_page: Page):
    page = sized_page
    story = make_story(author=UserFactory(username="quill"), title="Forty Doors", chapters=4)
    third = story.chapters.get(position=3)
    third.title = "The Green Door"
    third.save()

    page.goto(story.get_absolute_url())
    page.get_by_label("Go to chapter").select_option(label="Chapter 3: The Green Door")
    page.get_by_role("button", name="Go").click()

    expect(page).to_have_url(re.compile(rf"/works/{story.pk}/chapters/{third.pk}$"))
    expect(page.get_by_role("heading", name="Chapter 3: The Green Door")).to_be_visible()
    expect(page.locator(".preface .byline")).to_contain_text("quill")
    expect(page.get_by_label("Go to chapter")).to_have_value(str(third.pk))
    expect(page.get_by_role("link", name="Next chapter →")).to_be_visible()
    # One control, not a grid of numbered buttons, however many chapters.
    assert page.locator(".chapter-jump").bounding_box()["height"] < 100


def test_a_chapter_added_to_a_draft_says_it_waits_with_the_draft(sized_page: Page, log_in):
    page = sized_page
    author = UserFactory(username="quill")
    story = make_story(author=author, title="Not Yet", post=False)
    log_in(author)
    page.goto(f"/works/{story.pk}/chapters/new")
    page.get_by_label("Chapter text").fill("More of the draft.")

    page.get_by_role("button", name="Add to draft").click()

    expect(page.get_by_role("status")).to_have_text("Your chapter was added to your draft.")
    expect(page.locator(".notice")).to_contain_text("until it is posted")
    story.refresh_from_db()
    assert story.is_draft


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_every_page_has_an_icon_and_follows_a_dark_system_until_the_reader_chooses(browser, live_server, viewport):
    context = browser.new_context(base_url=live_server.url, color_scheme="dark", viewport=VIEWPORTS[viewport])
    page = context.new_page()
    story = make_story(author=UserFactory(), title="Night Reading")
    try:
        icon = page.request.get("/favicon.ico")
        assert icon.ok and "svg" in icon.headers["content-type"]
        page.goto(story.get_absolute_url())
        expect(page.locator("link[rel=icon]")).to_have_attribute("href", re.compile(r"favicon.*\.svg$"))
        expect(page.locator("html")).to_have_attribute("data-reader-theme", "dark")

        page.get_by_text("Reading settings").click()
        page.get_by_label("Theme").select_option("light")
        page.reload()
        expect(page.locator("html")).to_have_attribute("data-reader-theme", "light")
    finally:
        context.close()


def test_a_tags_page_says_in_plain_words_whether_the_wranglers_have_sorted_it(sized_page: Page):
    page = sized_page
    make_story(author=UserFactory(), characters=["Carol"])
    page.goto(Tag.objects.get(name="Carol").get_absolute_url())
    page.get_by_role("link", name="About this tag").click()

    status = page.locator("dl.tag-facts dt:has-text('Status') + dd")
    expect(status).to_have_text(
        "Not yet sorted by the archive's tag wranglers: only works using exactly this tag are listed under it."
    )
    expect(page.locator("main")).not_to_contain_text("wrangled into")
    expect(page.locator("main")).not_to_contain_text("canonical")


def test_a_too_common_password_is_shown_at_the_password_and_the_cursor_goes_there(sized_page: Page):
    page = sized_page
    page.goto("/users/signup")
    page.get_by_label("Username").fill("newfan")
    page.get_by_label("Email").fill("newfan@example.org")
    page.get_by_role("textbox", name="Password", exact=True).fill("password123")
    page.get_by_label("Password confirmation").fill("password123")
    page.get_by_role("button", name="Sign up").click()

    password = page.get_by_role("textbox", name="Password", exact=True)
    expect(password).to_be_focused()
    expect(page.locator(".field.has-error")).to_have_count(1)
    expect(page.locator(".field.has-error")).to_contain_text("This password is too common.")
    expect(page.locator(".field.has-error input")).to_have_attribute("name", "password1")
