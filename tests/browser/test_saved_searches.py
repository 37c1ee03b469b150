"""Saving a search and running it again, marking works read and turning history off: with and
without JavaScript; and their pages pass axe-core and the Nu Html Checker."""

from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from archive.accounts.tests.factories import UserFactory
from archive.core.tests.tools import needs_axe, needs_vnu
from archive.history.models import Reading
from archive.history.tests.factories import read
from archive.notifications.models import Kind, Notification
from archive.search.models import SavedSearch
from archive.search.services import save_search
from archive.stories.tests.factories import make_story
from tests.browser.test_accessibility import assert_no_blocking_axe_violations, assert_valid_html

pytestmark = pytest.mark.django_db(transaction=True)

SEARCH = "/works/search?" + urlencode({"characters": "Carol Peletier"})


def save_and_run_again(page) -> None:
    page.goto(SEARCH)
    page.locator(".save-search summary").click()
    page.get_by_label("Name").fill("Carol stories")
    page.get_by_role("button", name="Save this search").click()

    expect(page.locator(".messages")).to_contain_text("Your search “Carol stories” was saved.")
    page.get_by_role("link", name="Run again “Carol stories”").click()
    expect(page.locator(".story-list")).to_contain_text("Walker Season")
    expect(page.locator(".story-list")).not_to_contain_text("Prison Days")


def test_a_reader_saves_a_search_runs_it_again_and_hears_of_a_new_match(page, log_in, mailoutbox):
    author = UserFactory(username="quill")
    make_story(author=author, title="Walker Season", characters=["Carol Peletier"])
    make_story(author=author, title="Prison Days", characters=["Rick Grimes"])
    reader = UserFactory(username="lantern")
    log_in(reader)

    save_and_run_again(page)

    # Outside any test transaction, so the alert goes out on the real commit.
    make_story(author=author, title="Spring Thaw", characters=["Carol Peletier"])
    page.goto("/inbox")
    expect(page.locator("main")).to_contain_text("New work for your saved search “Carol stories”: “Spring Thaw”")
    assert [message.to for message in mailoutbox] == [[reader.email]]


def test_without_javascript_saving_and_running_again_work(no_js_page):
    author = UserFactory(username="quill")
    make_story(author=author, title="Walker Season", characters=["Carol Peletier"])
    make_story(author=author, title="Prison Days", characters=["Rick Grimes"])
    reader = UserFactory(username="lantern")
    page = no_js_page(reader)

    save_and_run_again(page)

    assert SavedSearch.objects.get(user=reader).query == "characters=Carol+Peletier"


@pytest.mark.parametrize("javascript", [True, False])
def test_a_reader_marks_a_work_read_then_turns_history_off(javascript, page, log_in, no_js_page):
    story = make_story(title="Walker Season", chapters=3)
    reader = UserFactory(username="lantern")
    if javascript:
        log_in(reader)
    else:
        page = no_js_page(reader)

    page.goto(story.get_absolute_url())
    page.get_by_role("button", name="Mark as read").click()
    expect(page.locator(".messages")).to_contain_text("“Walker Season” is marked as read.")
    assert Reading.objects.get(user=reader, story=story).chapter_number == 3

    page.get_by_role("button", name="Turn history off").click()
    expect(page.locator(".messages")).to_contain_text("Your history is off")
    page.goto(story.chapters.get(position=2).get_absolute_url())
    expect(page.locator(".history-marks")).to_contain_text("is off")
    assert Reading.objects.get(user=reader, story=story).chapter_number == 3

    page.goto("/history")
    page.get_by_role("link", name="Clear your history").click()
    page.get_by_role("button", name="Yes, clear my history").click()
    expect(page.locator(".messages")).to_contain_text("Your history is empty.")
    assert not Reading.objects.filter(user=reader).exists()


def build_pages() -> tuple[object, dict[str, str]]:
    reader = UserFactory(username="lantern")
    story = make_story(title="Walker Season", characters=["Carol Peletier"], chapters=2)
    read(reader, story, 1)
    saved = save_search(user=reader, name="Carol stories", query="characters=Carol Peletier")
    save_search(user=reader, name="Tagged", query="sort=title", tag=story.tags.get(name="Carol Peletier"))
    Notification.objects.create(
        recipient=reader, kind=Kind.SAVED_SEARCH_MATCH, story=story, text="New work", url=story.get_absolute_url()
    )
    return reader, {
        "saved searches": "/saved_searches",
        "rename": f"/saved_searches/{saved.pk}/edit",
        "delete": f"/saved_searches/{saved.pk}/delete",
        "search with save": SEARCH,
        "tag with save": story.tags.get(name="Carol Peletier").get_absolute_url(),
        "history": "/history",
        "chapter with marks": story.chapters.get(position=1).get_absolute_url(),
    }


@needs_axe
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_pages_have_no_serious_or_critical_axe_violations(browser, live_server, theme):
    reader, pages = build_pages()
    assert_no_blocking_axe_violations(browser, live_server, reader, pages, theme)


@needs_vnu
def test_the_pages_are_valid_html(db, tmp_path):
    reader, pages = build_pages()
    assert_valid_html(reader, pages, tmp_path)
