"""How a searched character counts: tagged, in any ship, in a romance (A/B) or a friendship (A & B)."""

import re

import pytest

from archive.core.tests.pages import found
from archive.stories.tests.factories import make_story
from archive.tags.models import ShipKind, Tag
from archive.wrangling import services as wrangling

pytestmark = pytest.mark.django_db

CAROL = "Carol Peletier"
DARYL = "Daryl Dixon"
MERLE = "Merle Dixon"


def search(client, **fields):
    return client.get("/works/search", fields)


def synonym(name: str, of: str, user) -> None:
    canonical = wrangling.make_canonical(tag=Tag.objects.get(name=of), user=user)
    wrangling.make_synonym(tag=Tag.objects.get(name=name), of=canonical, user=user)


@pytest.fixture
def works(db):
    """Carol as a character tag, only in a romance, only in a friendship, and not at all."""
    return {
        "tagged": make_story(title="Tagged", characters=[CAROL]),
        "romance": make_story(title="Romance", relationships=[f"{CAROL}/{DARYL}"]),
        "friendship": make_story(title="Friendship", relationships=[f"{CAROL} & {DARYL}"]),
        "absent": make_story(title="Absent", characters=[DARYL], relationships=[f"{DARYL}/{MERLE}"]),
    }


def pks(works: dict, *names: str) -> set[int]:
    return {works[name].pk for name in names}


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("tagged", ["tagged"]),
        ("ships", ["tagged", "romance", "friendship"]),
        ("romantic", ["romance"]),
        ("platonic", ["friendship"]),
    ],
)
def test_each_character_mode_finds_the_works_where_the_character_counts(client, works, mode, expected):
    response = search(client, characters=CAROL, character_mode=mode)

    assert response.status_code == 200
    assert found(response) == pks(works, *expected)


def test_without_a_mode_a_character_counts_only_where_it_is_tagged(client, works):
    assert found(search(client, characters=CAROL)) == pks(works, "tagged")


def test_the_chosen_mode_is_checked_again_on_the_results_page(client, works):
    content = search(client, characters=CAROL, character_mode="romantic").content.decode()

    assert re.search(r'<input type="radio" name="character_mode" value="romantic"[^>]*checked', content)


def test_a_character_who_is_both_tagged_and_in_a_ship_is_found_once_in_ships_mode(client):
    story = make_story(characters=[CAROL, DARYL], relationships=[f"{CAROL}/{DARYL}"])

    response = search(client, characters=CAROL, character_mode="ships")

    assert found(response) == {story.pk}
    assert "1 work<" in response.content.decode()


def test_a_character_in_a_romance_with_a_friend_counts_as_romantic(client):
    # "A/B & C" is a couple and their friend: any "/" makes the whole tag a romance.
    story = make_story(relationships=[f"{CAROL}/{DARYL} & {MERLE}"])

    assert found(search(client, characters=MERLE, character_mode="romantic")) == {story.pk}
    assert found(search(client, characters=MERLE, character_mode="platonic")) == set()


def test_the_character_mode_leaves_the_relationships_field_alone(client, works):
    response = search(client, relationships=f"{DARYL}/{CAROL}", character_mode="platonic")

    assert found(response) == pks(works, "romance")


# single relationship


def test_only_works_with_exactly_one_relationship_tag_are_kept_with_single_relationship(client):
    one = make_story(title="One", characters=[CAROL], relationships=[f"{CAROL}/{DARYL}"])
    make_story(title="None", characters=[CAROL])
    make_story(title="Two", characters=[CAROL], relationships=[f"{CAROL}/{DARYL}", f"{CAROL} & {MERLE}"])

    response = search(client, characters=CAROL, single_relationship="on")

    assert found(response) == {one.pk}


def test_single_relationship_combines_with_ships_mode(client, works):
    poly = make_story(title="Two Ships", relationships=[f"{CAROL}/{DARYL}", f"{CAROL} & {MERLE}"])

    response = search(client, characters=CAROL, character_mode="ships", single_relationship="on")

    assert found(response) == pks(works, "romance", "friendship")
    assert poly.pk not in found(response)


# two characters


