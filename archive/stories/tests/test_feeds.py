"""Atom feeds of works, read the way a feed reader reads them: a tag's new works, an author's works."""

import re
from datetime import UTC, datetime

import feedparser
import pytest

from archive.accounts.tests.factories import UserFactory
from archive.stories.choices import Rating
from archive.stories.models import Story
from archive.stories.tests.factories import make_story, work_form_data
from archive.tags.models import Tag
from archive.wrangling import services as wrangling

pytestmark = pytest.mark.django_db

SERVER = "http://testserver"


def parse_feed(response) -> feedparser.FeedParserDict:
    """The feed as a reader parses it; fails unless it is well-formed Atom."""
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(response.content, response_headers={"content-type": response["Content-Type"]})
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def feed_link(response) -> str:
    """The feed a page announces in its <head>, as a browser or feed reader discovers it."""
    content = response.content.decode()
    head = content[: content.index("</head>")]
    return re.search(r'<link rel="alternate" type="application/atom\+xml" title="[^"]*" href="([^"]+)">', head)[1]


def posted_on(story: Story, when: datetime, updated: datetime | None = None) -> None:
    Story.objects.filter(pk=story.pk).update(published_at=when, updated_at=updated or when)


def at(day: int, hour: int = 12) -> datetime:
    return datetime(2024, 3, day, hour, tzinfo=UTC)


def entry_date(struct) -> datetime:
    return datetime(*struct[:6], tzinfo=UTC)


def synonym(name: str, of: str) -> None:
    wrangler = UserFactory(username="wrangler", is_staff=True)
    canonical = wrangling.make_canonical(tag=Tag.objects.get(name=of), user=wrangler)
    wrangling.make_synonym(tag=Tag.objects.get(name=name), of=canonical, user=wrangler)


# A tag's new works


def test_a_tag_feed_lists_the_tags_posted_works_newest_first_with_what_a_card_shows(client, author):
    co_author = UserFactory(username="cowriter")
    seeds = make_story(
        author=author,
        title="The Pomegranate Seeds",
        fandoms=["Greek Mythology", "Hadestown"],
        relationships=["Hades/Persephone"],
        characters=["Hades", "Persephone"],
        freeforms=["Slow Burn"],
        rating=Rating.MATURE,
        summary="<p>Six seeds, six months.</p>",
        chapters=2,
        expected_chapters=3,
        body=" ".join(["word"] * 600),
    )
    seeds.authors.add(co_author)
    underworld = make_story(title="Underworld", characters=["Hades"])
    olympus = make_story(title="Olympus", characters=["Zeus"])
    posted_on(seeds, at(5), updated=at(9))
    posted_on(underworld, at(7))
    posted_on(olympus, at(8))

    feed = parse_feed(client.get("/tags/Hades/feed.atom"))

    assert feed.feed.title == "Works tagged Hades · Open Fic Archive"
    assert feed.feed.link == f"{SERVER}/tags/Hades/works"
    assert [link.href for link in feed.feed.links if link.rel == "self"] == [f"{SERVER}/tags/Hades/feed.atom"]
    assert [entry.title for entry in feed.entries] == ["Underworld", "The Pomegranate Seeds"]
    entry = feed.entries[1]
    assert entry.link == f"{SERVER}/works/{seeds.pk}"
    assert entry.id == f"{SERVER}/works/{seeds.pk}"
    assert [(author.name, author.href) for author in entry.authors] == [
        ("author", f"{SERVER}/users/author/works"),
        ("cowriter", f"{SERVER}/users/cowriter/works"),
    ]
    assert entry_date(entry.published_parsed) == at(5)
    assert entry_date(entry.updated_parsed) == at(9)
    assert [tag.term for tag in entry.tags] == [
        "Greek Mythology",
        "Hadestown",
        "Hades",
        "Persephone",
        "Hades/Persephone",
        "Slow Burn",
    ]
    assert entry.summary == (
        "<p>Six seeds, six months.</p>"
        "<p>Rating: Mature · Fandoms: Greek Mythology, Hadestown · Characters: Hades, Persephone"
        " · Relationships: Hades/Persephone · Words: 1,200 · Chapters: 2/3</p>"
    )
    assert entry_date(feed.feed.updated_parsed) == at(9)


