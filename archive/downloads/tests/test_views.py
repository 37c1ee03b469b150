"""Downloading a work as a reader does: the links, the addresses, who gets a file, what it costs."""

import re
import zipfile
from io import BytesIO

import pytest

from archive.accounts.tests.factories import UserFactory
from archive.downloads.tests.factories import write_rich_story
from archive.publishing.services import add_chapter
from archive.stories.tests.factories import make_story

pytestmark = pytest.mark.django_db

FORMATS = [
    pytest.param("epub", "application/epub+zip", id="epub"),
    pytest.param("html", "text/html; charset=utf-8", id="html"),
]


@pytest.mark.parametrize(("extension", "content_type"), FORMATS)
def test_a_visible_work_downloads_as_an_attachment_named_after_its_title(client, author, extension, content_type):
    story = write_rich_story(author)

    response = client.get(f"/downloads/{story.pk}/the-long-way-round-home.{extension}")

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="the-long-way-round-home.{extension}"'
    assert len(response.content) > 1000


@pytest.mark.parametrize(("extension", "content_type"), FORMATS)
def test_any_slug_downloads_the_work_its_id_names(client, author, extension, content_type):
    story = make_story(author=author, title="Right Work")
    make_story(author=author, title="Other Work")

    response = client.get(f"/downloads/{story.pk}/other-work.{extension}")

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="right-work.{extension}"'


def test_a_title_with_no_latin_letters_names_the_file_after_the_works_id(client, author):
    story = make_story(author=author, title="家へ", language="ja")

    response = client.get(f"/downloads/{story.pk}/x.epub")

    assert response["Content-Disposition"] == f'attachment; filename="work-{story.pk}.epub"'


@pytest.mark.parametrize("extension", ["epub", "html"])
def test_a_draft_is_a_404_for_readers_and_even_for_its_author(client, reader_client, author_client, author, extension):
    draft = make_story(author=author, title="Not Yet", post=False)

    for visitor in (client, reader_client, author_client):
        assert visitor.get(f"/downloads/{draft.pk}/not-yet.{extension}").status_code == 404


@pytest.mark.parametrize("extension", ["epub", "html"])
def test_an_unknown_work_is_a_404(client, extension):
    assert client.get(f"/downloads/987654/nothing.{extension}").status_code == 404


def test_only_epub_and_html_are_served(client, author):
    story = make_story(author=author)

    assert client.get(f"/downloads/{story.pk}/a-story.pdf").status_code == 404
    assert client.post(f"/downloads/{story.pk}/a-story.epub").status_code == 405


def test_a_draft_chapter_stays_out_of_the_download_even_for_the_author(author_client, author):
    story = make_story(author=author, body="Posted words.")
    add_chapter(
        story=story,
        fields={"title": "Unfinished", "notes": "", "end_notes": "", "body": "<p>Draft words.</p>"},
        post=False,
    )

    page = author_client.get(f"/downloads/{story.pk}/a-story.html").content.decode()

    assert "Posted words." in page
    assert "Draft words." not in page
    assert "Unfinished" not in page


def test_the_work_page_and_the_entire_work_offer_both_downloads(reader_client, author):
    story = make_story(author=author, title="The Long Way Round", chapters=2)

    for url in (f"/works/{story.pk}", f"/works/{story.pk}?view_full_work=true"):
        page = reader_client.get(url).content.decode()
        assert '<li class="download">' in page
        assert f'<a href="/downloads/{story.pk}/the-long-way-round.epub">EPUB</a>' in page
        assert f'<a href="/downloads/{story.pk}/the-long-way-round.html">HTML</a>' in page


def test_a_draft_offers_its_author_no_download(author_client, author):
    draft = make_story(author=author, post=False)

    page = author_client.get(f"/works/{draft.pk}").content.decode()

    assert '<li class="download">' not in page
    assert "/downloads/" not in page


# Queries


def queries_for(client, url: str, most: int, assert_max) -> int:
    with assert_max(most) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("extension", ["epub", "html"])
@pytest.mark.parametrize("who", ["reader", "anonymous"])
def test_a_download_costs_the_same_queries_for_twelve_chapters_as_for_one(
    extension, who, author, reader_client, client, django_assert_max_num_queries
):
    visitor = reader_client if who == "reader" else client
    small = write_rich_story(author, chapters=1)
    big = write_rich_story(author, chapters=12, title="A Longer Way")
    big.authors.add(UserFactory(username="coauthor"))
    visitor.get(f"/downloads/{small.pk}/small.{extension}")  # warm per-process caches

    small_count = queries_for(visitor, f"/downloads/{small.pk}/small.{extension}", 8, django_assert_max_num_queries)
    queries_for(visitor, f"/downloads/{big.pk}/big.{extension}", small_count, django_assert_max_num_queries)


# Safety

SCRIPT = '<script>alert("x")</script><img src="https://example.org/x.png" onerror="alert(1)">'


def files_in(response, extension: str) -> list[str]:
    if extension == "html":
        return [response.content.decode()]
    epub = zipfile.ZipFile(BytesIO(response.content))
    return [epub.read(name).decode() for name in epub.namelist()]


@pytest.mark.parametrize("extension", ["epub", "html"])
def test_a_script_in_any_field_never_survives(client, author, extension):
    # Stored raw, past the forms' cleaning (an old import, a shell session): the download cleans again.
    story = make_story(
        author=author,
        title=f"Title {SCRIPT}",
        summary=f"<p>Summary</p>{SCRIPT}",
        notes=f"<p>Notes</p>{SCRIPT}",
        end_notes=f"<p>End notes</p>{SCRIPT}",
        freeforms=["<script>tag</script>"],
        body=f"Body {SCRIPT}",
    )
    add_chapter(
        story=story,
        fields={"title": f"Two {SCRIPT}", "notes": SCRIPT, "end_notes": SCRIPT, "body": f"<p>Two</p>{SCRIPT}"},
        post=True,
    )

    response = client.get(f"/downloads/{story.pk}/title.{extension}")

    assert response.status_code == 200
    for text in files_in(response, extension):
        assert "<script" not in text.lower()
        assert not re.search(r"<[^<>]*\son\w+\s*=", text)  # no event handler on any element
    page = "".join(files_in(response, extension))
    assert "Title &lt;script&gt;" in page
    assert "Body " in page
