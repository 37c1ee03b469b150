"""The journeys that matter, in a real browser: post, read, tag, search, comment.

Each test works the pages the way a reader does, with the mouse and the keyboard, and checks
what the reader sees.
"""

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from archive.accounts.tests.factories import PASSWORD, UserFactory
from archive.publishing.services import add_chapter
from archive.stories.models import Story
from archive.stories.tests.factories import make_story

FANDOM = "The Walking Dead"
FIRST_CHAPTER = "The prison gates stood open."
SECOND_CHAPTER = "They drove north until the fuel ran out."


def two_chapter_story(**fields) -> Story:
    """A posted work whose chapters say different things, so a reader can tell which one is open."""
    story = make_story(fandoms=[FANDOM], body=FIRST_CHAPTER, **fields)
    add_chapter(
        story=story,
        fields={"title": "North", "notes": "", "end_notes": "", "body": f"<p>{SECOND_CHAPTER}</p>"},
        post=True,
    )
    story.refresh_from_db()
    return story


def chapter_text(page: Page) -> Locator:
    return page.locator("#chapters .userstuff.module")


def test_a_newcomer_signs_up_logs_out_and_logs_back_in(page: Page):
    page.goto("/")
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Username").fill("walkerfan")
    page.get_by_label("Email").fill("walkerfan@example.org")
    page.get_by_role("textbox", name="Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()

    expect(page).to_have_url(re.compile(r"/dashboard$"))
    expect(page.get_by_role("heading", name="Your dashboard")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Welcome, walkerfan!")

    page.get_by_role("button", name="Log out walkerfan").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    expect(page.get_by_role("button", name="Log out walkerfan")).to_have_count(0)

    page.get_by_role("link", name="Log in").click()
    page.get_by_label("Username").fill("walkerfan")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("button", name="Log out walkerfan")).to_be_visible()
    page.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", name="Your dashboard")).to_be_visible()


def test_an_author_posts_a_work_then_adds_a_second_chapter(page: Page, log_in):
    log_in(UserFactory(username="quill"))
    page.goto("/")
    page.get_by_role("link", name="Post new work").click()

    page.get_by_role("textbox", name="Title", exact=True).fill("Walker Season")
    page.get_by_label("Summary", exact=True).fill("Two survivors and a long winter.")
    page.get_by_label("Rating").select_option(label="Teen And Up Audiences")
    page.get_by_label("No Archive Warnings Apply").check()
    page.get_by_label("Fandoms").fill(FANDOM)
    page.get_by_label("Characters", exact=True).fill("Carol Peletier, Daryl Dixon")
    page.get_by_label("Relationships", exact=True).fill("Carol Peletier/Daryl Dixon")
    page.get_by_label("Chapter text").fill(f"{FIRST_CHAPTER}\n\nNobody went out after dark.")
    page.get_by_role("button", name="Post", exact=True).click()

    expect(page.get_by_role("status")).to_have_text("Your work was posted.")
    expect(page.get_by_role("heading", name="Walker Season")).to_be_visible()
    expect(page.locator("dd.character li")).to_have_text(["Carol Peletier", "Daryl Dixon"])
    expect(page.locator("dd.relationship")).to_have_text("Carol Peletier/Daryl Dixon")
    expect(chapter_text(page).locator("p")).to_have_text([FIRST_CHAPTER, "Nobody went out after dark."])
    expect(page.locator("dd.chapters")).to_have_text("1/?")

    page.get_by_role("link", name="Add chapter").click()
    page.get_by_label("Chapter title").fill("North")
    page.get_by_label("Chapter text").fill(SECOND_CHAPTER)
    page.get_by_role("button", name="Post chapter").click()

    expect(page.get_by_role("status")).to_have_text("Your chapter was posted.")
    expect(page.get_by_role("heading", name="Chapter 2: North")).to_be_visible()
    expect(page.locator("dd.chapters")).to_have_text("2/?")
    expect(chapter_text(page)).to_contain_text(SECOND_CHAPTER)

    page.get_by_role("link", name="Entire work").click()
    expect(page.locator("dd.chapters")).to_have_text("2/?")
    expect(chapter_text(page)).to_have_count(2)
    expect(chapter_text(page).first).to_contain_text(FIRST_CHAPTER)
    expect(chapter_text(page).last).to_contain_text(SECOND_CHAPTER)


@pytest.mark.parametrize("choose_with", ["mouse", "keyboard"])
def test_the_characters_field_suggests_a_character_already_tagged(page: Page, log_in, choose_with):
    author = UserFactory(username="quill")
    make_story(author=author, fandoms=[FANDOM], characters=["Carol Peletier"])
    log_in(author)
    page.goto("/works/new")

    characters = page.get_by_role("combobox", name="Characters", exact=True)
    characters.press_sequentially("Car")
    suggestions = page.get_by_role("listbox")
    expect(suggestions.get_by_role("option")).to_have_text(["Carol Peletier"])
    expect(characters).to_have_attribute("aria-expanded", "true")

    if choose_with == "mouse":
        suggestions.get_by_role("option", name="Carol Peletier").click()
    else:
        characters.press("ArrowDown")
        expect(suggestions.get_by_role("option", name="Carol Peletier")).to_have_attribute("aria-selected", "true")
        characters.press("Enter")

    expect(characters).to_have_value("Carol Peletier, ")
    expect(suggestions).to_be_hidden()
    expect(page).to_have_url(re.compile(r"/works/new$"))  # Enter chose a tag; it didn't submit the form


def test_another_reader_reads_chapter_by_chapter_then_the_entire_work(page: Page, log_in):
    story = two_chapter_story(author=UserFactory(username="quill"), title="Walker Season")
    log_in(UserFactory(username="lantern"))
    page.goto("/")
    page.get_by_role("link", name="Walker Season").click()

    expect(chapter_text(page)).to_contain_text(FIRST_CHAPTER)
    expect(chapter_text(page)).not_to_contain_text(SECOND_CHAPTER)
    expect(page.get_by_role("link", name="Add chapter")).to_have_count(0)

    page.get_by_role("link", name="Next chapter").click()
    expect(page).to_have_url(re.compile(rf"/works/{story.pk}/chapters/\d+$"))
    expect(page.get_by_role("heading", name="Chapter 2: North")).to_be_visible()
    expect(chapter_text(page)).to_contain_text(SECOND_CHAPTER)
    expect(page.get_by_role("link", name="Next chapter")).to_have_count(0)
    expect(page.get_by_role("link", name="Previous chapter")).to_be_visible()

    page.get_by_role("link", name="Entire work").click()
    expect(page).to_have_url(re.compile(rf"/works/{story.pk}\?view_full_work=true$"))
    expect(chapter_text(page)).to_have_count(2)
    expect(page.locator("#chapters")).to_contain_text(FIRST_CHAPTER)
    expect(page.locator("#chapters")).to_contain_text(SECOND_CHAPTER)

    page.get_by_role("link", name="Chapter index").click()
    expect(page.get_by_role("heading", name="Chapter Index for Walker Season by quill")).to_be_visible()
    index = page.locator("ol.chapter.index > li")
    expect(index.get_by_role("link")).to_have_text(["1. Chapter 1", "2. North"])
    index.get_by_role("link", name="2. North").click()
    expect(chapter_text(page)).to_contain_text(SECOND_CHAPTER)


def test_a_character_tag_lists_its_works_and_the_sidebar_narrows_them(page: Page):
    make_story(title="Walker Season", fandoms=[FANDOM], characters=["Carol Peletier", "Daryl Dixon"])
    make_story(title="Prison Days", fandoms=[FANDOM], characters=["Carol Peletier", "Rick Grimes"])
    make_story(title="Alexandria", fandoms=[FANDOM], characters=["Rick Grimes"])
    page.goto("/")
    page.get_by_role("link", name="Walker Season").click()

    page.locator("dd.character").get_by_role("link", name="Carol Peletier").click()
    expect(page.get_by_role("heading", name="Works tagged Carol Peletier")).to_be_visible()
    works = page.locator(".listing .card-title > a")
    expect(works).to_have_count(2)
    expect(works.filter(has_text="Walker Season")).to_be_visible()
    expect(works.filter(has_text="Prison Days")).to_be_visible()

    page.get_by_label("Exclude Rick Grimes").check()
    page.get_by_role("button", name="Sort and filter").click()

    expect(page.get_by_label("Exclude Rick Grimes")).to_be_checked()
    expect(works).to_have_text(["Walker Season"])


def test_a_search_for_two_characters_in_a_romantic_relationship(page: Page):
    make_story(
        title="Walker Season",
        fandoms=[FANDOM],
        characters=["Carol Peletier", "Daryl Dixon"],
        relationships=["Carol Peletier/Daryl Dixon"],
    )
    make_story(
        title="Road Trip",
        fandoms=[FANDOM],
        characters=["Carol Peletier", "Daryl Dixon"],
        relationships=["Carol Peletier & Daryl Dixon"],
    )
    make_story(title="Prison Days", fandoms=[FANDOM], characters=["Carol Peletier", "Daryl Dixon"])
    page.goto("/")
    page.get_by_role("link", name="Search", exact=True).click()

    page.get_by_text("More options").click()
    page.get_by_label("Characters", exact=True).fill("Carol Peletier, Daryl Dixon")
    page.get_by_label("In a romantic relationship (A/B)").check()
    page.locator("details").get_by_role("button", name="Search").click()

    expect(page).to_have_url(re.compile(r"character_mode=romantic"))
    results = page.get_by_role("region", name="Results")
    expect(results.locator(".card-title > a")).to_have_text(["Walker Season"])
    expect(results.get_by_role("link", name="Road Trip")).to_have_count(0)
    expect(results.get_by_role("link", name="Prison Days")).to_have_count(0)


def test_a_reader_comments_on_a_chapter_and_replies_to_the_comment(page: Page, log_in):
    two_chapter_story(author=UserFactory(username="quill"), title="Walker Season")
    log_in(UserFactory(username="lantern"))
    page.goto("/")
    page.get_by_role("link", name="Walker Season").click()
    page.get_by_role("link", name="Next chapter").click()

    comments = page.locator("#comments")
    expect(comments.get_by_role("heading")).to_have_text("Comments on this chapter (0)")
    comments.get_by_label("Comment").fill("The fuel running out was perfect.")
    comments.get_by_role("button", name="Comment").click()

    expect(page.get_by_role("status")).to_have_text("Your comment was posted.")
    expect(comments.get_by_role("heading", name="Comments on this chapter")).to_have_text(
        "Comments on this chapter (1)"
    )
    comment = comments.locator("ol.thread > li.comment").filter(has_text="The fuel running out was perfect.")
    expect(comment.locator(".comment-byline")).to_contain_text("lantern")

    comment.get_by_role("link", name="Reply").click()
    expect(page.get_by_role("heading", name="Reply to lantern")).to_be_visible()
    expect(page.locator("blockquote.quoted-comment")).to_contain_text("The fuel running out was perfect.")
    page.get_by_label("Comment").fill("And the silence after it.")
    page.get_by_role("button", name="Post reply").click()

    expect(page.get_by_role("status")).to_have_text("Your comment was posted.")
    expect(page.get_by_role("heading", name="Chapter 2: North")).to_be_visible()
    expect(comments.get_by_role("heading", name="Comments on this chapter")).to_have_text(
        "Comments on this chapter (2)"
    )
    top_level = page.locator("#comments > ol.thread > li.comment")
    expect(top_level).to_have_count(1)
    expect(top_level.locator(":scope > article .comment-body")).to_have_text("The fuel running out was perfect.")
    expect(top_level.locator("ol.replies > li.comment .comment-body")).to_have_text("And the silence after it.")
