"""What is inside a downloaded HTML file: one complete page with the whole work."""

import subprocess

import pytest

from archive.core.tests.tools import JAVA, VNU, needs_vnu
from archive.downloads.tests.factories import write_rich_story
from archive.stories.tests.factories import make_story

pytestmark = pytest.mark.django_db


def download(client, story) -> str:
    response = client.get(f"/downloads/{story.pk}/work.html")
    assert response.status_code == 200
    return response.content.decode()


def in_order(page: str, *texts: str) -> bool:
    positions = [page.index(text) for text in texts]
    return positions == sorted(positions)


def test_the_file_is_a_complete_page_with_its_own_stylesheet(client, author):
    page = download(client, write_rich_story(author))

    assert page.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert "<title>The Long Way Round: “Home” 家へ</title>" in page
    assert "<style>" in page
    assert "<link" not in page
    assert "<script" not in page
    assert " style=" not in page
    assert page.rstrip().endswith("</html>")


def test_the_contents_link_to_every_chapter_by_its_id(client, author):
    page = download(client, write_rich_story(author, chapters=12))

    assert '<li><a href="#chapter-1">Chapter 1: Setting Out</a></li>' in page
    for number in range(2, 13):
        assert f'<li><a href="#chapter-{number}">Chapter {number}: Part {number}</a></li>' in page
        assert f'<div class="chapter" id="chapter-{number}">' in page


def test_a_one_chapter_work_needs_no_contents(client, author):
    page = download(client, make_story(author=author))

    assert 'class="toc"' not in page
    assert 'id="chapter-1"' in page


def test_the_work_reads_in_order_with_every_note_in_place(client, author):
    page = download(client, write_rich_story(author, chapters=3))

    assert in_order(
        page,
        "The Long Way Round",
        "General Audiences",
        "She said “go home”.",
        "Work notes up front.",
        "Chapter 1: Setting Out",
        "Notes before chapter 1.",
        "“Look,” she said",
        "Notes after chapter 1.",
        "Notes before chapter 2.",
        "Words of chapter 2.",
        "Notes after chapter 2.",
        "Notes before chapter 3.",
        "Words of chapter 3.",
        "Notes after chapter 3.",
        "Work end notes at the back.",
    )
    assert '<a href="#endnotes">more notes</a>' in page
    assert 'id="endnotes"' in page


def test_images_stay_and_relative_links_point_back_at_the_archive(client, author):
    page = download(client, write_rich_story(author))

    assert '<img src="https://example.org/map.png" alt="A map"/>' in page
    assert '<a href="http://testserver/works/1" rel="nofollow">a relative link</a>' in page
    assert "東京へ行きます。 مرحبا بالعالم" in page


@needs_vnu
def test_the_file_is_valid_html(client, author, tmp_path):
    path = tmp_path / "work.html"
    path.write_text(download(client, write_rich_story(author)))

    result = subprocess.run(  # noqa: S603 - our own file, a fixed command
        [JAVA, "-jar", str(VNU), "--errors-only", str(path)], capture_output=True, text=True, timeout=120, check=False
    )

    assert result.returncode == 0, result.stdout + result.stderr
