"""Bookmarking from the work page: the box, the plain form (no JavaScript) and the JSON fragment
the page's script swaps in; editing and deleting one's own bookmark, and nobody else's."""

import pytest
from django.test import Client

from archive.accounts.tests.factories import UserFactory
from archive.bookmarks.models import Bookmark
from archive.bookmarks.tests.factories import bookmark_count, make_bookmark
from archive.chapters.models import Chapter
from archive.stories.tests.factories import make_story

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def story(author):
    return make_story(author=author, title="The Pomegranate Seeds", chapters=2)


def save_url(story) -> str:
    return f"/works/{story.pk}/bookmark"


def test_the_work_and_chapter_pages_offer_a_bookmark_form_to_a_reader(reader_client, story):
    chapter = Chapter.objects.filter(story=story).order_by("position").last()

    for url in (story.get_absolute_url(), chapter.get_absolute_url()):
        page = reader_client.get(url).content.decode()
        assert 'id="bookmark"' in page
        assert f'action="{save_url(story)}"' in page
        assert "Save bookmark" in page
        assert "js/bookmarks.js" in page


def test_the_box_on_each_page_sends_the_reader_back_to_that_page(reader_client, reader, story):
    from django.template.defaultfilters import urlencode
    from django.utils.html import escape

    make_bookmark(user=reader, story=story)  # the box links its Edit and Delete with the page's address
    chapter = Chapter.objects.filter(story=story).order_by("position").last()
    # The same box (one state) on three pages, one of them with an awkward query.
    addresses = [story.get_absolute_url(), chapter.get_absolute_url(), f"{chapter.get_absolute_url()}?x=<b>&y=\"'%25"]

    for address in addresses:
        box = reader_client.get(address).content.decode().split('id="bookmark"')[1].split("</section>")[0]
        path = reader_client.get(address).wsgi_request.get_full_path()

        assert box.count(f'<input type="hidden" name="next" value="{escape(path)}">') >= 2
        assert box.count(f"?next={escape(urlencode(path))}") == 2
        assert "bookmarkboxaddress" not in box
        assert "<b>" not in box


def test_the_same_box_on_two_works_links_each_its_own_work(reader_client, author):
    works = [make_story(author=author, title=title) for title in ("First", "Second")]

    for work in works:
        box = reader_client.get(work.get_absolute_url()).content.decode().split('id="bookmark"')[1]

        assert f'action="{save_url(work)}"' in box
        assert f'href="/works/{work.pk}/bookmarks"' in box
        others = [other for other in works if other != work]
        assert not any(f"/works/{other.pk}/" in box for other in others)


def test_a_logged_out_reader_is_asked_to_log_in_to_bookmark(client, story):
    page = client.get(story.get_absolute_url()).content.decode()

    assert "to bookmark this work" in page
    assert f'action="{save_url(story)}"' not in page
    assert "js/bookmarks.js" not in page


def test_bookmarking_without_javascript_saves_and_redirects_back_to_the_page(reader_client, reader, story):
    chapter = Chapter.objects.filter(story=story).order_by("position").last()

    response = reader_client.post(
        save_url(story),
        {"note": "Read on the train.", "tags": "reread, Winter, reread", "next": chapter.get_absolute_url()},
        follow=True,
    )

    assert response.redirect_chain == [(f"{chapter.get_absolute_url()}#bookmark", 302)]
    page = response.content.decode()
    assert "Your bookmark was saved." in page
    assert "You bookmarked this work on" in page
    bookmark = Bookmark.objects.get()
    assert (bookmark.user, bookmark.story, bookmark.private) == (reader, story, False)
    assert bookmark.note == "Read on the train."
    assert list(bookmark.tags.values_list("name", flat=True)) == ["reread", "Winter"]
    assert bookmark_count(story) == 1


def test_a_redirect_never_leaves_the_archive(reader_client, story):
    response = reader_client.post(save_url(story), {"note": "", "next": "https://evil.example/"})

    assert response["Location"] == f"{story.get_absolute_url()}#bookmark"


