"""Reading a work as someone who didn't write it: chapter pages, navigation, the entire work."""

import re
from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from archive.accounts.tests.factories import UserFactory
from archive.chapters.models import Chapter
from archive.comments.services import post_comment
from archive.kudos.services import leave_kudos
from archive.publishing.services import add_chapter, update_chapter
from archive.stories.models import Story
from archive.stories.tests.factories import make_story


def write_story(author, chapters: int = 3, **story_fields) -> Story:
    """A posted work whose chapters each have their own words, notes and end notes."""
    story = make_story(
        author=author,
        title="The Long Way Round",
        notes="<p>Work notes up front.</p>",
        end_notes="<p>Work end notes at the back.</p>",
        body="Words of chapter 1.",
        **story_fields,
    )
    update_chapter(
        chapter=story.chapters.get(),
        fields={
            "title": "",
            "notes": "<p>Notes before chapter 1.</p>",
            "end_notes": "<p>Notes after chapter 1.</p>",
            "body": "<p>Words of chapter 1.</p>",
        },
    )
    for number in range(2, chapters + 1):
        add_chapter(
            story=story,
            fields={
                "title": f"Part {number}",
                "notes": f"<p>Notes before chapter {number}.</p>",
                "end_notes": f"<p>Notes after chapter {number}.</p>",
                "body": f"<p>Words of chapter {number}.</p>",
            },
            post=True,
        )
    story.refresh_from_db()
    return story


def chapters_of(story: Story) -> list[Chapter]:
    return list(story.chapters.order_by("position"))


def in_order(page: str, *texts: str) -> bool:
    positions = [page.index(text) for text in texts]
    return positions == sorted(positions)


# Chapter pages


def test_a_works_page_opens_on_chapter_one_with_a_link_to_the_next(author, reader_client):
    story = write_story(author)
    first, second, _ = chapters_of(story)

    response = reader_client.get(f"/works/{story.pk}")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Words of chapter 1." in page
    assert "Words of chapter 2." not in page
    assert f'<a rel="next" href="/works/{story.pk}/chapters/{second.pk}">Next chapter →</a>' in page
    assert 'rel="prev"' not in page
    assert "Work notes up front." in page
    assert "Work end notes at the back." not in page  # they close the work, on its last chapter


def test_a_middle_chapter_links_to_the_previous_and_next_chapters(author, reader_client):
    story = write_story(author)
    first, second, third = chapters_of(story)

    response = reader_client.get(f"/works/{story.pk}/chapters/{second.pk}")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Chapter 2: Part 2" in page
    assert in_order(page, "Notes before chapter 2.", "Words of chapter 2.", "Notes after chapter 2.")
    assert "Words of chapter 1." not in page and "Words of chapter 3." not in page
    assert f'<a rel="prev" href="/works/{story.pk}/chapters/{first.pk}">← Previous chapter</a>' in page
    assert f'<a rel="next" href="/works/{story.pk}/chapters/{third.pk}">Next chapter →</a>' in page
    assert "Work notes up front." not in page


def test_the_last_chapter_has_no_next_link_and_ends_with_the_works_end_notes(author, reader_client):
    story = write_story(author)
    _, second, third = chapters_of(story)

    page = reader_client.get(third.get_absolute_url()).content.decode()

    assert f'<a rel="prev" href="{second.get_absolute_url()}">' in page
    assert 'rel="next"' not in page
    assert in_order(page, "Words of chapter 3.", "Notes after chapter 3.", "Work end notes at the back.")


def test_a_one_chapter_work_has_no_chapter_navigation(author, reader_client):
    story = write_story(author, chapters=1)

    page = reader_client.get(story.get_absolute_url()).content.decode()

    assert 'rel="next"' not in page and 'rel="prev"' not in page
    assert "Chapter index" not in page
    assert in_order(page, "Work notes up front.", "Words of chapter 1.", "Work end notes at the back.")


def test_a_chapter_of_another_work_is_a_404_under_this_works_address(author, reader_client):
    story = write_story(author, chapters=1)
    other = make_story(title="Another")

    assert reader_client.get(f"/works/{story.pk}/chapters/{other.chapters.get().pk}").status_code == 404
    assert reader_client.get(f"/works/{story.pk}/chapters/999999").status_code == 404
    assert reader_client.get("/works/999999").status_code == 404


