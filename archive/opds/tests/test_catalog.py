"""The OPDS catalog, read the way an e-reader app reads it: well-formed Atom with OPDS links."""

from datetime import UTC, datetime
from xml.etree import ElementTree

import pytest

from archive.accounts.tests.factories import UserFactory
from archive.stories.models import Story
from archive.stories.tests.factories import make_story
from archive.tags.models import Tag
from archive.wrangling import services as wrangling

pytestmark = pytest.mark.django_db

SERVER = "http://testserver"
NS = {"atom": "http://www.w3.org/2005/Atom", "dc": "http://purl.org/dc/terms/"}
OPENSEARCH_NS = "{http://a9.com/-/spec/opensearch/1.1/}"
NAVIGATION = "application/atom+xml;profile=opds-catalog;kind=navigation"
ACQUISITION = "application/atom+xml;profile=opds-catalog;kind=acquisition"
EPUB_REL = "http://opds-spec.org/acquisition"


def parse(response, content_type: str) -> ElementTree.Element:
    """The feed as an app parses it; fails unless it is well-formed XML of the right type."""
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    return ElementTree.fromstring(response.content)  # noqa: S314 - our own output


def links(element: ElementTree.Element) -> dict[str, str]:
    return {link.get("rel"): link.get("href") for link in element.findall("atom:link", NS)}


def titles(feed: ElementTree.Element) -> list[str]:
    return [entry.findtext("atom:title", namespaces=NS) for entry in feed.findall("atom:entry", NS)]


def posted_on(story: Story, day: int) -> None:
    when = datetime(2024, 3, day, 12, tzinfo=UTC)
    Story.objects.filter(pk=story.pk).update(published_at=when, updated_at=when)


def wrangler():
    return UserFactory(username="wrangler", is_staff=True)


def canonical(name: str, user) -> Tag:
    return wrangling.make_canonical(tag=Tag.objects.get(name=name), user=user)


def assert_catalog_links(feed: ElementTree.Element, path: str) -> None:
    feed_links = links(feed)
    assert feed_links["self"] == f"{SERVER}{path}"
    assert feed_links["start"] == f"{SERVER}/opds/"
    assert feed_links["search"] == f"{SERVER}/opds/search.xml"


# The root


def test_the_root_is_a_navigation_feed_of_new_works_and_fandoms(client):
    feed = parse(client.get("/opds/"), NAVIGATION)

    assert_catalog_links(feed, "/opds/")
    assert titles(feed) == ["New works", "Fandoms"]
    entry_links = [entry.find("atom:link", NS) for entry in feed.findall("atom:entry", NS)]
    assert [(link.get("href"), link.get("type")) for link in entry_links] == [
        (f"{SERVER}/opds/new", ACQUISITION),
        (f"{SERVER}/opds/fandoms", NAVIGATION),
    ]
    search = feed.find("atom:link[@rel='search']", NS)
    assert search.get("type") == "application/opensearchdescription+xml"


# New works


def test_new_works_lists_posted_works_newest_first_with_an_epub_that_downloads(client, author):
    co_author = UserFactory(username="cowriter")
    seeds = make_story(
        author=author,
        title="The Pomegranate Seeds",
        fandoms=["Greek Mythology"],
        characters=["Hades"],
        summary="<p>Six seeds, six months.</p>",
        language="fr",
    )
    seeds.authors.add(co_author)
    later = make_story(title="Underworld")
    posted_on(seeds, 5)
    posted_on(later, 7)

    feed = parse(client.get("/opds/new"), ACQUISITION)

    assert_catalog_links(feed, "/opds/new")
    assert titles(feed) == ["Underworld", "The Pomegranate Seeds"]
    entry = feed.findall("atom:entry", NS)[1]
    assert entry.findtext("atom:id", namespaces=NS) == f"{SERVER}/works/{seeds.pk}"
    assert [
        (author.findtext("atom:name", namespaces=NS), author.findtext("atom:uri", namespaces=NS))
        for author in entry.findall("atom:author", NS)
    ] == [("author", f"{SERVER}/users/author/works"), ("cowriter", f"{SERVER}/users/cowriter/works")]
    assert entry.findtext("atom:updated", namespaces=NS) == "2024-03-05T12:00:00+00:00"
    assert entry.findtext("dc:language", namespaces=NS) == "fr"
    assert [category.get("term") for category in entry.findall("atom:category", NS)] == ["Greek Mythology", "Hades"]
    content = entry.find("atom:content", NS)
    assert content.get("type") == "html"
    assert content.text.startswith("<p>Six seeds, six months.</p>")
    entry_links = {link.get("rel"): link for link in entry.findall("atom:link", NS)}
    assert entry_links["alternate"].get("href") == f"{SERVER}/works/{seeds.pk}"
    assert entry_links["alternate"].get("type") == "text/html"
    epub = entry_links[EPUB_REL]
    assert epub.get("type") == "application/epub+zip"
    assert epub.get("href") == f"{SERVER}/downloads/{seeds.pk}/the-pomegranate-seeds.epub"

    download = client.get(epub.get("href"))

    assert download.status_code == 200
    assert download["Content-Type"] == "application/epub+zip"


