"""The Archive of Our Own's reader markup on our work pages, and hiding the creator's style.

Readers' tools (FanFicFare, userscripts) read these pages the way they read AO3's; the full
download is proven in tests/compat/test_fanficfare.py. These tests pin what those tools rely on.
"""

import html
import re

import pytest

from archive.core.tests.pages import listed_ids
from archive.publishing.services import update_chapter
from archive.publishing.tests.test_posting import stat, tag_names
from archive.stories.choices import Category, Rating, Warning
from archive.stories.models import Story
from archive.stories.tests.factories import make_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(author) -> Story:
    story = make_story(
        author=author,
        chapters=2,
        rating=Rating.TEEN,
        warnings=Warning.VIOLENCE,
        categories=Category.FF,
    )
    first = story.chapters.order_by("position").first()
    update_chapter(chapter=first, fields={"notes": "<p>Before the first.</p>"})
    Story.objects.filter(pk=story.pk).update(kudos_count=1200, bookmark_count=34, hit_count=56789)
    story.refresh_from_db()
    return story


def test_a_works_stats_count_its_bookmarks_and_hits(story, client):
    for url in (story.get_absolute_url(), f"{story.get_absolute_url()}?view_full_work=true"):
        page = client.get(url).content.decode()

        assert '<dt class="bookmarks">Bookmarks:</dt>' in page
        assert f'<dd class="bookmarks"><a href="/works/{story.pk}/bookmarks">34</a></dd>' in page
        assert '<dt class="hits">Hits:</dt><dd class="hits">56,789</dd>' in page


def test_a_work_nobody_has_bookmarked_says_so_without_a_link(client):
    story = make_story()

    assert '<dd class="bookmarks">0</dd>' in client.get(story.get_absolute_url()).content.decode()
    assert '<dd class="bookmarks">0</dd>' in client.get("/").content.decode()


def test_a_story_card_shows_kudos_bookmarks_and_hits(story, client):
    page = client.get("/").content.decode()

    assert stat(page, "kudos") == "1,200"
    assert f'<dd class="bookmarks"><a href="/works/{story.pk}/bookmarks">34</a></dd>' in page
    assert stat(page, "hits") == "56,789"


def test_rating_warnings_and_categories_are_tag_links_to_the_works_that_share_them(story, client):
    page = client.get(story.get_absolute_url()).content.decode()

    assert tag_names(page, "rating") == ["Teen And Up Audiences"]
    assert tag_names(page, "warning") == ["Graphic Depictions Of Violence"]
    assert tag_names(page, "category") == ["F/F"]
    make_story(title="Unrelated", rating=Rating.GENERAL, warnings=Warning.NONE_APPLY)
    for kind in ("rating", "warning", "category"):
        href = re.search(rf'<dd class="{kind} tags">.*?<a class="tag" href="([^"]+)"', page).group(1)
        assert listed_ids(client.get(href.replace("&amp;", "&"))) == [story.pk]


def test_the_chapter_index_credits_authors_by_pseud_as_the_archive_of_our_own_does(story, client):
    page = client.get(f"/works/{story.pk}/navigate").content.decode()

    assert '<a rel="author" href="/users/author/pseuds/author">author</a>' in page
    response = client.get("/users/author/pseuds/author")
    assert response.status_code == 302
    assert response["Location"] == "/users/author/works"


def test_a_chapter_page_marks_its_notes_and_hides_the_chapter_text_landmark(story, client):
    page = client.get(story.get_absolute_url()).content.decode()

    assert re.search(r'<div class="notes module" id="notes" role="complementary">\s*<h3 class="heading">Notes:</h3>\s*'
                     r'<blockquote class="userstuff"><p>Before the first.</p>', page)  # fmt: skip
    assert '<h3 class="landmark heading">Chapter Text</h3>' in page


def test_the_entire_work_keeps_its_ids_unique(story, client):
    page = client.get(f"{story.get_absolute_url()}?view_full_work=true").content.decode()

    ids = re.findall(r'\sid="([^"]+)"', page)
    assert "notes" not in ids
    assert len(ids) == len(set(ids))
    assert 'id="chapter-1"' in page
    assert 'id="chapter-2"' in page


def test_style_disable_hides_the_creators_style_on_that_page_only(story, client):
    url = story.get_absolute_url()
    plain = client.get(url).content.decode()
    hidden = client.get(f"{url}?style=disable").content.decode()

    assert '<div id="workskin">' in plain
    assert f'<a href="{url}?style=disable">Hide creator\'s style</a>' in plain
    assert '<div id="workskin" class="creator-style-hidden">' in hidden
    assert f'<a href="{url}">Show creator\'s style</a>' in hidden


def test_style_disable_works_on_the_entire_work_too(story, client):
    url = story.get_absolute_url()
    page = client.get(f"{url}?view_full_work=true").content.decode()
    hidden = client.get(f"{url}?view_full_work=true&style=disable").content.decode()

    assert f'<a href="{url}?view_full_work=true&amp;style=disable">Hide creator\'s style</a>' in page
    assert '<div id="workskin" class="creator-style-hidden">' in hidden
    assert f'<a href="{url}?view_full_work=true">Show creator\'s style</a>' in hidden


def test_the_meta_block_escapes_what_authors_typed_and_marks_main_tags(client):
    story = make_story(
        fandoms=['Fish & Chips <"Fandom">'],
        characters=["Ann <b>", "Bo's"],
        main_characters=["Bo's"],
        relationships=["Ann <b>/Bo's"],
        freeforms=["<script>alert(1)</script>"],
    )

    page = client.get(story.get_absolute_url()).content.decode()
    meta = re.search(r'<dl class="work meta group" id="work-meta">.*?</dl>\s*</dd>\s*</dl>', page, re.S).group(0)

    assert "<script>" not in meta and "<b>" not in meta
    assert tag_names(page, "fandom") == ['Fish & Chips <"Fandom">']
    assert tag_names(page, "freeform") == ["<script>alert(1)</script>"]
    characters = re.search(r'<dd class="character tags">(.*?)</dd>', meta).group(1)
    # The main one first, marked; each links to its tag's works.
    assert characters.index("Bo&#x27;s") < characters.index("Ann &lt;b&gt;")
    assert characters.count('<li class="main">') == 1 and characters.count("main-mark") == 1
    for href in re.findall(r'<a class="tag" href="([^"]+)"', characters):
        assert story.pk in listed_ids(client.get(html.unescape(href)))