def test_readers_see_no_author_tools_on_a_work(author, reader_client, author_client):
    story = write_story(author, chapters=1)

    reader_page = reader_client.get(story.get_absolute_url()).content.decode()
    author_page = author_client.get(story.get_absolute_url()).content.decode()

    for link in (f"/works/{story.pk}/edit", f"/works/{story.pk}/chapters/new"):
        assert link not in reader_page
        assert link in author_page


# The chapter index


def test_the_chapter_index_lists_every_posted_chapter_with_its_date(author, reader_client):
    story = write_story(author)
    first, second, third = chapters_of(story)
    for chapter, day in zip((first, second, third), (5, 12, 19), strict=True):
        Chapter.objects.filter(pk=chapter.pk).update(published_at=datetime(2024, 3, day, 9, 30, tzinfo=UTC))

    response = reader_client.get(f"/works/{story.pk}/navigate")

    page = response.content.decode()
    assert response.status_code == 200
    entries = re.findall(r'<li><a href="([^"]+)">([^<]+)</a>\s*<span class="datetime">([^<]+)</span>', page)
    assert entries == [
        (first.get_absolute_url(), "1. Chapter 1", "(2024-03-05)"),
        (second.get_absolute_url(), "2. Part 2", "(2024-03-12)"),
        (third.get_absolute_url(), "3. Part 3", "(2024-03-19)"),
    ]
    assert f'href="/works/{story.pk}?view_full_work=true"' in page


def test_a_draft_chapter_is_missing_from_a_readers_index_but_not_its_authors(author, reader_client, author_client):
    story = write_story(author, chapters=2)
    add_chapter(
        story=story, fields={"title": "Unfinished", "notes": "", "end_notes": "", "body": "<p>WIP</p>"}, post=False
    )

    assert "Unfinished" not in reader_client.get(f"/works/{story.pk}/navigate").content.decode()
    author_index = author_client.get(f"/works/{story.pk}/navigate").content.decode()
    assert "3. Unfinished" in author_index
    assert "(Draft)" in author_index


def test_the_chapter_select_goes_to_the_chosen_chapter_and_never_to_a_draft(author, reader_client, author_client):
    story = write_story(author, chapters=2)
    draft = add_chapter(
        story=story, fields={"title": "Unfinished", "notes": "", "end_notes": "", "body": "<p>WIP</p>"}, post=False
    )
    second = chapters_of(story)[1]

    chosen = reader_client.get(f"/works/{story.pk}/navigate", {"selected_id": second.pk})
    assert chosen.status_code == 302 and chosen.url == second.get_absolute_url()
    # A chapter this reader can't open, or no chapter at all: the chapter index.
    for wanted in (draft.pk, "nonsense"):
        assert reader_client.get(f"/works/{story.pk}/navigate", {"selected_id": wanted}).status_code == 200
    assert author_client.get(f"/works/{story.pk}/navigate", {"selected_id": draft.pk}).status_code == 302


# The entire work


def test_the_entire_work_shows_every_chapter_with_its_own_notes_in_place(author, reader_client):
    story = write_story(author)

    response = reader_client.get(f"/works/{story.pk}?view_full_work=true")

    page = response.content.decode()
    assert response.status_code == 200
    assert in_order(
        page,
        "Work notes up front.",
        "Notes before chapter 1.",
        "Words of chapter 1.",
        "Notes after chapter 1.",
        'id="chapter-2"',
        "Notes before chapter 2.",
        "Words of chapter 2.",
        "Notes after chapter 2.",
        'id="chapter-3"',
        "Notes before chapter 3.",
        "Words of chapter 3.",
        "Notes after chapter 3.",
        "Work end notes at the back.",
    )
    for text in ("Work notes up front.", "Work end notes at the back.", "Words of chapter 2."):
        assert page.count(text) == 1, text


def test_the_entire_work_leaves_out_draft_chapters_for_readers(author, reader_client):
    story = write_story(author, chapters=2)
    add_chapter(story=story, fields={"title": "", "notes": "", "end_notes": "", "body": "<p>Not yet.</p>"}, post=False)

    page = reader_client.get(f"/works/{story.pk}?view_full_work=true").content.decode()

    assert "Words of chapter 2." in page
    assert "Not yet." not in page


# Query counts: the reading pages cost the same however many chapters, tags and comments a work has

# A logged-in reader's page also asks for their unread count, whether they follow the work, their
# bookmark and lists, and where they are in the work: each one query, however big the work.
CEILING = 18