def test_two_characters_in_ships_mode_must_each_be_tagged_or_in_a_ship(client):
    ship_together = make_story(title="Together", relationships=[f"{CAROL}/{DARYL}"])
    tagged_and_shipped = make_story(title="Mixed", characters=[CAROL], relationships=[f"{DARYL} & {MERLE}"])
    both_tagged = make_story(title="Both Tagged", characters=[CAROL, DARYL])
    make_story(title="Only Carol", characters=[CAROL], relationships=[f"{CAROL}/{MERLE}"])
    make_story(title="Only Daryl", relationships=[f"{DARYL}/{MERLE}"])

    response = search(client, characters=f"{CAROL}, {DARYL}", character_mode="ships")

    assert found(response) == {ship_together.pk, tagged_and_shipped.pk, both_tagged.pk}


def test_two_characters_in_romantic_mode_must_each_be_in_a_romance(client):
    together = make_story(title="Together", relationships=[f"{CAROL}/{DARYL}"])
    apart = make_story(title="Apart", relationships=[f"{CAROL}/{MERLE}", f"{DARYL}/{MERLE}"])
    make_story(title="One Friendship", relationships=[f"{CAROL}/{MERLE}", f"{DARYL} & {MERLE}"])
    make_story(title="Tagged", characters=[CAROL, DARYL])

    response = search(client, characters=f"{CAROL}, {DARYL}", character_mode="romantic")

    assert found(response) == {together.pk, apart.pk}


# synonyms count in every mode


@pytest.fixture
def works_with_a_nickname(wrangler):
    """Carol under her canonical name and under a synonym, in every role a character can have."""
    stories = {
        "tagged canonical": make_story(title="Tagged Canonical", characters=[CAROL]),
        "tagged nickname": make_story(title="Tagged Nickname", characters=["Carol"]),
        "romance canonical": make_story(title="Romance Canonical", relationships=[f"{CAROL}/{DARYL}"]),
        "romance nickname": make_story(title="Romance Nickname", relationships=[f"Carol/{MERLE}"]),
        "friendship canonical": make_story(title="Friendship Canonical", relationships=[f"{CAROL} & {MERLE}"]),
        "friendship nickname": make_story(title="Friendship Nickname", relationships=[f"Carol & {DARYL}"]),
        "absent": make_story(title="Absent", characters=[DARYL]),
    }
    synonym("Carol", of=CAROL, user=wrangler)
    return stories


@pytest.mark.parametrize("name", [CAROL, "Carol", "carol peletier"])
@pytest.mark.parametrize(
    ("mode", "roles"),
    [
        ("tagged", ["tagged"]),
        ("ships", ["tagged", "romance", "friendship"]),
        ("romantic", ["romance"]),
        ("platonic", ["friendship"]),
    ],
)
def test_a_character_and_its_synonyms_count_alike_in_every_mode(client, works_with_a_nickname, name, mode, roles):
    expected = {works_with_a_nickname[f"{role} {form}"].pk for role in roles for form in ("canonical", "nickname")}

    assert found(search(client, characters=name, character_mode=mode)) == expected


def test_a_ship_known_by_a_nickname_counts_its_canonicals_characters(client, wrangler):
    canonical = make_story(title="Canonical", relationships=[f"{CAROL}/{DARYL}"])
    nickname = make_story(title="Nickname", relationships=["Caryl"])
    make_story(title="Other", relationships=[f"{DARYL}/{MERLE}"])
    synonym("Caryl", of=f"{CAROL}/{DARYL}", user=wrangler)

    for mode in ("romantic", "ships"):
        assert found(search(client, characters=CAROL, character_mode=mode)) == {canonical.pk, nickname.pk}, mode
    assert found(search(client, characters=CAROL, character_mode="platonic")) == set()


def test_a_ship_whose_characters_a_wrangler_links_is_found_by_them(client, wrangler):
    story = make_story(relationships=["Caryl"])
    ship = Tag.objects.get(name="Caryl")
    carol = Tag.objects.create(name=CAROL, kind=Tag.Kind.CHARACTER, canonical=True)
    daryl = Tag.objects.create(name=DARYL, kind=Tag.Kind.CHARACTER, canonical=True)

    wrangling.link_characters(tag=ship, characters=[carol, daryl], ship_kind=ShipKind.PLATONIC, user=wrangler)

    assert found(search(client, characters=DARYL, character_mode="platonic")) == {story.pk}
    assert found(search(client, characters=DARYL, character_mode="romantic")) == set()