def test_drafts_never_appear_in_any_feed_not_even_to_their_author(author_client, author):
    make_story(author=author, title="Posted Pomegranate", fandoms=["Hadestown"])
    make_story(author=author, title="Draft Pomegranate", fandoms=["Hadestown"], post=False)
    canonical("Hadestown", wrangler())

    for path in ["/opds/new", "/opds/fandoms/Hadestown", "/opds/search?q=pomegranate"]:
        assert titles(parse(author_client.get(path), ACQUISITION)) == ["Posted Pomegranate"], path


def test_new_works_pages_25_at_a_time_with_a_next_link(client, author):
    for number in range(26):
        posted_on(make_story(author=author, title=f"Work {number}"), 1 + number)

    first = parse(client.get("/opds/new"), ACQUISITION)

    assert len(first.findall("atom:entry", NS)) == 25
    assert titles(first)[0] == "Work 25"
    assert links(first)["next"] == f"{SERVER}/opds/new?page=2"
    assert "previous" not in links(first)

    second = parse(client.get("/opds/new?page=2"), ACQUISITION)

    assert titles(second) == ["Work 0"]
    assert "next" not in links(second)
    assert links(second)["previous"] == f"{SERVER}/opds/new?page=1"


def test_ampersands_markup_and_control_characters_stay_text_in_valid_xml(client, author):
    make_story(
        author=author,
        title="Tom & Jerry <b>Bell\x07</b>",
        fandoms=["Cats & Mice"],
        freeforms=['"Chase" Scenes'],
        summary="<p>Cats &amp; mice\x0c</p>",
    )
    canonical("Cats & Mice", wrangler())

    entry = parse(client.get("/opds/new"), ACQUISITION).find("atom:entry", NS)

    assert entry.findtext("atom:title", namespaces=NS) == "Tom & Jerry <b>Bell</b>"
    assert [category.get("term") for category in entry.findall("atom:category", NS)] == [
        "Cats & Mice",
        '"Chase" Scenes',
    ]
    assert entry.findtext("atom:content", namespaces=NS).startswith("<p>Cats &amp; mice</p>")
    fandoms = parse(client.get("/opds/fandoms"), NAVIGATION)
    assert titles(fandoms) == ["Cats & Mice"]
    assert fandoms.find("atom:entry/atom:link", NS).get("href") == f"{SERVER}/opds/fandoms/Cats%20*a*%20Mice"
    fandom = parse(client.get("/opds/fandoms/Cats%20*a*%20Mice"), ACQUISITION)
    assert titles(fandom) == ["Tom & Jerry <b>Bell</b>"]
    assert links(fandom)["self"] == f"{SERVER}/opds/fandoms/Cats%20*a*%20Mice"


# Fandoms


def test_fandoms_lists_used_canonical_fandoms_most_used_first(client, author):
    make_story(author=author, title="One", fandoms=["Hadestown", "Greek Mythology"])
    make_story(author=author, title="Two", fandoms=["Greek Mythology"])
    make_story(author=author, title="Three", fandoms=["Unwrangled Fandom"])
    make_story(author=author, title="Draft", fandoms=["Only Drafts"], post=False)
    user = wrangler()
    for name in ["Hadestown", "Greek Mythology", "Only Drafts"]:
        canonical(name, user)

    feed = parse(client.get("/opds/fandoms"), NAVIGATION)

    assert_catalog_links(feed, "/opds/fandoms")
    assert titles(feed) == ["Greek Mythology", "Hadestown"]
    entry = feed.find("atom:entry", NS)
    assert entry.findtext("atom:content", namespaces=NS) == "2 works"
    link = entry.find("atom:link", NS)
    assert link.get("href") == f"{SERVER}/opds/fandoms/Greek%20Mythology"
    assert link.get("type") == ACQUISITION


def test_fandoms_page_50_at_a_time(client, author, monkeypatch):
    monkeypatch.setattr("archive.opds.views.FANDOMS_PER_PAGE", 2)
    make_story(author=author, fandoms=["A", "B", "C"])
    user = wrangler()
    for name in ["A", "B", "C"]:
        canonical(name, user)

    first = parse(client.get("/opds/fandoms"), NAVIGATION)

    assert titles(first) == ["A", "B"]
    assert links(first)["next"] == f"{SERVER}/opds/fandoms?page=2"
    assert titles(parse(client.get(links(first)["next"]), NAVIGATION)) == ["C"]