def test_a_work_without_characters_or_ships_leaves_them_out_of_its_summary_line(client):
    make_story(title="Plain", fandoms=["Hadestown"])

    entry = parse_feed(client.get("/tags/Hadestown/feed.atom")).entries[0]

    assert entry.summary == "<p>Rating: General Audiences · Fandoms: Hadestown · Words: 8 · Chapters: 1/?</p>"


def test_a_tag_feed_never_shows_a_draft_not_even_to_its_author(author_client, author):
    make_story(author=author, title="Posted", characters=["Hades"])
    make_story(author=author, title="Secret Draft", characters=["Hades"], post=False)

    response = author_client.get("/tags/Hades/feed.atom")

    assert [entry.title for entry in parse_feed(response).entries] == ["Posted"]
    assert b"Secret Draft" not in response.content


def test_a_synonyms_feed_lists_its_canonical_tags_works(client):
    carol = make_story(title="Carol's Story", characters=["Carol Peletier"])
    nickname = make_story(title="Nickname", characters=["Carol"])
    make_story(title="Daryl's Story", characters=["Daryl Dixon"])
    synonym("Carol", of="Carol Peletier")

    for name in ("Carol", "Carol Peletier"):
        feed = parse_feed(client.get(f"/tags/{name}/feed.atom"))

        assert [entry.link for entry in feed.entries] == [f"{SERVER}/works/{nickname.pk}", f"{SERVER}/works/{carol.pk}"]
        assert feed.feed.title == "Works tagged Carol Peletier · Open Fic Archive"
        assert feed.feed.link == f"{SERVER}/tags/Carol%20Peletier/works"


def test_a_feed_shows_at_most_the_25_newest_works(client):
    works = [make_story(title=f"Work {number}", fandoms=["Hadestown"]) for number in range(26)]

    feed = parse_feed(client.get("/tags/Hadestown/feed.atom"))

    assert [entry.title for entry in feed.entries] == [story.title for story in reversed(works[1:])]


def test_an_unknown_tag_has_no_feed(client):
    make_story(characters=["Hades"])

    assert client.get("/tags/Nobody/feed.atom").status_code == 404


def test_a_tag_with_no_posted_works_has_an_empty_feed(client):
    make_story(characters=["Hades"], post=False)

    feed = parse_feed(client.get("/tags/Hades/feed.atom"))

    assert feed.entries == []


def test_the_tag_page_announces_its_feed_and_links_it_for_any_tag_name(client):
    make_story(title="Ship", relationships=["Hades/Persephone"], freeforms=["Tea & Sympathy"])

    for name, escaped in [("Hades/Persephone", "Hades*s*Persephone"), ("Tea & Sympathy", "Tea%20*a*%20Sympathy")]:
        page = client.get(Tag.objects.get(name=name).get_absolute_url())

        assert feed_link(page) == f"/tags/{escaped}/feed.atom"
        assert f'<a href="/tags/{escaped}/feed.atom" type="application/atom+xml">Subscribe (Atom feed)</a>' in (
            page.content.decode()
        )
        feed = parse_feed(client.get(feed_link(page)))
        assert [entry.title for entry in feed.entries] == ["Ship"]
        assert feed.feed.title == f"Works tagged {name} · Open Fic Archive"


# An author's works


