"""Searching works by tags at /works/search: every tag asked for must be on a work."""

import re
from html import unescape
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive.accounts.tests.factories import UserFactory
from archive.core.tests.pages import found
from archive.stories.tests.factories import make_story

pytestmark = pytest.mark.django_db


def search(client, **fields):
    return client.get("/works/search", fields)


def test_searching_for_two_characters_finds_only_works_with_both(client):
    both = make_story(title="Both", characters=["Hades", "Persephone"])
    more = make_story(title="Both And More", characters=["Persephone", "Demeter", "Hades"])
    make_story(title="Only Hades", characters=["Hades"])
    make_story(title="Only Persephone", characters=["Persephone"])
    make_story(title="Neither", characters=["Zeus"])

    response = search(client, characters="Hades,Persephone")

    assert response.status_code == 200
    assert found(response) == {both.pk, more.pk}
    content = response.content.decode()
    assert "Results" in content
    assert "2 works" in content
    assert "Only Hades" not in content


def test_character_names_are_matched_whatever_their_case_and_spacing(client):
    story = make_story(characters=["Hades", "Persephone"])

    assert found(search(client, characters="  hades ,PERSEPHONE  , ")) == {story.pk}


@pytest.mark.parametrize(
    ("field", "wanted", "other"),
    [
        ("fandoms", {"fandoms": ["Greek Mythology", "Hadestown"]}, {"fandoms": ["Greek Mythology"]}),
        (
            "relationships",
            {"relationships": ["Hades/Persephone", "Orpheus/Eurydice"]},
            {"relationships": ["Hades/Persephone"]},
        ),
        ("freeforms", {"freeforms": ["Slow Burn", "Fluff"]}, {"freeforms": ["Fluff"]}),
    ],
)
def test_every_kind_of_tag_filters_and_all_of_them_must_match(client, field, wanted, other):
    match = make_story(title="Match", **wanted)
    make_story(title="Partial", **other)

    response = search(client, **{field: ", ".join(wanted[field])})

    assert found(response) == {match.pk}


def test_tags_of_different_kinds_combine_so_a_work_needs_every_one(client):
    match = make_story(fandoms=["Hadestown"], characters=["Orpheus"], freeforms=["Tragedy"])
    make_story(fandoms=["Hadestown"], characters=["Orpheus"])
    make_story(fandoms=["Greek Mythology"], characters=["Orpheus"], freeforms=["Tragedy"])

    response = search(client, fandoms="Hadestown", characters="Orpheus", freeforms="Tragedy")

    assert found(response) == {match.pk}


def test_an_unknown_tag_gives_no_results_and_a_message_naming_it(client):
    make_story(characters=["Hades"])

    response = search(client, characters="Hades, Nobody Real")

    assert response.status_code == 200
    assert found(response) == set()
    assert "No tag matches “Nobody Real”, so no work can match every tag." in unescape(response.content.decode())
    assert "“Hades”" not in response.content.decode()


def test_a_tag_searched_as_the_wrong_kind_is_named_as_unknown(client):
    make_story(fandoms=["Greek Mythology"], characters=["Hades"])

    response = search(client, characters="Greek Mythology")

    assert found(response) == set()
    assert "No tag matches “Greek Mythology”" in response.content.decode()


def test_drafts_never_appear_in_search_results_even_for_their_author(client, author, author_client):
    posted = make_story(author=author, title="Posted", characters=["Hades"])
    make_story(author=author, title="Secret Draft", characters=["Hades"], post=False)

    for viewer in (client, author_client):
        response = search(viewer, characters="Hades")
        assert found(response) == {posted.pk}
        assert "Secret Draft" not in response.content.decode()


def test_a_tag_only_on_drafts_finds_nothing(client):
    make_story(characters=["Secret Character"], post=False)

    assert found(search(client, characters="Secret Character")) == set()


def test_the_empty_search_page_shows_the_form_and_no_results(client):
    make_story(characters=["Hades"])

    response = client.get("/works/search")

    assert response.status_code == 200
    assert "search/search.html" in [template.name for template in response.templates]
    content = response.content.decode()
    assert 'class="search-form" role="search"' in content
    for name in ("characters", "relationships", "fandoms", "freeforms"):
        assert f'name="{name}"' in content
    assert "Results" not in content
    assert found(response) == set()
    assert response.context["page"] is None


def test_submitting_the_form_with_every_field_blank_shows_no_results_and_no_errors(client):
    make_story(characters=["Hades"])

    response = search(client, characters="", relationships=" , ", fandoms="", freeforms="")

    assert response.status_code == 200
    assert "Results" not in response.content.decode()
    assert "form-errors" not in response.content.decode()
    assert found(response) == set()


def test_a_search_is_a_shareable_url_that_shows_the_same_results_and_refills_the_form(client, reader_client):
    story = make_story(characters=["Hades", "Persephone"], fandoms=["Hadestown"])
    url = "/works/search?" + urlencode({"characters": "Hades, Persephone", "fandoms": "Hadestown"})

    shared = client.get(url)

    assert found(shared) == found(reader_client.get(url)) == {story.pk}
    content = shared.content.decode()
    assert 'value="Hades, Persephone"' in content
    assert 'value="Hadestown"' in content


def test_a_tag_with_a_forbidden_character_shows_an_error_and_is_displayed_safely(client):
    response = search(client, characters="<script>alert(1)</script>")

    assert response.status_code == 200
    content = response.content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;" in content
    assert "contains a character tags can" in unescape(content)
    assert found(response) == set()


def test_a_search_of_real_tags_that_no_work_has_together_says_nothing_matched(client):
    make_story(characters=["Hades"])
    make_story(characters=["Zeus"])

    response = search(client, characters="Hades, Zeus")

    assert found(response) == set()
    assert "No works match all of those tags." in response.content.decode()


def test_search_results_are_paginated_twenty_a_page(client):
    stories = [make_story(characters=["Hades"]) for _ in range(21)]

    first = search(client, characters="Hades")
    second = search(client, characters="Hades", page="2")

    assert len(found(first)) == 20
    assert found(first) | found(second) == {story.pk for story in stories}
    assert "21 of 21 works" in second.content.decode()


def test_the_next_page_link_of_search_results_keeps_the_search(client):
    for _ in range(21):
        make_story(characters=["Hades"])
    make_story(characters=["Zeus"])

    first = search(client, characters="Hades")
    href = unescape(re.search(r'<a rel="next" href="([^"]*)"', first.content.decode())[1])
    second = client.get("/works/search" + href)

    assert len(found(second)) == 1
    assert "21 of 21 works" in second.content.decode()


@pytest.mark.usefixtures("page_cache_off")  # measures rendering, not the shared page cache
def test_a_search_uses_the_same_number_of_queries_for_many_results_as_for_two(
    client, author, django_assert_max_num_queries
):
    def busy_story(number: int):
        story = make_story(
            author=author,
            fandoms=["Greek Mythology", f"Fandom {number}"],
            characters=["Hades", "Persephone", f"Character {number}"],
            relationships=["Hades/Persephone"],
            freeforms=[f"Trope {number}", "Slow Burn"],
        )
        story.authors.add(UserFactory(), UserFactory())

    url = "/works/search?" + urlencode({"characters": "Hades, Persephone", "fandoms": "Greek Mythology"})
    for number in range(2):
        busy_story(number)
    client.get(url)
    with CaptureQueriesContext(connection) as with_two:
        client.get(url)

    for number in range(2, 25):
        busy_story(number)

    with django_assert_max_num_queries(len(with_two.captured_queries)):
        response = client.get(url)
    assert len(found(response)) == 20