def test_a_fandom_feed_lists_its_works_and_a_synonyms_feed_its_canonicals(client, author):
    make_story(author=author, title="Canonical Work", fandoms=["Greek Mythology"])
    make_story(author=author, title="Synonym Work", fandoms=["Greek Myth"])
    make_story(author=author, title="Elsewhere", fandoms=["Hadestown"])
    posted_on(Story.objects.get(title="Canonical Work"), 5)
    posted_on(Story.objects.get(title="Synonym Work"), 9)
    user = wrangler()
    wrangling.make_synonym(tag=Tag.objects.get(name="Greek Myth"), of=canonical("Greek Mythology", user), user=user)

    canonical_feed = parse(client.get("/opds/fandoms/Greek%20Mythology"), ACQUISITION)
    synonym_feed = parse(client.get("/opds/fandoms/greek%20myth"), ACQUISITION)

    assert titles(canonical_feed) == ["Synonym Work", "Canonical Work"]
    assert titles(synonym_feed) == ["Synonym Work", "Canonical Work"]
    assert_catalog_links(synonym_feed, "/opds/fandoms/greek%20myth")


def test_an_unknown_fandom_or_a_tag_of_another_kind_is_a_404(client, author):
    make_story(author=author, characters=["Hades"])

    assert client.get("/opds/fandoms/Nowhere").status_code == 404
    assert client.get("/opds/fandoms/Hades").status_code == 404


# Search


def test_the_opensearch_description_points_at_the_search_feed(client):
    response = client.get("/opds/search.xml")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/opensearchdescription+xml"
    description = ElementTree.fromstring(response.content)  # noqa: S314 - our own output
    url = description.find(f"{OPENSEARCH_NS}Url")
    assert url.get("type") == ACQUISITION
    assert url.get("template") == f"{SERVER}/opds/search?q={{searchTerms}}"


def test_search_finds_works_by_a_title_word_and_pages_with_its_query(client, author, monkeypatch):
    monkeypatch.setattr("archive.opds.views.FEED_SIZE", 1)
    posted_on(make_story(author=author, title="The Pomegranate Seeds"), 5)
    posted_on(make_story(author=author, title="Pomegranate Tea"), 6)
    make_story(author=author, title="Olympus")

    feed = parse(client.get("/opds/search?q=pomegranate"), ACQUISITION)

    assert titles(feed) == ["Pomegranate Tea"]
    assert links(feed)["next"] == f"{SERVER}/opds/search?q=pomegranate&page=2"
    assert titles(parse(client.get(links(feed)["next"]), ACQUISITION)) == ["The Pomegranate Seeds"]


def test_a_search_with_nothing_to_look_for_finds_nothing(client, author):
    make_story(author=author, title="Olympus")

    assert titles(parse(client.get("/opds/search?q=%20%21"), ACQUISITION)) == []
    assert titles(parse(client.get("/opds/search"), ACQUISITION)) == []


# Cost


def _works(count: int, author) -> None:
    co_author = UserFactory(username="cowriter")
    for number in range(count):
        story = make_story(
            author=author,
            title=f"Hades Work {number}",
            fandoms=["Hadestown", f"Fandom {number}"],
            characters=["Hades", f"Character {number}"],
            freeforms=[f"Trope {number}"],
        )
        story.authors.add(co_author)
    canonical("Hadestown", wrangler())


@pytest.mark.parametrize("count", [2, 20])
@pytest.mark.parametrize("path", ["/opds/new", "/opds/fandoms/Hadestown", "/opds/search?q=hades"])
def test_an_acquisition_feed_costs_the_same_queries_however_many_works_it_lists(
    client, author, django_assert_max_num_queries, count, path
):
    _works(count, author)

    with django_assert_max_num_queries(6):
        response = client.get(path)

    assert len(parse(response, ACQUISITION).findall("atom:entry", NS)) == count


@pytest.mark.parametrize("count", [2, 20])
def test_the_fandoms_feed_costs_the_same_queries_however_many_fandoms_it_lists(
    client, author, django_assert_max_num_queries, count
):
    _works(count, author)
    user = UserFactory(username="wrangler2", is_staff=True)
    for number in range(count):
        canonical(f"Fandom {number}", user)

    with django_assert_max_num_queries(2):
        response = client.get("/opds/fandoms")

    assert len(parse(response, NAVIGATION).findall("atom:entry", NS)) == count + 1
