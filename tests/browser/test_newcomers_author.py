"""What a new author meets (issue "Polished for phones and first-time authors", items 8-10): hearing
about more than comments, drafts that count their words, tag suggestions without duplicates,
counts in words and counts that agree; on a phone-sized and a desktop viewport."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from archive.accounts.tests.factories import UserFactory
from archive.bookmarks.services import create_bookmark
from archive.comments.services import post_comment
from archive.kudos.services import leave_kudos
from archive.notifications.services import subscribe
from archive.stories.choices import Rating, Warning
from archive.stories.models import Story
from archive.stories.tests.factories import make_story
from tests.browser.viewports import VIEWPORTS

pytestmark = pytest.mark.django_db(transaction=True)

# Item 8: authors hear of kudos, bookmarks and subscribers, and see who follows them


def test_an_author_finds_kudos_bookmarks_and_subscribers_in_the_inbox_one_line_a_work(sized_page: Page, log_in):
    page = sized_page
    author = UserFactory(username="quill")
    story = make_story(author=author, title="Seeds", chapters=2)
    for _ in range(2):
        leave_kudos(story=story, user=UserFactory(), ip="")
    create_bookmark(user=UserFactory(), story=story)
    subscribe(user=UserFactory(), story=story)
    subscribe(user=UserFactory(), author=author)
    log_in(UserFactory(username="lantern"))
    page.goto(story.get_absolute_url())
    page.get_by_role("button", name="Kudos ♥").click()
    expect(page.locator("#kudos [role=status]")).to_have_text("Thank you for leaving kudos!")
    page.goto(story.chapters.get(position=2).get_absolute_url())
    page.get_by_role("textbox", name="Comment").fill("The second chapter broke my heart, in the best way.")
    page.get_by_role("button", name="Comment", exact=True).click()
    expect(page.locator("#comments [role=status]")).to_contain_text("Your comment was posted.")

    log_in(author)
    page.goto("/inbox")

    lines = page.locator(".notification-list .notification-open button")
    expect(lines).to_have_count(5)
    expect(lines).to_contain_text(
        [
            "lantern commented on Chapter 2 of “Seeds”: “The second chapter broke my heart, in the best way.”",
            "3 readers left kudos on “Seeds”",
            "A reader subscribed to you",
            "A reader subscribed to “Seeds”",
            "A reader bookmarked “Seeds”",
        ],
        ignore_case=False,
    )
    page.get_by_role("button", name="3 readers left kudos on “Seeds”").click()
    expect(page).to_have_url(re.compile(rf"/works/{story.pk}#kudos$"))


def test_an_author_sees_their_subscribers_on_the_dashboard_and_the_work(sized_page: Page, log_in):
    page = sized_page
    author = UserFactory(username="quill")
    story = make_story(author=author, title="Seeds")
    for _ in range(3):
        subscribe(user=UserFactory(), story=story)
    subscribe(user=UserFactory(), author=author)
    log_in(author)

    page.goto("/dashboard")

    section = page.get_by_role("region", name="Your subscribers")
    expect(section).to_contain_text("1 reader subscribed to you")
    expect(section.get_by_role("listitem")).to_have_text(["Seeds: 3 subscribers"])

    section.get_by_role("link", name="Seeds").click()
    expect(page.locator("dt.subscribers")).to_have_text("Subscribers:")
    expect(page.locator("dd.subscribers")).to_have_text("3")


# Item 9: a draft counts its own words and chapters


def test_a_draft_shows_its_words_and_chapters_not_0_of_2(sized_page: Page, log_in):
    page = sized_page
    author = UserFactory(username="quill")
    log_in(author)
    page.goto("/works/new")
    page.get_by_role("textbox", name="Title", exact=True).fill("Half Done")
    page.get_by_label("Rating").select_option(label="General Audiences")
    page.get_by_label("No Archive Warnings Apply").check()
    page.get_by_role("combobox", name="Fandoms").fill("Original Work")
    page.get_by_label("Chapter text").fill("Four words, then more.")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.get_by_role("status")).to_have_text("Your draft was saved.")
    story = Story.objects.get(title="Half Done")
    story.expected_chapters = 2
    story.save(update_fields=["expected_chapters"])
    page.goto(f"/works/{story.pk}/chapters/new")
    page.get_by_label("Chapter text").fill("Two more.")
    page.get_by_role("button", name="Add to draft").click()

    expect(page.get_by_role("status")).to_have_text("Your chapter was added to your draft.")
    expect(page.locator("dd.words")).to_have_text("6")
    expect(page.locator("dd.chapters")).to_have_text("2/2")
    # One banner says it is a draft; the message says what just happened.
    expect(page.locator(".notice")).to_have_count(1)


# Item 9: the work's notes and the first chapter's notes say which is which


def test_the_works_notes_and_the_first_chapters_notes_say_which_is_which(sized_page: Page, log_in):
    page = sized_page
    log_in(UserFactory(username="quill"))
    page.goto("/works/new")
    work_notes = page.get_by_label("Work notes (before the first chapter)")
    chapter_notes = page.get_by_role("group", name="First chapter").get_by_label("Chapter notes (before this chapter)")
    expect(work_notes).to_be_visible()
    expect(chapter_notes).to_be_visible()
    page.get_by_role("textbox", name="Title", exact=True).fill("Two Notes")
    page.get_by_label("Rating").select_option(label="General Audiences")
    page.get_by_label("No Archive Warnings Apply").check()
    page.get_by_role("combobox", name="Fandoms").fill("Original Work")
    work_notes.fill("About the whole work.")
    chapter_notes.fill("About this chapter only.")
    page.get_by_label("Chapter text").fill("The first chapter.")

    page.get_by_role("button", name="Post", exact=True).click()

    expect(page.get_by_role("status")).to_have_text("Your work was posted.")
    # The work's notes sit in its preface, above the chapter; the chapter's under the chapter's title.
    expect(page.locator("#workskin > .preface .notes")).to_contain_text("About the whole work.")
    chapter = page.locator("#chapters .chapter.preface")
    expect(chapter.locator("h3.title")).to_have_text("Chapter 1")
    expect(chapter.locator(".notes")).to_contain_text("About this chapter only.")


# Item 9: tags already entered are not offered again


def test_tag_suggestions_leave_out_tags_already_in_the_field(sized_page: Page, log_in):
    page = sized_page
    author = UserFactory(username="quill")
    make_story(author=author, characters=["Carol Peletier", "Carl Grimes"])
    log_in(author)
    page.goto("/works/new")
    characters = page.get_by_role("combobox", name="Characters", exact=True)

    characters.press_sequentially("Car")
    expect(page.get_by_role("listbox").get_by_role("option")).to_have_count(2)
    page.get_by_role("option", name="Carol Peletier").click()
    characters.press_sequentially("Car")

    expect(page.get_by_role("listbox").get_by_role("option")).to_have_text(["Carl Grimes"])
    expect(characters).to_have_value("Carol Peletier, Car")


# Item 10: counts in words, and counts that agree


def test_a_list_of_one_work_says_1_work(sized_page: Page):
    page = sized_page
    make_story(author=UserFactory(), title="Only One", fandoms=["Sherlock Holmes"])

    page.goto("/tags/Sherlock Holmes/works")

    expect(page.locator("p.count")).to_have_text("1 work")


def test_right_after_posting_a_comment_the_chapter_and_the_work_agree_on_the_count(sized_page: Page, log_in):
    page = sized_page
    story = make_story(author=UserFactory(), title="Seeds", chapters=2)
    post_comment(chapter=story.chapters.get(position=1), user=UserFactory(), body="First!")
    log_in(UserFactory(username="lantern"))
    page.goto(story.chapters.get(position=2).get_absolute_url())
    expect(page.locator("dd.comments")).to_have_text("1")

    page.get_by_role("textbox", name="Comment").fill("Caught up at last.")
    page.get_by_role("button", name="Comment", exact=True).click()

    expect(page.get_by_role("heading", name="Comments on this chapter (1)")).to_be_visible()
    expect(page.locator(".comment-counts")).to_have_text("2 comments on the whole work")
    expect(page.locator("dd.comments")).to_have_text("2")
    page.get_by_role("button", name="Kudos ♥").click()
    expect(page.locator("dd.kudos")).to_have_text("1")

    page.reload()
    expect(page.locator("dd.comments")).to_have_text("2")
    expect(page.locator(".comment-counts")).to_have_text("2 comments on the whole work")


def test_the_demo_archive_has_kudos_hits_and_bookmarks(sized_page: Page):
    page = sized_page
    call_command("load_demo", verbosity=0)
    story = Story.objects.get(title="A Season of Pomegranates")

    page.goto(f"{story.get_absolute_url()}?view_adult=true")

    for stat in ("kudos", "hits", "comments"):
        expect(page.locator(f"dd.{stat}")).not_to_have_text("0")
    expect(page.locator(".kudos-list")).to_contain_text("kudos from")


def test_the_dark_theme_keeps_the_ratings_and_warnings_colours(browser, live_server):
    make_story(author=UserFactory(), title="Grown Up", rating=Rating.MATURE, warnings=Warning.VIOLENCE)
    make_story(author=UserFactory(), title="Very Grown Up", rating=Rating.EXPLICIT)
    make_story(author=UserFactory(), title="For Everyone", rating=Rating.GENERAL)
    backgrounds = {}
    for scheme in ("light", "dark"):
        for name, size in VIEWPORTS.items():
            context = browser.new_context(base_url=live_server.url, color_scheme=scheme, viewport=size)
            try:
                page = context.new_page()
                page.goto("/")
                if scheme == "dark":  # the device's choice, until the reader makes theirs
                    expect(page.locator("html")).to_have_attribute("data-reader-theme", "dark")
                backgrounds[scheme, name] = {
                    pill: page.locator(f".required-tags .{pill}").first.evaluate(
                        "element => getComputedStyle(element).backgroundColor"
                    )
                    for pill in ("rating-mature", "rating-explicit", "rating-general", "warning", "status")
                }
            finally:
                context.close()

    for name in VIEWPORTS:
        dark = backgrounds["dark", name]
        # Five pills, five colours, none the light theme's (which would glare) nor one grey for all.
        assert len(set(dark.values())) == 5, dark
        assert not set(dark.values()) & set(backgrounds["light", name].values())
