"""/autocomplete/tags: the suggestions an author sees while typing a tag."""

import pytest

from archive.accounts.tests.factories import UserFactory
from archive.stories.tests.factories import make_story
from archive.tags.models import Tag
from archive.tags.tests.factories import TagFactory
from archive.wrangling import services as wrangling

pytestmark = pytest.mark.django_db


def suggest(client, **params) -> list[str]:
    response = client.get("/autocomplete/tags", params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return [result["name"] for result in response.json()["results"]]


def test_suggestions_are_tags_of_the_kind_asked_whose_name_starts_with_the_query(client):
    make_story(characters=["Carol Peletier", "Carl Grimes", "Daryl Dixon"], freeforms=["Caring"])

    assert suggest(client, kind="character", q="car") == ["Carl Grimes", "Carol Peletier"]
    assert suggest(client, kind="freeform", q="car") == ["Caring"]


def test_a_suggestion_matches_the_start_of_any_word_of_its_name_but_not_the_middle_of_one(client):
    TagFactory(name="Lady Caroline")
    TagFactory(name="Oscar")
    TagFactory(name="Michonne")

    assert suggest(client, kind="character", q="car") == ["Lady Caroline"]


def test_the_query_ignores_case_and_extra_spaces(client):
    TagFactory(name="Carol Peletier")

    assert suggest(client, kind="character", q="  CAROL   pel ") == ["Carol Peletier"]


def test_each_result_says_its_name_kind_canonical_status_and_use(client):
    make_story(characters=["Carol Peletier"])

    response = client.get("/autocomplete/tags", {"kind": "character", "q": "car"})

    assert response.json() == {
        "results": [{"name": "Carol Peletier", "kind": "character", "canonical": False, "use_count": 1}]
    }


def test_canonical_tags_come_first_then_the_most_used(client):
    make_story(characters=["Carol Used Twice", "Carol Used Once", "Carol Canonical"])
    make_story(characters=["Carol Used Twice"])
    TagFactory(name="Carol Unused")
    wrangling.make_canonical(tag=Tag.objects.get(name="Carol Canonical"), user=UserFactory(is_staff=True))

    assert suggest(client, kind="character", q="carol") == [
        "Carol Canonical",
        "Carol Used Twice",
        "Carol Used Once",
        "Carol Unused",
    ]


def test_tags_used_equally_are_in_name_order(client):
    for name in ("Carol C", "carol a", "Carol B"):
        TagFactory(name=name)

    assert suggest(client, kind="character", q="carol") == ["carol a", "Carol B", "Carol C"]


@pytest.mark.parametrize("query", ["", "   "])
def test_an_empty_query_suggests_nothing(client, query):
    TagFactory(name="Carol Peletier")

    response = client.get("/autocomplete/tags", {"kind": "character", "q": query})

    assert response.json() == {"results": []}


def test_a_missing_query_suggests_nothing(client):
    TagFactory(name="Carol Peletier")

    assert client.get("/autocomplete/tags").json() == {"results": []}


@pytest.mark.parametrize("kind", ["bogus", "", "Character", None])
def test_an_unknown_or_missing_kind_searches_every_kind(client, kind):
    make_story(fandoms=["Carnival Row"], characters=["Carol Peletier"], freeforms=["Car Chases"])
    params = {"q": "car"} if kind is None else {"q": "car", "kind": kind}

    assert sorted(suggest(client, **params)) == ["Car Chases", "Carnival Row", "Carol Peletier"]


def test_at_most_fifteen_suggestions_are_given(client):
    for n in range(20):
        TagFactory(name=f"Carol {n:02}")

    assert len(suggest(client, kind="character", q="carol")) == 15


def test_like_wildcards_in_the_query_match_only_themselves(client):
    TagFactory(name="100% Real")
    TagFactory(name="Carol Peletier")

    assert suggest(client, q="%") == []
    assert suggest(client, q="_") == []
    assert suggest(client, q="100%") == ["100% Real"]


def test_a_very_long_query_is_answered(client):
    TagFactory(name="Carol Peletier")

    assert suggest(client, q="c" * 5000) == []


def test_a_relationship_is_suggested_by_the_start_of_either_characters_name(client):
    make_story(relationships=["Daryl Dixon/Carol Peletier"])

    assert suggest(client, kind="relationship", q="carol") == ["Daryl Dixon/Carol Peletier"]