def test_an_author_feed_lists_their_posted_works_newest_first_and_nobody_elses(client, author):
    first = make_story(author=author, title="First")
    shared = make_story(author=UserFactory(username="friend"), title="Written Together")
    shared.authors.add(author)
    make_story(author=author, title="Unfinished Draft", post=False)
    make_story(title="Someone Else's")
    posted_on(first, at(1))
    posted_on(shared, at(2))

    response = client.get("/users/author/works/feed.atom")

    feed = parse_feed(response)
    assert feed.feed.title == "Works by author · Open Fic Archive"
    assert feed.feed.link == f"{SERVER}/users/author/works"
    assert [(entry.title, entry.link) for entry in feed.entries] == [
        ("Written Together", f"{SERVER}/works/{shared.pk}"),
        ("First", f"{SERVER}/works/{first.pk}"),
    ]
    assert sorted(author.name for author in feed.entries[0].authors) == ["author", "friend"]
    assert [entry_date(entry.published_parsed) for entry in feed.entries] == [at(2), at(1)]
    assert b"Unfinished Draft" not in response.content
    assert b"Someone Else" not in response.content


def test_an_unknown_author_has_no_feed(client):
    assert client.get("/users/nobody/works/feed.atom").status_code == 404


def test_the_author_page_announces_its_feed(client, author):
    make_story(author=author, title="Mine")

    page = client.get("/users/author/works")

    assert feed_link(page) == "/users/author/works/feed.atom"
    assert '<a href="/users/author/works/feed.atom" type="application/atom+xml">Subscribe (Atom feed)</a>' in (
        page.content.decode()
    )
    assert [entry.title for entry in parse_feed(client.get(feed_link(page))).entries] == ["Mine"]


# Escaping


def test_markup_in_a_title_summary_or_tag_stays_text_in_the_feed(author_client, client):
    title = "<script>alert('title')</script> Tom & Jerry"
    response = author_client.post(
        "/works/new",
        work_form_data(
            title=title,
            summary="Cats & mice <script>alert('summary')</script> <b>bold</b>",
            freeforms='Cats & Mice, "Chase" Scenes',
        ),
    )
    assert response.status_code == 302

    feed_response = client.get("/users/author/works/feed.atom")

    entry = parse_feed(feed_response).entries[0]
    assert entry.title == title
    assert entry.title_detail.type == "text/plain"
    assert "Cats &amp; mice" in entry.summary
    assert "<b>bold</b>" in entry.summary
    assert "alert('summary')" not in entry.summary
    assert [tag.term for tag in entry.tags] == ["Greek Mythology", "Cats & Mice", '"Chase" Scenes']
    assert b"<script" not in feed_response.content
    assert b"&lt;script&gt;alert('title')&lt;/script&gt; Tom &amp; Jerry" in feed_response.content


def test_a_control_character_in_a_title_or_summary_does_not_break_the_feed(client, author):
    make_story(author=author, title="Bell\x07 Tolls", summary="<p>Form\x0cfeed</p>")

    entry = parse_feed(client.get("/users/author/works/feed.atom")).entries[0]

    assert entry.title == "Bell Tolls"
    assert entry.summary.startswith("<p>Formfeed</p>")


# Cost


def _works(count: int, author) -> None:
    co_author = UserFactory(username="cowriter")
    for number in range(count):
        story = make_story(
            author=author,
            title=f"Work {number}",
            fandoms=["Hadestown", f"Fandom {number}"],
            characters=["Hades", f"Character {number}"],
            relationships=[f"Hades/Character {number}"],
            freeforms=[f"Trope {number}"],
        )
        story.authors.add(co_author)


@pytest.mark.parametrize("count", [2, 20])
def test_a_tag_feed_costs_the_same_queries_however_many_works_it_lists(
    client, author, django_assert_max_num_queries, count
):
    _works(count, author)

    with django_assert_max_num_queries(5):
        response = client.get("/tags/Hades/feed.atom")

    assert len(parse_feed(response).entries) == count


@pytest.mark.parametrize("count", [2, 20])
def test_an_author_feed_costs_the_same_queries_however_many_works_it_lists(
    client, author, django_assert_max_num_queries, count
):
    _works(count, author)

    with django_assert_max_num_queries(5):
        response = client.get("/users/author/works/feed.atom")

    assert len(parse_feed(response).entries) == count
