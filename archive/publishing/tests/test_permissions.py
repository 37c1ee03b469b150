"""Only a work's authors may change it; everyone else gets a 404 and changes nothing."""

from urllib.parse import quote

import pytest
from django.test import Client

from archive.accounts.tests.factories import UserFactory
from archive.chapters.models import Chapter
from archive.comments.models import Comment
from archive.publishing.services import add_chapter
from archive.stories.models import Story
from archive.stories.tests.factories import make_story

WORK_FIELDS = {
    "title": "Hijacked",
    "summary": "",
    "notes": "",
    "end_notes": "",
    "rating": "explicit",
    "warnings": ["1"],
    "language": "en",
    "fandoms": "Someone Else's Fandom",
    "expected_chapters": "",
}
CHAPTER_FIELDS = {"title": "Hijacked", "notes": "", "end_notes": "", "body": "Hijacked text.", "action": "post"}

# Every page that changes a work, with what a valid submission to it would send.
AUTHOR_ONLY = [
    pytest.param(lambda story, chapter: f"/works/{story.pk}/edit", WORK_FIELDS, id="edit work"),
    pytest.param(lambda story, chapter: f"/works/{story.pk}/delete", {}, id="delete work"),
    pytest.param(lambda story, chapter: f"/works/{story.pk}/post", {}, id="post work"),
    pytest.param(lambda story, chapter: f"/works/{story.pk}/chapters/new", CHAPTER_FIELDS, id="add chapter"),
    pytest.param(
        lambda story, chapter: f"/works/{story.pk}/chapters/{chapter.pk}/edit", CHAPTER_FIELDS, id="edit chapter"
    ),
    pytest.param(lambda story, chapter: f"/works/{story.pk}/chapters/{chapter.pk}/delete", {}, id="delete chapter"),
]


@pytest.fixture(params=["posted", "draft"])
def story(request, author) -> Story:
    """A work of `author` with two chapters, so even deleting one would be allowed."""
    story = make_story(author=author, title="Mine", chapters=2, post=request.param == "posted")
    # A draft chapter too, which posting (the chapter or the work) would change.
    add_chapter(story=story, fields={"title": "", "notes": "", "end_notes": "", "body": "<p>Later.</p>"}, post=False)
    story.refresh_from_db()
    return story


def snapshot(story: Story) -> tuple:
    story = Story.objects.get(pk=story.pk)
    return (
        story.title,
        story.rating,
        story.published_at,
        story.updated_at,
        story.word_count,
        story.chapter_count,
        list(story.authors.values_list("pk", flat=True)),
        list(story.tag_links.order_by("id").values_list("tag__name", flat=True)),
        list(story.chapters.order_by("position").values_list("pk", "position", "title", "body", "published_at")),
    )


def target_chapter(story: Story) -> Chapter:
    return story.chapters.get(position=3)  # the draft one: editing it with action=post would post it


@pytest.mark.parametrize(("url", "data"), AUTHOR_ONLY)
def test_another_user_gets_a_404_and_changes_nothing(url, data, story, reader_client):
    address = url(story, target_chapter(story))
    before = snapshot(story)

    if not address.endswith("/post"):  # the post URL answers only POST (see below)
        assert reader_client.get(address).status_code == 404
    assert reader_client.post(address, data).status_code == 404

    assert snapshot(story) == before
    assert Story.objects.count() == 1


def test_the_post_work_url_only_answers_post_so_it_tells_nobody_anything(story, author_client, reader_client):
    assert author_client.get(f"/works/{story.pk}/post").status_code == 405
    assert reader_client.get(f"/works/{story.pk}/post").status_code == 405
    assert reader_client.get("/works/999999/post").status_code == 405


@pytest.mark.parametrize(("url", "data"), AUTHOR_ONLY)
def test_a_logged_out_visitor_is_sent_to_log_in_and_changes_nothing(url, data, story, client):
    address = url(story, target_chapter(story))
    before = snapshot(story)

    for response in (client.get(address), client.post(address, data)):
        if response.status_code == 403:
            # A post with text to the forms that keep it: the text comes back (test_give_back.py).
            assert data and "Your session expired" in response.content.decode()
            continue
        assert response.status_code == 302
        assert response.url == f"/users/login?next={quote(address)}"

    assert snapshot(story) == before