@pytest.fixture
def small_and_big(author):
    small = write_story(author, chapters=1)
    big = write_story(
        author,
        chapters=10,
        fandoms=["Greek Mythology", "Roman Mythology", "Norse Mythology"],
        characters=[f"Character {n}" for n in range(12)],
        relationships=[f"Character {n}/Character {n + 1}" for n in range(6)],
        freeforms=[f"Trope {n}" for n in range(12)],
        categories=1 | 4 | 16,
    )
    big.authors.add(UserFactory(username="coauthor"))
    commenters = [UserFactory(username=f"commenter{n}") for n in range(3)]
    for chapter in chapters_of(big)[:2]:
        for commenter in commenters:
            parent = post_comment(chapter=chapter, user=commenter, body="Loved it!")
            post_comment(chapter=chapter, user=author, body="Thank you!", parent=parent)
    return small, big


def queries_for(client, url: str, most: int, assert_max) -> int:
    with assert_max(most) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "page",
    [
        pytest.param(lambda story: f"/works/{story.pk}", id="work page"),
        pytest.param(lambda story: chapters_of(story)[-1].get_absolute_url(), id="last chapter page"),
        pytest.param(
            lambda story: chapters_of(story)[1 if story.chapter_count > 1 else 0].get_absolute_url(),
            id="chapter page with comments",
        ),
        pytest.param(lambda story: f"/works/{story.pk}?view_full_work=true", id="entire work"),
        pytest.param(lambda story: f"/works/{story.pk}/navigate", id="chapter index"),
    ],
)
@pytest.mark.parametrize("who", ["reader", "anonymous"])
def test_reading_pages_use_a_fixed_number_of_queries(
    page, who, small_and_big, reader_client, client, django_assert_max_num_queries
):
    visitor = reader_client if who == "reader" else client
    small, big = small_and_big
    # Warm per-process caches (content types, templates); a reader's first visit to a work also
    # records their place in it (archive/history), which a reload doesn't repeat.
    visitor.get(page(small))
    visitor.get(page(big))

    small_count = queries_for(visitor, page(small), CEILING, django_assert_max_num_queries)
    queries_for(visitor, page(big), small_count, django_assert_max_num_queries)


def test_the_entire_work_ends_with_the_kudos_bookmark_subscribe_and_comment_sections_of_a_chapter(
    author, reader_client
):
    story = write_story(author)
    chapter_page = reader_client.get(chapters_of(story)[-1].get_absolute_url()).content.decode()

    page = reader_client.get(f"/works/{story.pk}?view_full_work=true").content.decode()

    for section in (
        '<section id="kudos"',
        '<section id="bookmark"',
        'class="subscribe-form"',
        '<section id="comments"',
    ):
        assert section in chapter_page, section
        assert section in page, section
    assert in_order(page, "Work end notes at the back.", '<section id="kudos"', '<section id="comments"')


def test_a_chapter_without_comments_or_series_costs_a_guest_seven_queries(author, client, django_assert_num_queries):
    # The work with its authors, its chapter index (each chapter knowing whether it has comments),
    # the chapter, its tag links with their tags (one query), its series and the names of who left
    # kudos (the total is the work's): no query for the comments a chapter without them doesn't have.
    warm = write_story(author, chapters=1, characters=["Minos"])
    client.get(chapters_of(warm)[0].get_absolute_url())  # warm per-process caches
    story = write_story(author, chapters=3, characters=["Ariadne", "Theseus"], freeforms=["Labyrinths"])
    leave_kudos(story=story, user=AnonymousUser(), ip="203.0.113.9")
    url = chapters_of(story)[1].get_absolute_url()

    with django_assert_num_queries(7):
        response = client.get(url)

    assert response.status_code == 200
    assert "Words of chapter 2." in response.content.decode()
    assert '<section id="comments"' in response.content.decode()


def test_the_other_chapters_of_a_work_reuse_its_meta_block_and_index(author, client, django_assert_num_queries):
    story = write_story(author, chapters=3, characters=["Ariadne", "Theseus"], freeforms=["Labyrinths"])
    first, second, _ = (chapter.get_absolute_url() for chapter in chapters_of(story))
    client.get(second)

    # The chapter alone: the work, its authors and index (archive/chapters/reading.py), its tags
    # and series (the meta block) are kept from the other chapter's page, and the index says the
    # chapter has no comments.
    with django_assert_num_queries(1):
        page = client.get(first).content.decode()

    assert "Words of chapter 1." in page
    assert "Ariadne</a>" in page and "Labyrinths</a>" in page
    assert '<dd class="hits">0</dd>' in page
