"""A refused post gives the author back every word they typed.

Three ways a post is refused before it is saved: a validation error (the form comes back filled
in), an expired session and a lost CSRF token (both answer 403 with a page showing every text
field that was sent, read-only, and a log-in link that opens in a new tab).
"""

import html
import re

import pytest
from django.test import Client

from archive.chapters.models import Chapter
from archive.comments.services import post_comment
from archive.stories.models import Story
from archive.stories.tests.factories import make_story, work_form_data

BODY = 'It was <script>alert("x")</script> a dark & stormy night.\r\n\r\nThe second paragraph, long and loved.'
NOTES = "Thank you to my beta, who is wonderful."
LONG_TITLE = "T" * 256


@pytest.fixture
def story(author) -> Story:
    return make_story(author=author, title="Mine", body="What was there before.")


@pytest.fixture
def chapter(story) -> Chapter:
    return story.chapters.get()


def chapter_data(**overrides) -> dict:
    return {"title": "Storm", "notes": NOTES, "end_notes": "", "body": BODY, "action": "post", **overrides}


def work_edit_data(**overrides) -> dict:
    data = {k: v for k, v in work_form_data().items() if not k.startswith("chapter-") and k != "action"}
    return {**data, "summary": "A summary I spent an hour on.", "notes": NOTES, **overrides}


def textareas(page: str) -> list[str]:
    """What each textarea on the page holds, as the browser shows it."""
    return [
        html.unescape(value).removeprefix("\n") for value in re.findall(r"<textarea[^>]*>(.*?)</textarea>", page, re.S)
    ]


def normalised(text: str) -> str:
    return text.replace("\r\n", "\n")


# Validation errors: the form comes back with everything in it.

FORMS = [
    pytest.param(
        lambda story, chapter: "/works/new",
        lambda: work_form_data(title=LONG_TITLE, **{"chapter-body": BODY, "notes": NOTES}),
        id="new work, title too long",
    ),
    pytest.param(
        lambda story, chapter: "/works/new",
        lambda: work_form_data(fandoms="", **{"chapter-body": BODY, "notes": NOTES}),
        id="new work, no fandom",
    ),
    pytest.param(
        lambda story, chapter: f"/works/{story.pk}/chapters/new",
        lambda: chapter_data(title=LONG_TITLE),
        id="new chapter",
    ),
    pytest.param(
        lambda story, chapter: f"/works/{story.pk}/chapters/{chapter.pk}/edit",
        lambda: chapter_data(title=LONG_TITLE),
        id="edit chapter",
    ),
    pytest.param(
        lambda story, chapter: f"/works/{story.pk}/edit",
        lambda: work_edit_data(title=LONG_TITLE, notes=BODY),
        id="edit work, title too long",
    ),
    pytest.param(
        lambda story, chapter: f"/works/{story.pk}/edit",
        lambda: work_edit_data(fandoms="", notes=BODY),
        id="edit work, no fandom",
    ),
]


@pytest.mark.parametrize(("url", "data"), FORMS)
def test_a_form_with_an_error_comes_back_with_every_word_in_it(url, data, story, chapter, author_client):
    before = (Story.objects.count(), Chapter.objects.count(), Story.objects.get(pk=story.pk).title)
    sent = data()

    response = author_client.post(url(story, chapter), sent)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Please fix the problems marked below" in page
    assert "<script>alert" not in page  # escaped, never run
    boxes = [normalised(box) for box in textareas(page)]
    assert normalised(BODY) in boxes
    assert NOTES in boxes or normalised(BODY) in boxes
    for name, value in sent.items():
        if isinstance(value, str) and value and name not in {"action", "rating", "language"}:
            assert html.escape(value, quote=True).replace("\r\n", "\n") in page.replace("\r\n", "\n"), name
    assert (Story.objects.count(), Chapter.objects.count(), Story.objects.get(pk=story.pk).title) == before


# An expired session: the text comes back instead of being lost on the way to the log-in page.

AUTHOR_FORMS = [
    pytest.param(lambda story, chapter: "/works/new", lambda: work_form_data(**{"chapter-body": BODY}), id="new work"),
    pytest.param(lambda story, chapter: f"/works/{story.pk}/chapters/new", chapter_data, id="new chapter"),
    pytest.param(
        lambda story, chapter: f"/works/{story.pk}/chapters/{chapter.pk}/edit", chapter_data, id="edit chapter"
    ),
    pytest.param(lambda story, chapter: f"/works/{story.pk}/edit", lambda: work_edit_data(notes=BODY), id="edit work"),
]


@pytest.mark.parametrize(("url", "data"), AUTHOR_FORMS)
def test_posting_after_the_session_expired_gives_the_text_back(url, data, story, chapter, client):
    address = url(story, chapter)
    before = (Story.objects.count(), Chapter.objects.count(), Chapter.objects.get(pk=chapter.pk).body)

    response = client.post(address, {**data(), "password": "never-shown"})

    assert response.status_code == 403
    page = response.content.decode()
    assert "Your session expired — log in again, then paste your text back" in page
    assert normalised(BODY) in [normalised(box) for box in textareas(page)]
    assert "<script>alert" not in page
    assert re.search(r"<textarea[^>]*readonly", page)
    assert "never-shown" not in page
    assert re.search(r'<a href="/users/login\?next=[^"]*" target="_blank" rel="noopener">', page)
    assert (Story.objects.count(), Chapter.objects.count(), Chapter.objects.get(pk=chapter.pk).body) == before


READER_TEXT = "I wrote this carefully, over an hour, and would hate to lose it."