def test_bookmarking_with_javascript_answers_json_with_the_refreshed_box(reader_client, story):
    response = reader_client.post(save_url(story), {"note": "x", "private": "on"}, **JSON)

    assert response.status_code == 200
    data = response.json()
    assert data["ok"] is True
    assert data["message"] == "Your bookmark was saved."
    assert data["bookmark_count"] == 0
    assert data["html"].startswith('<section id="bookmark"')
    assert "You bookmarked this work privately" in data["html"]
    assert Bookmark.objects.get().private


def test_posting_again_updates_the_readers_one_bookmark(reader_client, story):
    reader_client.post(save_url(story), {"note": "First.", "tags": "a"})

    response = reader_client.post(save_url(story), {"note": "Second.", "tags": "b", "private": "on"}, **JSON)

    assert response.json()["message"] == "Your bookmark was updated."
    assert response.json()["bookmark_count"] == 0
    bookmark = Bookmark.objects.get()
    assert bookmark.note == "Second."
    assert list(bookmark.tags.values_list("name", flat=True)) == ["b"]


def test_a_too_long_note_is_refused_with_the_form_shown_again(reader_client, story):
    too_long = "x" * 5001

    plain = reader_client.post(save_url(story), {"note": too_long})
    scripted = reader_client.post(save_url(story), {"note": too_long}, **JSON)

    assert plain.status_code == 200
    assert "at most 5000 characters" in plain.content.decode()
    assert scripted.status_code == 400
    assert "at most 5000 characters" in scripted.json()["html"]
    assert not Bookmark.objects.exists()


def test_the_bookmark_form_page_works_on_its_own(reader_client, story):
    response = reader_client.get(save_url(story))

    assert response.status_code == 200
    assert "Bookmark “" in response.content.decode()


@pytest.mark.parametrize("who", ["author", "reader", "guest"])
def test_a_draft_cannot_be_bookmarked(who, author, author_client, reader_client):
    draft = make_story(author=author, post=False)
    client = {"author": author_client, "reader": reader_client, "guest": Client()}[who]

    response = client.post(save_url(draft), {"note": ""})

    assert response.status_code == (302 if who == "guest" else 404)
    assert not Bookmark.objects.exists()
    assert "Save bookmark" not in author_client.get(draft.get_absolute_url()).content.decode()


def test_a_guest_is_sent_to_log_in_and_nothing_is_saved(client, story):
    response = client.post(save_url(story), {"note": ""})

    assert response.status_code == 302
    assert response["Location"].startswith("/users/login")
    assert not Bookmark.objects.exists()


def test_a_bookmark_needs_a_csrf_token(reader, story):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)

    assert client.post(save_url(story), {"note": ""}).status_code == 403
    assert not Bookmark.objects.exists()


def test_a_note_is_plain_text_escaped_with_its_paragraphs_kept(reader_client, reader, story):
    bookmark = make_bookmark(user=reader, story=story, note="<script>alert(1)</script>\n\nSecond <b>para</b>.")

    page = reader_client.get(bookmark.get_absolute_url()).content.decode()

    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;</p>" in page
    assert "<p>Second &lt;b&gt;para&lt;/b&gt;.</p>" in page


def test_a_reader_edits_their_bookmark_and_goes_back(reader_client, reader, story):
    bookmark = make_bookmark(user=reader, story=story, note="Old.", tags=["x"])
    url = f"/bookmarks/{bookmark.pk}/edit"

    form = reader_client.get(url).content.decode()
    response = reader_client.post(url, {"note": "New.", "tags": "y, z", "private": "on"})

    assert "Old." in form
    assert 'value="x"' in form
    assert response.status_code == 302
    assert response["Location"] == bookmark.get_absolute_url()
    bookmark.refresh_from_db()
    assert (bookmark.note, bookmark.private) == ("New.", True)
    assert list(bookmark.tags.values_list("name", flat=True)) == ["y", "z"]
    assert bookmark_count(story) == 0


def test_a_reader_deletes_their_bookmark_after_confirming(reader_client, reader, story):
    bookmark = make_bookmark(user=reader, story=story)
    url = f"/bookmarks/{bookmark.pk}/delete"

    confirm = reader_client.get(url)
    response = reader_client.post(url, follow=True)

    assert "Delete your bookmark of “The Pomegranate Seeds”?" in confirm.content.decode()
    assert response.redirect_chain == [("/users/reader/bookmarks", 302)]
    assert "Your bookmark of “The Pomegranate Seeds” was deleted." in response.content.decode()
    assert not Bookmark.objects.exists()
    assert bookmark_count(story) == 0


