"""Comments and kudos post without leaving the page, and still work without JavaScript."""

import pytest
from playwright.sync_api import expect

from archive.accounts.tests.factories import UserFactory
from archive.comments.models import Comment
from archive.comments.services import post_comment
from archive.kudos.models import Kudos
from archive.stories.tests.factories import make_story

pytestmark = pytest.mark.django_db(transaction=True)


def _stays_on_the_page(page) -> None:
    page.evaluate("window.__stayed = true")


def _stayed(page) -> bool:
    return page.evaluate("window.__stayed === true")


def test_a_reader_comments_and_leaves_kudos_without_the_page_reloading(page, log_in):
    story = make_story(title="Quiet Evening", author=UserFactory(username="writer"))
    log_in(UserFactory(username="reader"))
    page.goto(story.get_absolute_url())
    _stays_on_the_page(page)

    page.get_by_role("textbox", name="Comment").fill("Posted in the background.\n\nWith a second paragraph.")
    page.get_by_role("button", name="Comment").click()

    posted = page.locator("li.comment[data-posted]")
    expect(posted).to_contain_text("Posted in the background.")
    expect(page.locator("#comments [role=status]")).to_have_text("Your comment was posted.")
    expect(page.get_by_role("textbox", name="Comment")).to_have_value("")
    expect(page.locator("#comments-heading")).to_have_text("Comments on this chapter (1)")

    page.get_by_role("button", name="Kudos ♥").click()
    expect(page.locator("#kudos [role=status]")).to_have_text("Thank you for leaving kudos!")
    expect(page.locator("#kudos")).to_contain_text("1 kudos from reader")

    assert _stayed(page)
    assert Comment.objects.get().body == "Posted in the background.\n\nWith a second paragraph."
    assert Kudos.objects.filter(story=story).count() == 1


def test_an_empty_comment_in_the_background_shows_the_error_next_to_the_field(page, log_in):
    story = make_story(title="Quiet Evening")
    log_in(UserFactory())
    page.goto(story.get_absolute_url())
    _stays_on_the_page(page)

    page.get_by_role("textbox", name="Comment").fill("   ")
    page.get_by_role("button", name="Comment").click()

    expect(page.locator("#comments .errorlist")).to_contain_text("Write something before posting your comment.")
    assert _stayed(page)
    assert not Comment.objects.exists()


def test_without_javascript_a_comment_posts_and_the_page_lands_on_it(no_js_page, live_server):
    story = make_story(title="Quiet Evening")
    page = no_js_page(UserFactory(username="oldschool"))
    page.goto(story.get_absolute_url())
    page.get_by_role("textbox", name="Comment").fill("No scripts here.")
    page.get_by_role("button", name="Comment").click()
    comment = Comment.objects.get()
    expect(page).to_have_url(f"{live_server.url}{story.chapters.get().get_absolute_url()}#comment-{comment.pk}")
    expect(page.locator(f"#comment-{comment.pk}")).to_contain_text("No scripts here.")


def test_on_the_entire_work_a_reader_comments_on_the_last_chapter_and_stays_among_every_chapters_comments(page, log_in):
    story = make_story(title="Three Seasons", author=UserFactory(username="writer"), chapters=3)
    first, last = story.chapters.order_by("position")[0], story.chapters.order_by("position")[2]
    post_comment(chapter=first, user=UserFactory(username="early"), body="Spring was lovely.")
    log_in(UserFactory(username="reader"))
    page.goto(f"{story.get_absolute_url()}?view_full_work=true")
    _stays_on_the_page(page)

    page.get_by_role("textbox", name="Comment").fill("All three, at once.")
    page.get_by_role("button", name="Comment").click()

    expect(page.locator("li.comment[data-posted]")).to_contain_text("All three, at once.")
    expect(page.locator("#comments-heading")).to_have_text("Comments on this work (2)")
    expect(page.locator("#comments")).to_contain_text("Spring was lovely.")
    page.get_by_role("button", name="Kudos ♥").click()
    expect(page.locator("#kudos")).to_contain_text("1 kudos from reader")
    assert _stayed(page)
    assert Comment.objects.get(body="All three, at once.").chapter == last


def test_without_javascript_a_comment_on_the_entire_work_lands_back_on_it(no_js_page, live_server):
    story = make_story(title="Three Seasons", chapters=2)
    page = no_js_page(UserFactory(username="oldschool"))
    page.goto(f"{story.get_absolute_url()}?view_full_work=true")
    page.get_by_role("textbox", name="Comment").fill("No scripts here.")
    page.get_by_role("button", name="Comment").click()
    comment = Comment.objects.get()
    expect(page).to_have_url(f"{live_server.url}{story.get_absolute_url()}?view_full_work=true#comment-{comment.pk}")
    expect(page.locator(f"#comment-{comment.pk}")).to_contain_text("No scripts here.")
