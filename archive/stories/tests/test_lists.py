"""The story lists a reader browses: the front page and an author's works page."""

import re
from datetime import UTC, datetime
from urllib.parse import urljoin

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive.accounts.tests.factories import UserFactory
from archive.comments.services import post_comment
from archive.core.tests.pages import listed_ids
from archive.publishing.services import add_chapter
from archive.stories.choices import Rating, Warning
from archive.stories.models import Story
from archive.stories.tests.factories import make_story
from archive.tags.models import Tag

pytestmark = pytest.mark.django_db


def card(response, story: Story) -> str:
    """The HTML of one story's card on a list page."""
    content = response.content.decode()
    start = content.index(f'id="work_{story.pk}"')
    ends = [i for i in (content.find('<li class="story-card"', start), content.find("</ol>", start)) if i != -1]
    return content[start : min(ends)]


def updated_on(story: Story, when: datetime) -> None:
    Story.objects.filter(pk=story.pk).update(updated_at=when)


def test_the_front_page_shows_each_posted_story_as_a_card_with_everything_a_reader_needs(client, author):
    co_author = UserFactory(username="cowriter")
    story = make_story(
        author=author,
        title="The Pomegranate Seeds",
        fandoms=["Greek Mythology", "Hadestown"],
        relationships=["Hades/Persephone"],
        characters=["Hades", "Persephone"],
        freeforms=["Slow Burn"],
        rating=Rating.MATURE,
        warnings=Warning.VIOLENCE | Warning.MAJOR_CHARACTER_DEATH,
        summary="<p>Six seeds, six months.</p>",
        chapters=2,
        body=" ".join(["word"] * 600),
    )
    story.authors.add(co_author)
    post_comment(chapter=story.chapters.first(), user=UserFactory(), body="Lovely.")
    updated_on(story, datetime(2024, 3, 5, 12, 30, tzinfo=UTC))

    response = client.get("/")

    assert response.status_code == 200
    assert listed_ids(response) == [story.pk]
    html = card(response, story)
    assert f'<a href="/works/{story.pk}">The Pomegranate Seeds</a>' in html
    assert '<a rel="author" href="/users/author/works">author</a>' in html
    assert '<a rel="author" href="/users/cowriter/works">cowriter</a>' in html
    for name in ("Greek Mythology", "Hadestown", "Hades/Persephone", "Hades", "Persephone", "Slow Burn"):
        tag = Tag.objects.get(name=name)
        assert f'<a class="tag" href="{tag.get_absolute_url()}">{name}</a>' in html
    assert '<li class="relationship"><a class="tag" href="/tags/Hades*s*Persephone/works">' in html
    assert '<li class="character"><a class="tag" href="/tags/Persephone/works">' in html
    assert '<li class="freeform"><a class="tag" href="/tags/Slow%20Burn/works">' in html
    assert "Mature" in html
    assert "Graphic Depictions Of Violence" in html
    assert "Major Character Death" in html
    assert "No Archive Warnings Apply" not in html
    assert "<p>Six seeds, six months.</p>" in html
    assert '<dd class="words">1,200</dd>' in html
    assert '<dd class="chapters">2/?</dd>' in html
    assert "Work in progress" in html
    assert '<dd class="comments">1</dd>' in html
    assert '<time datetime="2024-03-05T12:30:00+0000">5 Mar 2024</time>' in html


def test_a_finished_story_shows_its_chapters_as_three_of_three_and_complete(client):
    story = make_story(chapters=3, expected_chapters=3)

    html = card(client.get("/"), story)

    assert '<dd class="chapters">3/3</dd>' in html
    assert "Complete" in html
    assert "Work in progress" not in html


def test_a_draft_chapter_of_a_posted_story_does_not_count_on_its_card(client):
    story = make_story(chapters=1, expected_chapters=2)
    add_chapter(story=story, fields={"title": "", "notes": "", "end_notes": "", "body": "<p>Secret.</p>"}, post=False)

    assert '<dd class="chapters">1/2</dd>' in card(client.get("/"), story)


def test_the_front_page_lists_the_most_recently_updated_story_first(client):
    oldest = make_story(title="Oldest")
    middle = make_story(title="Middle")
    newest = make_story(title="Newest")
    updated_on(oldest, datetime(2024, 1, 1, tzinfo=UTC))
    updated_on(middle, datetime(2024, 2, 1, tzinfo=UTC))
    updated_on(newest, datetime(2024, 3, 1, tzinfo=UTC))

    assert listed_ids(client.get("/")) == [newest.pk, middle.pk, oldest.pk]


def test_posting_a_new_chapter_moves_a_story_to_the_top_of_the_front_page(client):
    older = make_story(title="Older")
    newer = make_story(title="Newer")
    updated_on(older, datetime(2024, 1, 1, tzinfo=UTC))
    updated_on(newer, datetime(2024, 2, 1, tzinfo=UTC))

    add_chapter(story=older, fields={"title": "", "notes": "", "end_notes": "", "body": "<p>More.</p>"}, post=True)

    assert listed_ids(client.get("/")) == [older.pk, newer.pk]


def test_the_front_page_shows_twenty_stories_a_page_and_page_two_shows_the_rest(client):
    stories = [make_story(title=f"Story {number}") for number in range(25)]
    newest_first = [story.pk for story in reversed(stories)]

    first = client.get("/")
    second = client.get("/?page=2")

    assert listed_ids(first) == newest_first[:20]
    assert listed_ids(second) == newest_first[20:]
    first_html = first.content.decode()
    assert "1–20 of 25 works" in first_html
    assert "Page 1 of 2" in first_html
    assert 'rel="prev"' not in first_html
    second_html = second.content.decode()
    assert "21–25 of 25 works" in second_html
    assert "Page 2 of 2" in second_html
    assert 'rel="next"' not in second_html