@pytest.mark.parametrize("action", ["edit", "delete"])
def test_nobody_edits_or_deletes_someone_elses_bookmark(action, reader, story):
    bookmark = make_bookmark(user=reader, story=story, note="Mine.")
    other = Client()
    other.force_login(UserFactory(username="other"))

    assert other.get(f"/bookmarks/{bookmark.pk}/{action}").status_code == 404
    assert other.post(f"/bookmarks/{bookmark.pk}/{action}", {"note": "Theirs."}).status_code == 404
    bookmark.refresh_from_db()
    assert bookmark.note == "Mine."
    assert bookmark_count(story) == 1


@pytest.mark.parametrize("action", ["edit", "delete"])
def test_a_guest_is_sent_to_log_in_to_edit_or_delete(action, reader, story, client):
    bookmark = make_bookmark(user=reader, story=story)

    response = client.post(f"/bookmarks/{bookmark.pk}/{action}", {"note": "x"})

    assert response.status_code == 302
    assert response["Location"].startswith("/users/login")
    assert Bookmark.objects.filter(note="").exists()


def test_the_edit_and_delete_links_show_only_to_the_bookmarker(reader_client, reader, story, client):
    bookmark = make_bookmark(user=reader, story=story)

    assert f"/bookmarks/{bookmark.pk}/edit" in reader_client.get(bookmark.get_absolute_url()).content.decode()
    assert f"/bookmarks/{bookmark.pk}/edit" not in client.get(bookmark.get_absolute_url()).content.decode()


def test_a_private_bookmark_is_a_404_to_everyone_but_its_owner(reader_client, reader, story, client, author_client):
    bookmark = make_bookmark(user=reader, story=story, private=True)

    assert reader_client.get(bookmark.get_absolute_url()).status_code == 200
    assert client.get(bookmark.get_absolute_url()).status_code == 404
    assert author_client.get(bookmark.get_absolute_url()).status_code == 404


def test_the_work_page_shows_the_public_bookmark_count(client, reader, story):
    make_bookmark(user=reader, story=story)
    make_bookmark(user=UserFactory(), story=story)
    make_bookmark(user=UserFactory(), story=story, private=True)

    page = client.get(story.get_absolute_url()).content.decode()

    assert "2 public bookmarks" in page


def test_a_works_bookmarks_page_lists_public_bookmarks_and_never_private_ones(client, reader_client, reader, story):
    make_bookmark(user=UserFactory(username="publicfan"), story=story, note="Loved it.")
    make_bookmark(user=UserFactory(username="secretfan"), story=story, note="Hush.", private=True)
    make_bookmark(user=reader, story=story, note="My own, private.", private=True)

    guest_page = client.get(f"/works/{story.pk}/bookmarks").content.decode()
    reader_page = reader_client.get(f"/works/{story.pk}/bookmarks").content.decode()

    assert "publicfan" in guest_page and "Loved it." in guest_page
    assert "secretfan" not in guest_page and "Hush." not in guest_page
    assert "My own, private." not in guest_page
    assert "My own, private." in reader_page
    assert "Hush." not in reader_page
    assert "1 public bookmark" in guest_page


def test_a_works_bookmarks_page_costs_the_same_queries_however_many_bookmarks(
    client, story, django_assert_max_num_queries
):
    make_bookmark(story=story, tags=["a"])
    client.get(f"/works/{story.pk}/bookmarks")
    with django_assert_max_num_queries(10) as few:
        client.get(f"/works/{story.pk}/bookmarks")
    for number in range(8):
        make_bookmark(story=story, note=f"Note {number}", tags=["a", f"tag {number}"])

    with django_assert_max_num_queries(len(few)):
        response = client.get(f"/works/{story.pk}/bookmarks")

    assert response.content.decode().count('class="bookmark-entry"') == 9


def test_a_notes_line_breaks_are_kept_as_plain_newlines(reader_client, story):
    reader_client.post(save_url(story), {"note": "One.\r\n\r\nTwo.\r\nThree."})

    assert Bookmark.objects.get().note == "One.\n\nTwo.\nThree."
