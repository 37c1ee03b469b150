"""Long texts in any script reach the form, and a post too large to read is explained, not a bare 400.

A chapter may hold MAX_BODY_LENGTH characters. In a script whose characters take three or four
bytes of UTF-8 (Chinese, Japanese, emoji), percent-encoded as a browser sends a form, that is up
to twelve bytes a character: DATA_UPLOAD_MAX_MEMORY_SIZE must hold the largest form filled to
every limit, or the author's text is refused before any view sees it.
"""

import html
from urllib.parse import urlencode

import pytest

from archive.chapters.models import MAX_BODY_LENGTH, Chapter
from archive.stories.models import MAX_NOTES_LENGTH, MAX_SUMMARY_LENGTH, MAX_TITLE_LENGTH
from archive.stories.tests.factories import make_story, work_form_data
from archive.tags.models import MAX_TAG_LENGTH, MAX_TAGS_PER_STORY

pytestmark = pytest.mark.django_db

FORM = "application/x-www-form-urlencoded"
CHAPTER_TITLE_LENGTH = 255
# The worst a character can cost: four bytes of UTF-8, each written as three ("%F0").
WORST_BYTES_PER_CHARACTER = 4 * 3


def cjk(count: int) -> str:
    """`count` Han characters, cycling through the unified ideographs block."""
    return "".join(chr(0x4E00 + index % 0x5200) for index in range(count))


def post_form(client, url: str, data: dict):
    """Posted as a browser posts a form: one URL-encoded body, not the test client's multipart."""
    return client.post(url, urlencode(data, doseq=True), content_type=FORM)


def test_the_upload_limit_holds_the_largest_form_filled_to_every_limit_in_the_costliest_characters(settings):
    # A new work with its first chapter: the work's fields, its tags (all of them in one field at
    # the worst, with ", " between), and the chapter's fields.
    work = MAX_TITLE_LENGTH + MAX_SUMMARY_LENGTH + 2 * MAX_NOTES_LENGTH
    tags = 4 * MAX_TAGS_PER_STORY * (MAX_TAG_LENGTH + 2)
    chapter = CHAPTER_TITLE_LENGTH + 2 * MAX_NOTES_LENGTH + MAX_BODY_LENGTH

    worst = (work + tags + chapter) * WORST_BYTES_PER_CHARACTER

    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE >= worst * 1.1  # and room for the names and choices


def test_a_chapter_of_300000_han_characters_is_posted_and_saved_exactly(author, author_client):
    story = make_story(author=author)
    text = cjk(300_000)
    body = urlencode({"title": "", "notes": "", "end_notes": "", "body": text, "action": "post"})
    assert len(body.encode()) > 2_621_440  # more than Django's default limit, 2.5 MiB

    response = author_client.post(f"/works/{story.pk}/chapters/new", body, content_type=FORM)

    assert response.status_code == 302
    chapter = Chapter.objects.filter(story=story).order_by("-position").first()
    assert chapter.body == f"<p>{text}</p>"
    assert chapter.word_count == 300_000


def test_a_new_work_filled_to_every_limit_in_four_byte_characters_reaches_the_form(author_client):
    emoji = "\U0001f409"
    data = work_form_data(
        title=emoji * MAX_TITLE_LENGTH,
        summary=emoji * MAX_SUMMARY_LENGTH,
        notes=emoji * MAX_NOTES_LENGTH,
        end_notes=emoji * MAX_NOTES_LENGTH,
        **{
            "chapter-title": emoji * CHAPTER_TITLE_LENGTH,
            "chapter-notes": emoji * MAX_NOTES_LENGTH,
            "chapter-end_notes": emoji * MAX_NOTES_LENGTH,
            "chapter-body": emoji * MAX_BODY_LENGTH,
        },
    )

    response = post_form(author_client, "/works/new", data)

    assert response.status_code == 302
    assert Chapter.objects.get().body == f"<p>{emoji * MAX_BODY_LENGTH}</p>"


def test_a_chapter_over_the_limit_comes_back_in_the_form_with_every_character(author, author_client):
    story = make_story(author=author)
    text = cjk(MAX_BODY_LENGTH + 1)

    response = post_form(
        author_client, f"/works/{story.pk}/chapters/new", {"title": "", "body": text, "action": "post"}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Please fix the problems marked below" in page
    assert f">\n{html.escape(text)}</textarea>" in page
    assert story.chapters.count() == 1


@pytest.mark.parametrize("setting", ["DATA_UPLOAD_MAX_MEMORY_SIZE", "DATA_UPLOAD_MAX_NUMBER_FIELDS"])
def test_a_post_too_large_to_read_is_explained_not_a_bare_bad_request(author, author_client, settings, setting):
    setattr(settings, setting, 10)
    story = make_story(author=author)
    data = {"title": "", "notes": "", "end_notes": "", "body": "Far too many words. " * 50, "action": "post"}
    data.update({f"extra{number}": "x" for number in range(20)})

    response = post_form(author_client, f"/works/{story.pk}/chapters/new", data)

    assert response.status_code == 413
    page = response.content.decode()
    assert "too large to send" in page
    assert "Back" in page  # the browser's form still holds the text
    assert f"{MAX_BODY_LENGTH:,}" in page
    assert story.chapters.count() == 1


def test_other_bad_requests_still_get_the_plain_answer(client, settings):
    response = client.get("/", headers={"host": "evil.example"})

    assert response.status_code == 400