def pager_link(response, rel: str) -> str:
    return urljoin(
        response.request["PATH_INFO"], re.search(rf'<a rel="{rel}" href="([^"]*)"', response.content.decode())[1]
    )


def test_following_the_next_and_previous_links_moves_between_pages(client):
    stories = [make_story(title=f"Story {number}") for number in range(25)]
    newest_first = [story.pk for story in reversed(stories)]

    second = client.get(pager_link(client.get("/"), "next"))
    assert listed_ids(second) == newest_first[20:]

    first = client.get(pager_link(second, "prev"))
    assert listed_ids(first) == newest_first[:20]


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("abc", "Page 1 of 2"),
        ("999999", "There is no page 999999: the results end on page 2."),
        ("0", "Page 1 of 2"),
        ("-1", "Page 1 of 2"),
        ("", "Page 1 of 2"),
    ],
)
def test_a_malformed_page_number_shows_page_one_and_one_past_the_end_says_where_the_end_is(client, page, expected):
    for number in range(21):
        make_story(title=f"Story {number}")

    response = client.get("/", {"page": page})

    assert response.status_code == 200
    assert expected in response.content.decode()


def test_an_empty_archive_says_there_is_nothing_yet(client):
    response = client.get("/?page=3")

    assert response.status_code == 200
    assert "No works to show yet." in response.content.decode()


def test_drafts_never_appear_on_the_front_page_even_for_their_author(client, author, author_client):
    posted = make_story(author=author, title="Out In The World")
    draft = make_story(author=author, title="Secret Draft", post=False)

    for viewer in (client, author_client):
        response = viewer.get("/")
        assert listed_ids(response) == [posted.pk]
        assert "Secret Draft" not in response.content.decode()
    assert draft.pk not in listed_ids(client.get("/"))


def test_an_author_page_lists_that_authors_posted_works_only(client, author, reader):
    mine = make_story(author=author, title="Mine")
    shared = make_story(author=reader, title="Written Together")
    shared.authors.add(author)
    make_story(author=reader, title="Someone Else's")
    make_story(author=author, title="My Draft", post=False)
    updated_on(mine, datetime(2024, 1, 1, tzinfo=UTC))

    response = client.get("/users/author/works")

    assert response.status_code == 200
    assert listed_ids(response) == [shared.pk, mine.pk]
    content = response.content.decode()
    assert "Works by author" in content
    assert "Someone Else" not in content
    assert "My Draft" not in content


def test_an_author_sees_only_their_posted_works_on_their_own_page_not_their_drafts(author, author_client):
    posted = make_story(author=author, title="Posted")
    make_story(author=author, title="Hidden Draft", post=False)

    response = author_client.get(author.get_absolute_url())

    assert listed_ids(response) == [posted.pk]


def test_an_author_with_no_posted_works_has_an_empty_page(client, author):
    make_story(author=author, post=False)

    response = client.get("/users/author/works")

    assert response.status_code == 200
    assert listed_ids(response) == []
    assert "This author hasn't posted any works yet." in response.content.decode()


def test_the_works_page_of_an_unknown_user_is_a_404(client):
    response = client.get("/users/nobody-at-all/works")

    assert response.status_code == 404
    assert "We couldn't find that page" in response.content.decode()


def test_the_authors_page_paginates_twenty_works_a_page(client, author):
    for number in range(21):
        make_story(author=author, title=f"Story {number}")

    assert len(listed_ids(client.get("/users/author/works"))) == 20
    assert len(listed_ids(client.get("/users/author/works?page=2"))) == 1


# Query counts: every list renders in a fixed number of queries, however many cards, tags and
# authors it shows.


def heavily_tagged_story(number: int, author, co_authors) -> Story:
    story = make_story(
        author=author,
        title=f"Busy Story {number}",
        fandoms=["Greek Mythology", f"Fandom {number}"],
        relationships=["Hades/Persephone", f"Orpheus/Eurydice {number}"],
        characters=["Hades", "Persephone", f"Character {number}a", f"Character {number}b"],
        freeforms=["Slow Burn", f"Trope {number}", f"Another Trope {number}"],
        summary=f"<p>Summary {number}</p>",
    )
    story.authors.add(*co_authors)
    return story


def queries_for(client, url: str) -> int:
    client.get(url)  # warm any per-process caches so they don't count against the small case
    cache.clear()  # but no card is kept: every measured page renders all of its cards
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.usefixtures("page_cache_off")  # measures rendering, not the shared page cache
@pytest.mark.parametrize("url", ["/", "/tags/Hades/works", "/users/author/works"])
def test_a_list_page_uses_the_same_number_of_queries_for_many_stories_as_for_two(
    client, author, django_assert_max_num_queries, url
):
    co_authors = [UserFactory(), UserFactory(), UserFactory()]
    for number in range(2):
        heavily_tagged_story(number, author, co_authors)
    with_two = queries_for(client, url)

    for number in range(2, 25):
        heavily_tagged_story(number, author, co_authors[: number % 4])

    cache.clear()
    with django_assert_max_num_queries(with_two):
        response = client.get(url)
    assert len(listed_ids(response)) == 20


@pytest.mark.parametrize("url", ["/", "/tags/Hades/works", "/users/author/works"])
def test_a_list_page_uses_the_same_number_of_queries_for_a_logged_in_reader(
    reader_client, author, django_assert_max_num_queries, url
):
    heavily_tagged_story(0, author, [])
    with_one = queries_for(reader_client, url)

    for number in range(1, 22):
        heavily_tagged_story(number, author, [UserFactory()])

    cache.clear()
    with django_assert_max_num_queries(with_one):
        reader_client.get(url)