@pytest.mark.parametrize(
    ("url", "field"),
    [
        pytest.param(lambda story, comment: f"/comments/{comment.pk}/edit", "body", id="comment edit"),
        pytest.param(lambda story, comment: "/profile/edit", "about", id="profile"),
        pytest.param(lambda story, comment: f"/works/{story.pk}/bookmark", "note", id="new bookmark"),
    ],
)
def test_a_readers_text_comes_back_too_when_their_session_expired(url, field, story, chapter, reader, client):
    comment = post_comment(chapter=chapter, user=reader, body="First thoughts.")

    response = client.post(url(story, comment), {field: READER_TEXT})

    assert response.status_code == 403
    page = response.content.decode()
    assert "Your session expired" in page
    assert READER_TEXT in textareas(page)


def test_the_log_in_link_returns_to_the_form_the_author_was_on(story, client):
    address = f"/works/{story.pk}/chapters/new"

    page = client.post(address, chapter_data(), HTTP_REFERER=f"http://testserver{address}").content.decode()

    assert f'href="/users/login?next=/works/{story.pk}/chapters/new"' in page


def test_a_referer_from_another_site_is_not_used_for_the_log_in_link(story, client):
    address = f"/works/{story.pk}/chapters/new"

    page = client.post(address, chapter_data(), HTTP_REFERER="https://evil.example/phish").content.decode()

    assert "evil.example" not in page
    assert f'href="/users/login?next=/works/{story.pk}/chapters/new"' in page


# A referer that names a page on another site once a browser reads it as a link: a second slash
# (or a backslash, which browsers read as one) makes the path a network address.
FOREIGN_REFERERS = [
    "http://testserver//evil.example/x",
    "http://testserver/\\evil.example",
    "http://testserver/\\/evil.example",
    "http://testserver/%2F%2Fevil.example",
    "http://testserver/\t/evil.example",
    "http://testserver///evil.example",
    "http://testserver/no/such/page",
]


@pytest.mark.parametrize("referer", FOREIGN_REFERERS)
def test_a_referer_that_is_no_page_of_ours_never_becomes_the_link_back(author, story, chapter, referer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(author)
    address = f"/works/{story.pk}/chapters/{chapter.pk}/comments"

    response = client.post(
        address, {"body": "A comment I wrote.", "csrfmiddlewaretoken": "stale"}, HTTP_REFERER=referer
    )

    assert response.status_code == 403
    page = response.content.decode()
    assert "A comment I wrote." in textareas(page)
    assert "evil" not in page
    assert f'<a href="{address}" target="_blank" rel="noopener">Open the form again' in page


@pytest.mark.parametrize("referer", FOREIGN_REFERERS)
def test_a_referer_that_is_no_page_of_ours_never_becomes_the_log_in_links_next(story, client, referer):
    address = f"/works/{story.pk}/chapters/new"

    page = client.post(address, chapter_data(), HTTP_REFERER=referer).content.decode()

    assert "evil" not in page
    assert f'href="/users/login?next={address}"' in page


def test_a_referer_of_ours_with_an_escaped_path_is_kept(story, client):
    tag_page = "/tags/Greek%20Mythology/works"

    page = client.post(f"/works/{story.pk}/chapters/new", chapter_data(), HTTP_REFERER=f"http://testserver{tag_page}")

    assert 'href="/users/login?next=/tags/Greek%2520Mythology/works"' in page.content.decode()


def test_a_referer_from_a_page_of_ours_is_the_link_back_query_and_all(author, story, chapter):
    client = Client(enforce_csrf_checks=True)
    client.force_login(author)
    page_url = f"/works/{story.pk}/chapters/{chapter.pk}?show_comments=true"

    response = client.post(
        f"/works/{story.pk}/chapters/{chapter.pk}/comments",
        {"body": "A comment I wrote.", "csrfmiddlewaretoken": "stale"},
        HTTP_REFERER=f"http://testserver{page_url}",
    )

    assert f'<a href="{html.escape(page_url)}" target="_blank" rel="noopener">Open the form again' in (
        response.content.decode()
    )


def test_an_empty_post_or_a_visit_after_the_session_expired_still_goes_to_log_in(story, client):
    for response in (client.get("/works/new"), client.post("/works/new", {"action": "post"})):
        assert response.status_code == 302
        assert response.url == "/users/login?next=/works/new"


# A lost CSRF token (a log out or log in in another tab rotates it).


def test_a_post_with_a_lost_csrf_token_gives_the_text_back(author, story):
    client = Client(enforce_csrf_checks=True)
    client.force_login(author)

    response = client.post(
        f"/works/{story.pk}/chapters/new", {**chapter_data(), "csrfmiddlewaretoken": "stale-token-value"}
    )

    assert response.status_code == 403
    page = response.content.decode()
    assert "Your form could not be sent" in page
    assert normalised(BODY) in [normalised(box) for box in textareas(page)]
    assert NOTES in textareas(page)
    assert "stale-token-value" not in page
    assert "<script>alert" not in page
    assert story.chapters.count() == 1


def test_a_refused_log_in_never_echoes_the_password(db):
    client = Client(enforce_csrf_checks=True)

    response = client.post("/users/login", {"username": "quill", "password": "my secret password, long"})

    assert response.status_code == 403
    assert "my secret password" not in response.content.decode()


def test_a_post_with_its_csrf_token_still_goes_through(author, story):
    client = Client(enforce_csrf_checks=True)
    client.force_login(author)
    form = client.get(f"/works/{story.pk}/chapters/new").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)

    response = client.post(f"/works/{story.pk}/chapters/new", {**chapter_data(), "csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert story.chapters.count() == 2


def test_choices_are_left_out_of_the_text_given_back(client):
    page = client.post("/works/new", work_form_data(**{"chapter-body": BODY})).content.decode()

    boxes = textareas(page)
    assert "The Long Way Round" in boxes and "Greek Mythology" in boxes
    assert not {"teen", "en", "8", "post"} & set(boxes)
