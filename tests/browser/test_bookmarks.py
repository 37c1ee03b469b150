"""Bookmarking and marking for later from the work page without a reload, and without JavaScript."""

import json
import subprocess

import pytest
from django.test import Client
from playwright.sync_api import expect

from archive.accounts.tests.factories import UserFactory
from archive.bookmarks.models import Bookmark, ReadingList
from archive.bookmarks.services import add_to_list, create_bookmark, create_list, mark_for_later_list
from archive.core.tests.tools import JAVA, VNU, needs_vnu
from archive.stories.tests.factories import make_story
from tests.browser.test_accessibility import describe_error

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_reader_bookmarks_and_marks_for_later_without_the_page_reloading(page, log_in):
    story = make_story(title="Quiet Evening", author=UserFactory(username="writer"))
    log_in(UserFactory(username="reader"))
    page.goto(story.get_absolute_url())
    page.evaluate("window.__stayed = true")

    page.locator("#bookmark summary").click()
    page.get_by_role("textbox", name="Notes").fill("Read it twice.\n\n<b>Again</b> soon.")
    page.get_by_role("textbox", name="Your tags").fill("reread, cosy")
    page.get_by_role("button", name="Save bookmark").click()

    expect(page.locator("#bookmark [role=status]")).to_have_text("Your bookmark was saved.")
    expect(page.locator("#bookmark")).to_contain_text("1 public bookmark")
    expect(page.locator("#bookmark")).to_contain_text("You bookmarked this work on")

    page.get_by_role("combobox", name="Add to a reading list").select_option(label="Mark for later")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.locator("#bookmark [role=status]")).to_have_text("Added to “Mark for later”.")
    expect(page.locator("#bookmark .in-lists")).to_contain_text("Mark for later")

    assert page.evaluate("window.__stayed === true")
    bookmark = Bookmark.objects.get()
    assert bookmark.note == "Read it twice.\n\n<b>Again</b> soon."
    assert sorted(bookmark.tags.values_list("name", flat=True)) == ["cosy", "reread"]
    assert ReadingList.objects.get(builtin=True).items.get().story == story


def test_without_javascript_a_bookmark_posts_and_the_page_comes_back(no_js_page, live_server):
    story = make_story(title="Quiet Evening")
    page = no_js_page(UserFactory(username="oldschool"))
    page.goto(story.get_absolute_url())
    page.locator("#bookmark summary").click()
    page.get_by_label("Private bookmark").check()
    page.get_by_role("button", name="Save bookmark").click()

    expect(page).to_have_url(f"{live_server.url}{story.get_absolute_url()}#bookmark")
    expect(page.locator(".messages")).to_contain_text("Your bookmark was saved.")
    expect(page.locator("#bookmark")).to_contain_text("You bookmarked this work privately")
    assert Bookmark.objects.get().private


@needs_vnu
def test_the_bookmark_pages_are_valid_html(db, tmp_path):
    reader = UserFactory(username="lantern")
    story = make_story(title="Walker Season", characters=["Carol Peletier"], relationships=["Carol Peletier/Daryl"])
    bookmark = create_bookmark(user=reader, story=story, note="Twice.\n\nThrice.", tags=["reread", "winter"])
    create_bookmark(user=reader, story=make_story(title="Hush"), private=True)
    reading_list = create_list(user=reader, name="Comfort reads")
    add_to_list(reading_list=reading_list, story=story)
    add_to_list(reading_list=mark_for_later_list(user=reader), story=make_story(title="Later"))
    pages = {
        "work with a bookmark": story.get_absolute_url(),
        "bookmarks": "/users/lantern/bookmarks",
        "bookmarks filtered": "/users/lantern/bookmarks?tag=Carol+Peletier&bookmark_tag=reread",
        "bookmark": bookmark.get_absolute_url(),
        "bookmark form": f"/bookmarks/{bookmark.pk}/edit",
        "bookmark delete": f"/bookmarks/{bookmark.pk}/delete",
        "work bookmarks": f"/works/{story.pk}/bookmarks",
        "lists": "/users/lantern/lists",
        "list": f"/users/lantern/lists/{reading_list.pk}",
        "list rename": f"/users/lantern/lists/{reading_list.pk}/edit",
        "list delete": f"/users/lantern/lists/{reading_list.pk}/delete",
    }
    client = Client()
    client.force_login(reader)
    files = {}
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        path = tmp_path / f"{name.replace(' ', '-')}.html"
        path.write_bytes(response.content)
        files[path.name] = f"{name} ({url})"

    result = subprocess.run(  # noqa: S603 - our own jar and files
        [JAVA, "-jar", str(VNU), "--errors-only", "--format", "json", "--stdout", *(str(tmp_path / f) for f in files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    messages = json.loads(result.stdout)["messages"]
    # Only what these pages add: a comment's timestamp (the comments app's) is not checked here.
    errors = [
        describe_error(message, files)
        for message in messages
        if message["type"] in {"error", "non-document-error"} and "comment" not in message.get("extract", "")
    ]
    assert not errors, "The Nu Html Checker found errors:\n" + "\n".join(errors)
