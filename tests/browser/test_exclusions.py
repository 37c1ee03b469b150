"""Saved exclusions: a reader adds one and the lists change, with JavaScript and without."""

import pytest
from playwright.sync_api import expect

from archive.accounts.tests.factories import UserFactory
from archive.stories.tests.factories import make_story

pytestmark = pytest.mark.django_db(transaction=True)


def _two_works():
    author = UserFactory(username="writer")
    make_story(author=author, title="Sunny Orchard", freeforms=["Fluff"])
    make_story(author=author, title="Grim Cellar", freeforms=["Angst"])


def _exclude_angst(page, start: str) -> None:
    page.goto(start)
    page.get_by_role("textbox", name="Never show works tagged").fill("angst")
    page.get_by_role("button", name="Save exclusions").click()


def test_a_reader_adds_an_exclusion_in_preferences_and_the_front_page_hides_the_work(page, log_in):
    _two_works()
    log_in(UserFactory(username="reader"))
    _exclude_angst(page, "/preferences")
    expect(page.get_by_text("Your exclusions were saved.")).to_be_visible()
    page.goto("/")
    expect(page.get_by_role("link", name="Sunny Orchard")).to_be_visible()
    expect(page.get_by_role("link", name="Grim Cellar")).to_have_count(0)
    expect(page.get_by_text("1 work hidden by your exclusions")).to_be_visible()
    page.get_by_role("link", name="Show them anyway").click()
    expect(page.get_by_role("link", name="Grim Cellar")).to_be_visible()


def test_without_javascript_a_logged_out_reader_keeps_exclusions_in_the_browser(no_js_page):
    _two_works()
    page = no_js_page()
    _exclude_angst(page, "/exclusions")
    expect(page.get_by_text("Your exclusions are saved in this browser.")).to_be_visible()
    page.goto("/")
    expect(page.get_by_role("link", name="Sunny Orchard")).to_be_visible()
    expect(page.get_by_role("link", name="Grim Cellar")).to_have_count(0)
    expect(page.get_by_text("1 work hidden by your exclusions")).to_be_visible()


def test_without_javascript_a_logged_in_reader_saves_exclusions(no_js_page):
    _two_works()
    page = no_js_page(UserFactory(username="reader"))
    _exclude_angst(page, "/preferences")
    page.goto("/tags/Fluff/works")
    page.goto("/")
    expect(page.get_by_role("link", name="Grim Cellar")).to_have_count(0)


def test_without_javascript_a_reader_mutes_an_author_from_their_profile_and_unmutes_from_the_list(no_js_page):
    make_story(author=UserFactory(username="loud"), title="Loud Work")
    page = no_js_page(UserFactory(username="reader"))
    page.goto("/users/loud/profile")
    page.get_by_role("button", name="Mute").click()
    expect(page.get_by_role("status")).to_contain_text("You muted loud")
    expect(page.get_by_role("button", name="Unmute")).to_be_visible()
    page.goto("/")
    expect(page.get_by_role("link", name="Loud Work")).to_have_count(0)
    page.goto("/users/reader/muted")
    page.get_by_role("button", name="Unmute loud").click()
    expect(page.get_by_text("You unmuted loud.")).to_be_visible()
    page.goto("/")
    expect(page.get_by_role("link", name="Loud Work")).to_be_visible()