def test_a_logged_out_visitor_is_sent_to_log_in_to_post_a_new_work(db, client):
    response = client.get("/works/new")

    assert response.status_code == 302
    assert response.url == "/users/login?next=/works/new"
    assert client.post("/works/new", WORK_FIELDS).status_code == 403  # with the text given back
    assert not Story.objects.exists()


# Co-authors


@pytest.fixture
def coauthor_client(story) -> Client:
    coauthor = UserFactory(username="coauthor")
    story.authors.add(coauthor)
    client = Client()
    client.force_login(coauthor)
    return client


@pytest.mark.parametrize(("url", "data"), [param for param in AUTHOR_ONLY if param.id != "post work"])
def test_a_co_author_can_open_every_authors_page(url, data, story, coauthor_client):
    assert coauthor_client.get(url(story, target_chapter(story))).status_code == 200


def test_a_co_author_can_edit_the_work(story, coauthor_client):
    response = coauthor_client.post(f"/works/{story.pk}/edit", WORK_FIELDS)

    assert response.status_code == 302
    story.refresh_from_db()
    assert story.title == "Hijacked"
    assert list(story.tag_links.values_list("tag__name", flat=True)) == ["Someone Else's Fandom"]


def test_a_co_author_can_add_edit_and_delete_chapters(story, coauthor_client):
    assert coauthor_client.post(f"/works/{story.pk}/chapters/new", CHAPTER_FIELDS).status_code == 302
    assert story.chapters.count() == 4

    chapter = story.chapters.get(position=1)
    edit = coauthor_client.post(f"/works/{story.pk}/chapters/{chapter.pk}/edit", {**CHAPTER_FIELDS, "body": "Edited."})
    assert edit.status_code == 302
    chapter.refresh_from_db()
    assert chapter.body == "<p>Edited.</p>"

    assert coauthor_client.post(f"/works/{story.pk}/chapters/{chapter.pk}/delete").status_code == 302
    assert list(story.chapters.order_by("position").values_list("position", flat=True)) == [1, 2, 3]


def test_a_co_author_can_post_a_draft_work_and_sees_it_on_their_dashboard(author, story, coauthor_client):
    response = coauthor_client.post(f"/works/{story.pk}/post")

    assert response.status_code == 302
    story.refresh_from_db()
    assert not story.is_draft
    assert "Mine" in coauthor_client.get("/dashboard").content.decode()


def test_a_co_author_sees_the_author_tools_on_the_work_page(story, coauthor_client):
    page = coauthor_client.get(story.get_absolute_url()).content.decode()

    assert f'href="/works/{story.pk}/edit"' in page
    assert f'href="/works/{story.pk}/chapters/new"' in page


# CSRF


@pytest.fixture
def csrf_client(reader) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    return client


def test_posting_a_new_work_without_a_csrf_token_is_forbidden(csrf_client):
    data = {**WORK_FIELDS, "chapter-body": "Words.", "action": "post"}

    response = csrf_client.post("/works/new", data)

    assert response.status_code == 403
    assert not Story.objects.exists()


def test_posting_a_new_work_with_the_forms_csrf_token_works(csrf_client):
    csrf_client.get("/works/new")
    token = csrf_client.cookies["csrftoken"].value
    data = {**WORK_FIELDS, "chapter-body": "Words.", "action": "post", "csrfmiddlewaretoken": token}

    response = csrf_client.post("/works/new", data)

    assert response.status_code == 302
    assert Story.objects.count() == 1


def test_commenting_without_a_csrf_token_is_forbidden(author, csrf_client):
    story = make_story(author=author)
    chapter = story.chapters.get()
    url = f"/works/{story.pk}/chapters/{chapter.pk}/comments"

    response = csrf_client.post(url, {"body": "Forged comment."})

    assert response.status_code == 403
    assert not Comment.objects.exists()
    story.refresh_from_db()
    assert story.comment_count == 0


def test_commenting_with_the_pages_csrf_token_works(author, csrf_client):
    story = make_story(author=author)
    chapter = story.chapters.get()
    csrf_client.get(chapter.get_absolute_url())
    token = csrf_client.cookies["csrftoken"].value

    response = csrf_client.post(
        f"/works/{story.pk}/chapters/{chapter.pk}/comments", {"body": "Real comment.", "csrfmiddlewaretoken": token}
    )

    assert response.status_code == 302
    assert Comment.objects.get().body == "Real comment."
