"""Main characters and relationships: what a work is about, as its author marked it (#13)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive.core.tests.pages import found
from archive.stories.tests.factories import make_story
from archive.tags.models import Tag
from archive.wrangling import services as wrangling

pytestmark = pytest.mark.django_db

CAROL = "Carol Peletier"
DARYL = "Daryl Dixon"
MERLE = "Merle Dixon"
CARYL = f"{CAROL}/{DARYL}"
DIXONS = f"{DARYL} & {MERLE}"


def search(client, **fields):
    return client.get("/works/search", fields)


@pytest.fixture
def works(db):
    """Carol main, Carol in the background, Carol in a main and in a background ship, and a work
    whose author marked nothing (everything on it counts as main)."""
    return {
        "main": make_story(title="Main", characters=[CAROL, MERLE], main_characters=[CAROL]),
        "background": make_story(title="Background", characters=[CAROL, MERLE], main_characters=[MERLE]),
        "main ship": make_story(
            title="Main ship", relationships=[CARYL, DIXONS], characters=[MERLE], main_relationships=[CARYL]
        ),
        "background ship": make_story(
            title="Background ship", relationships=[CARYL, DIXONS], main_relationships=[DIXONS]
        ),
        "unmarked": make_story(title="Unmarked", characters=[CAROL], relationships=[CARYL]),
    }


def pks(works: dict, *names: str) -> set[int]:
    return {works[name].pk for name in names}


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("tagged", ["main", "unmarked"]),
        ("ships", ["main", "main ship", "unmarked"]),
        ("romantic", ["main ship", "unmarked"]),
        ("platonic", []),
    ],
)
def test_a_main_character_is_found_only_where_it_is_main_in_each_character_mode(client, works, mode, expected):
    response = search(client, main_characters=CAROL, character_mode=mode)

    assert response.status_code == 200
    assert found(response) == pks(works, *expected)


def test_a_main_relationship_leaves_out_works_where_it_is_in_the_background(client, works):
    assert found(search(client, main_relationships=CARYL)) == pks(works, "main ship", "unmarked")
    assert found(search(client, relationships=CARYL)) == pks(works, "main ship", "background ship", "unmarked")


def test_a_main_ship_search_can_exclude_a_tag(client, works):
    response = search(client, main_relationships=CARYL, excluded=MERLE)

    assert found(response) == pks(works, "unmarked")


def test_a_main_character_search_finds_works_tagged_with_a_synonym(client, works, wrangler):
    nickname = make_story(title="Nickname", characters=["Carol P.", MERLE], main_characters=["Carol P."])
    canonical = wrangling.make_canonical(tag=Tag.objects.get(name=CAROL), user=wrangler)
    wrangling.make_synonym(tag=Tag.objects.get(name="Carol P."), of=canonical, user=wrangler)

    expected = pks(works, "main", "unmarked") | {nickname.pk}
    assert found(search(client, main_characters="Carol P.")) == expected
    assert found(search(client, main_characters=CAROL)) == expected


def test_the_summary_says_the_characters_are_asked_for_as_main(client, works):
    content = search(client, main_characters=CAROL, main_relationships=CARYL).content.decode()

    assert f"about {CAROL} as main character" in content
    assert f"with the main relationship {CARYL}" in content


def test_an_unknown_main_character_finds_nothing_and_says_so(client, works):
    response = search(client, main_characters="Nobody At All")

    assert found(response) == set()
    assert "Nobody At All" in response.content.decode()


def test_the_tag_page_can_list_only_the_works_where_its_character_is_main(client, works):
    url = Tag.objects.get(name=CAROL).get_absolute_url()

    assert found(client.get(url)) == pks(works, "main", "background", "unmarked")
    assert found(client.get(url, {"main_only": "on"})) == pks(works, "main", "unmarked")
    assert found(client.get(url, {"main_only": "on", "with_ships": "on"})) == pks(
        works, "main", "main ship", "unmarked"
    )


def test_the_tag_page_of_a_ship_can_list_only_the_works_where_it_is_main(client, works):
    url = Tag.objects.get(name=CARYL).get_absolute_url()

    assert found(client.get(url, {"main_only": "on"})) == pks(works, "main ship", "unmarked")
    assert 'name="main_only"' in client.get(url).content.decode()


def test_a_synonyms_tag_page_keeps_only_main_when_it_sends_the_reader_to_the_canonical_tag(client, works, wrangler):
    make_story(title="Nickname", characters=["Carol P.", MERLE], main_characters=[MERLE])
    canonical = wrangling.make_canonical(tag=Tag.objects.get(name=CAROL), user=wrangler)
    wrangling.make_synonym(tag=Tag.objects.get(name="Carol P."), of=canonical, user=wrangler)

    response = client.get(Tag.objects.get(name="Carol P.").get_absolute_url(), {"main_only": "on"}, follow=True)

    assert found(response) == pks(works, "main", "unmarked")


@pytest.mark.usefixtures("page_cache_off")  # measures rendering, not the shared page cache
def test_main_searches_and_tag_pages_cost_what_the_plain_ones_do(client, works, django_assert_max_num_queries):
    tag_page = Tag.objects.get(name=CAROL).get_absolute_url()
    client.get("/works/search", {"characters": CAROL})
    with CaptureQueriesContext(connection) as plain_search:
        client.get("/works/search", {"characters": CAROL})
    client.get(tag_page)
    with CaptureQueriesContext(connection) as plain_tag_page:
        client.get(tag_page)
    for number in range(25):
        make_story(title=f"More {number}", characters=[CAROL, DARYL], relationships=[CARYL], main_characters=[CAROL])

    with django_assert_max_num_queries(len(plain_search.captured_queries)):
        response = search(client, main_characters=CAROL, main_relationships=CARYL, character_mode="ships")
    assert len(found(response)) == 20
    with django_assert_max_num_queries(len(plain_tag_page.captured_queries)):
        response = client.get(tag_page, {"main_only": "on"})
    assert len(found(response)) == 20


def test_the_search_sidebar_can_keep_only_works_where_the_named_characters_are_main(client, works):
    plain = search(client, characters=CAROL)
    assert 'name="main_only"' in plain.content.decode()

    response = search(client, characters=CAROL, main_only="on")

    assert found(response) == pks(works, "main", "unmarked")
    assert "only where they are main" in response.content.decode()


def test_the_search_sidebar_offers_only_main_when_the_search_names_a_character_or_relationship(client, works):
    assert 'name="main_only"' not in search(client, fandoms="Greek Mythology").content.decode()
    assert found(search(client, main_only="on")) == set()  # alone, it is not a search
