"""An author marks a main character on the work form; a reader finds the work by it (#13)."""

import re

from playwright.sync_api import Page, expect

from archive.accounts.tests.factories import UserFactory
from archive.stories.tests.factories import make_story

FANDOM = "The Walking Dead"


def test_an_author_marks_a_main_character_and_a_reader_finds_the_work_by_it(page: Page, log_in):
    make_story(
        title="Prison Days",
        fandoms=[FANDOM],
        characters=["Rick Grimes", "Carol Peletier"],
        main_characters=["Rick Grimes"],
    )
    log_in(UserFactory(username="quill"))
    page.goto("/works/new")
    page.get_by_role("textbox", name="Title", exact=True).fill("Walker Season")
    page.get_by_label("No Archive Warnings Apply").check()
    page.get_by_label("Fandoms").fill(FANDOM)
    page.get_by_label("Characters", exact=True).fill("Daryl Dixon, Carol Peletier")
    page.get_by_label("Main characters").fill("Daniel Dixon")  # a typo: not one of the work's characters
    page.get_by_label("Chapter text").fill("The prison gates stood open.")
    page.get_by_role("button", name="Post", exact=True).click()

    expect(page.get_by_text("“Daniel Dixon” is not in characters; add it there first.")).to_be_visible()
    expect(page.get_by_label("Characters", exact=True)).to_have_value("Daryl Dixon, Carol Peletier")
    expect(page.get_by_label("Chapter text")).to_have_value("The prison gates stood open.")
    page.get_by_label("Main characters").fill("Carol Peletier")
    page.get_by_role("button", name="Post", exact=True).click()

    expect(page.get_by_role("status")).to_have_text("Your work was posted.")
    characters = page.locator("dd.character li")
    expect(characters).to_have_text(["Carol Peletier★ (main)", "Daryl Dixon"])  # the star is hidden from screen readers
    expect(characters.first.locator(".main-mark")).to_be_visible()

    page.goto("/works/search")
    page.get_by_label("Main characters").fill("Carol Peletier")
    page.get_by_role("button", name="Search").first.click()

    expect(page).to_have_url(re.compile(r"main_characters=Carol"))
    results = page.get_by_role("region", name="Results")
    expect(results.locator(".card-title > a")).to_have_text(["Walker Season"])
    expect(results.get_by_role("link", name="Prison Days")).to_have_count(0)
