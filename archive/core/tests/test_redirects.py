"""Every form that sends the reader back to `next` goes only to a path on this site.

`next` is whatever the browser sent: a view name ("zzz" made redirect() try to reverse it, a 500),
another site ("//evil.example") or a script ("javascript:"). Each falls back to the page the
form is about.
"""

import pytest
from django.urls import reverse

from archive.bookmarks.models import ReadingList
from archive.bookmarks.services import add_to_list, create_bookmark, create_list
from archive.notifications.models import Kind, Notification
from archive.stories.models import Story
from archive.stories.tests.factories import make_story

pytestmark = pytest.mark.django_db

JUNK = [
    "zzz",
    "stories:home",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "http:/evil.example",
    " //evil.example",
    "/ok\x00",
    "",
]


@pytest.fixture
def story(author):
    return make_story(author=author, title="Where They Go", characters=["Orpheus"])


def _forms(story, reader) -> list[tuple[str, str]]:
    """Each (URL, where it goes when `next` is no good) for a POST that reads `next`.

    Removing a work not on the list is a 404, so `_post` puts it back first.
    """
    tag = story.tags.get(name="Orpheus")
    notification = Notification.objects.create(
        recipient=reader, kind=Kind.NEW_STORY_BY_AUTHOR, story=story, text="New work", url="/"
    )
    bookmark = create_bookmark(user=reader, story=story, note="Mine.")
    other = make_story(title="Another")
    reading_list = create_list(user=reader, name="Later on")
    add_to_list(reading_list=reading_list, story=other)
    work, author = story.get_absolute_url(), f"/users/{story.authors.get().username}/works"
    return [
        (reverse("notifications:subscribe_story", args=[story.pk]), work),
        (reverse("notifications:unsubscribe_story", args=[story.pk]), work),
        (reverse("notifications:subscribe_author", args=["author"]), author),
        (reverse("notifications:unsubscribe_author", args=["author"]), author),
        (reverse("notifications:subscribe_tag", args=[tag.name]), tag.get_absolute_url()),
        (reverse("notifications:unsubscribe_tag", args=[tag.name]), tag.get_absolute_url()),
        (reverse("notifications:read", args=[notification.pk]), reverse("notifications:inbox")),
        (reverse("notifications:read_all"), reverse("notifications:inbox")),
        (reverse("bookmarks:edit", args=[bookmark.pk]), bookmark.get_absolute_url()),
        (reverse("bookmarks:save", args=[story.pk]), f"{work}#bookmark"),
        (reverse("bookmarks:list_add", args=[story.pk]), f"{work}#bookmark"),
        (reverse("bookmarks:list_remove", args=[other.pk, reading_list.pk]), f"{other.get_absolute_url()}#bookmark"),
    ]


def _post(client, reader, url: str, next_value: str):
    reading_list = ReadingList.objects.get(user=reader, name="Later on")
    add_to_list(reading_list=reading_list, story=Story.objects.get(title="Another"))
    return client.post(url, {"next": next_value, "list": "later", "note": "", "tags": ""})


def test_a_next_that_is_not_a_path_on_this_site_goes_back_to_the_forms_own_page(story, reader, reader_client):
    failures = []
    for url, fallback in _forms(story, reader):
        for junk in JUNK:
            response = _post(reader_client, reader, url, junk)
            if response.status_code != 302 or response["Location"] != fallback:
                failures.append((url, junk, response.status_code, response.get("Location")))

    assert not failures


def test_a_next_on_this_site_is_where_the_form_goes(story, reader, reader_client):
    back = "/works/search?q=orpheus&page=2"
    failures = []
    for url, fallback in _forms(story, reader):
        response = _post(reader_client, reader, url, back)
        expected = back + ("#bookmark" if fallback.endswith("#bookmark") else "")
        if response.status_code != 302 or response["Location"] != expected:
            failures.append((url, response.status_code, response.get("Location")))

    assert not failures


@pytest.mark.parametrize("junk", JUNK)
def test_deleting_a_bookmark_with_a_junk_next_goes_to_ones_bookmarks(story, reader, reader_client, junk):
    bookmark = create_bookmark(user=reader, story=story)

    response = reader_client.post(reverse("bookmarks:delete", args=[bookmark.pk]), {"next": junk})

    assert response.status_code == 302
    assert response["Location"] == f"/users/{reader.username}/bookmarks"


@pytest.mark.parametrize("junk", ["zzz", "stories:home", "//evil.example", "javascript:alert(1)"])
def test_logging_in_and_out_with_a_junk_next_goes_to_the_usual_page(client, reader, junk):
    reader.set_password("a-long-enough-password")
    reader.save()

    logged_in = client.post(
        f"/users/login?next={junk}", {"username": "reader", "password": "a-long-enough-password", "next": junk}
    )
    logged_out = client.post("/users/logout", {"next": junk})

    assert (logged_in.status_code, logged_in["Location"]) == (302, reverse("stories:dashboard"))
    assert (logged_out.status_code, logged_out["Location"]) == (302, reverse("stories:home"))


def test_logging_in_and_out_with_a_next_on_this_site_goes_there(client, reader):
    reader.set_password("a-long-enough-password")
    reader.save()

    logged_in = client.post(
        "/users/login", {"username": "reader", "password": "a-long-enough-password", "next": "/fandoms"}
    )
    logged_out = client.post("/users/logout", {"next": "/works/search?q=a"})

    assert logged_in["Location"] == "/fandoms"
    assert logged_out["Location"] == "/works/search?q=a"
