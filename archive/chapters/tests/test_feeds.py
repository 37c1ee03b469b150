"""A work's Atom feed of new chapters, read the way a feed reader reads it."""

from datetime import UTC, datetime

import pytest

from archive.accounts.tests.factories import UserFactory
from archive.chapters.models import Chapter
from archive.publishing.services import add_chapter, update_chapter
from archive.stories.models import Story
from archive.stories.tests.factories import make_story
from archive.stories.tests.test_feeds import SERVER, entry_date, feed_link, parse_feed

pytestmark = pytest.mark.django_db


def feed_url(story: Story) -> str:
    return f"/works/{story.pk}/chapters/feed.atom"


def chapter_fields(title: str) -> dict:
    return {"title": title, "notes": "", "end_notes": "", "body": "<p>Three more words.</p>"}


def test_a_work_feed_lists_its_posted_chapters_newest_first(client, author):
    co_author = UserFactory(username="cowriter")
    story = make_story(author=author, title="The Long Way Round", chapters=3, expected_chapters=4)
    story.authors.add(co_author)
    chapters = list(story.chapters.order_by("position"))
    for day, chapter in enumerate(chapters, start=1):
        Chapter.objects.filter(pk=chapter.pk).update(published_at=datetime(2024, 3, day, 12, tzinfo=UTC))

    feed = parse_feed(client.get(feed_url(story)))

    assert feed.feed.title == "The Long Way Round: new chapters · Open Fic Archive"
    assert feed.feed.link == f"{SERVER}/works/{story.pk}"
    assert [entry.title for entry in feed.entries] == [
        "The Long Way Round - Chapter 3: Part 3",
        "The Long Way Round - Chapter 2: Part 2",
        "The Long Way Round - Chapter 1",
    ]
    assert [entry.link for entry in feed.entries] == [
        f"{SERVER}/works/{story.pk}/chapters/{chapter.pk}" for chapter in reversed(chapters)
    ]
    assert [entry.id for entry in feed.entries] == [entry.link for entry in feed.entries]
    assert [entry_date(entry.published_parsed) for entry in feed.entries] == [
        datetime(2024, 3, day, 12, tzinfo=UTC) for day in (3, 2, 1)
    ]
    assert [entry_date(entry.updated_parsed) for entry in feed.entries] == [
        entry_date(entry.published_parsed) for entry in feed.entries
    ]
    assert [(author.name, author.href) for author in feed.entries[0].authors] == [
        ("author", f"{SERVER}/users/author/works"),
        ("cowriter", f"{SERVER}/users/cowriter/works"),
    ]
    assert feed.entries[0].summary == "<p>Chapter 3: Part 3 of The Long Way Round · Words: 8 · Chapters: 3/4</p>"
    assert entry_date(feed.feed.updated_parsed) == datetime(2024, 3, 3, 12, tzinfo=UTC)


def test_a_draft_chapter_never_appears_and_later_chapters_are_numbered_as_readers_count_them(client, author):
    story = make_story(author=author, title="Gaps")
    add_chapter(story=story, fields=chapter_fields("Secret Middle"), post=False)
    add_chapter(story=story, fields=chapter_fields("The End"), post=True)

    response = client.get(feed_url(story))

    assert [entry.title for entry in parse_feed(response).entries] == ["Gaps - Chapter 2: The End", "Gaps - Chapter 1"]
    assert b"Secret Middle" not in response.content


def test_a_chapter_posted_after_a_later_one_comes_first(client, author):
    story = make_story(author=author, title="Late")
    middle = add_chapter(story=story, fields=chapter_fields("Middle"), post=False)
    add_chapter(story=story, fields=chapter_fields("End"), post=True)
    update_chapter(chapter=middle, fields=chapter_fields("Middle"), post=True)

    feed = parse_feed(client.get(feed_url(story)))

    assert [entry.title for entry in feed.entries] == [
        "Late - Chapter 2: Middle",
        "Late - Chapter 3: End",
        "Late - Chapter 1",
    ]


def test_a_feed_shows_at_most_the_25_newest_chapters(client):
    story = make_story(title="Epic", chapters=26)

    feed = parse_feed(client.get(feed_url(story)))

    assert len(feed.entries) == 25
    assert feed.entries[0].title == "Epic - Chapter 26: Part 26"
    assert feed.entries[-1].title == "Epic - Chapter 2: Part 2"


def test_a_draft_work_has_no_feed_not_even_for_its_author(author_client, client, author):
    draft = make_story(author=author, title="Not Yet", post=False)

    assert client.get(feed_url(draft)).status_code == 404
    assert author_client.get(feed_url(draft)).status_code == 404


def test_an_unknown_work_has_no_feed(client):
    story = make_story()

    assert client.get(f"/works/{story.pk + 1}/chapters/feed.atom").status_code == 404


def test_the_work_pages_announce_the_feed(client, author):
    story = make_story(author=author, title="Announced", chapters=2)
    second = story.chapters.get(position=2)

    for url in (f"/works/{story.pk}", second.get_absolute_url()):
        page = client.get(url)

        assert feed_link(page) == feed_url(story)
        assert f'<a href="{feed_url(story)}" type="application/atom+xml">Subscribe (Atom feed)</a>' in (
            page.content.decode()
        )
    assert len(parse_feed(client.get(feed_link(page))).entries) == 2


def test_a_draft_work_page_offers_no_feed_to_its_author(author_client, author):
    draft = make_story(author=author, title="Not Yet", post=False)

    page = author_client.get(f"/works/{draft.pk}")

    assert page.status_code == 200
    assert "application/atom+xml" not in page.content.decode()


def test_markup_in_a_work_title_stays_text_in_the_feed(client):
    title = "<script>alert('x')</script> Tom & Jerry"
    story = make_story(title=title)

    response = client.get(feed_url(story))

    feed = parse_feed(response)
    assert feed.feed.title == f"{title}: new chapters · Open Fic Archive"
    assert feed.entries[0].title == f"{title} - Chapter 1"
    assert "&lt;script&gt;" in feed.entries[0].summary
    assert b"<script" not in response.content


@pytest.mark.parametrize("count", [2, 20])
def test_a_work_feed_costs_the_same_queries_however_many_chapters(client, author, django_assert_max_num_queries, count):
    story = make_story(author=author, chapters=count)
    story.authors.add(UserFactory())

    with django_assert_max_num_queries(3):
        response = client.get(feed_url(story))

    assert len(parse_feed(response).entries) == count
