"""The search page says what was asked in a sentence, folds its form once there are results, and
shows the character fields without "More options"."""

import re

import pytest
from django.http import QueryDict

from archive.search.forms import WorkSearchForm
from archive.stories.tests.factories import make_story

pytestmark = pytest.mark.django_db


def summary(query: str) -> str:
    return WorkSearchForm(QueryDict(query)).summary()


def test_a_character_search_reads_as_a_sentence_with_its_mode():
    assert summary("characters=Carol Peletier, Daryl Dixon&character_mode=romantic") == (
        "Works with Carol Peletier and Daryl Dixon in romantic relationships; sorted by date updated."
    )
    assert summary("characters=Carol&character_mode=platonic") == (
        "Works with Carol in a platonic relationship; sorted by date updated."
    )


def test_every_kind_of_criterion_is_named():
    text = summary(
        "q=winter road&title=Walk&author=quill&fandoms=TWD&relationships=A/B&single_relationship=on"
        "&freeforms=Fluff&excluded=AU, Angst&rating=teen&complete=wip&single_chapter=on"
        "&words_from=1000&words_to=5000&language=en&crossover=exclude&order=asc"
    )

    assert text == (
        "Works matching “winter road”, titled “Walk”, by quill, in TWD, with the relationship A/B, "
        "with only one relationship, tagged Fluff, without AU or Angst, rated Teen And Up Audiences, "
        "still in progress, in one chapter, of 1,000 to 5,000 words, in English, no crossovers; "
        "sorted by best match, ascending."
    )


def test_best_match_without_words_is_said_as_the_order_the_results_are_in():
    assert summary("fandoms=TWD&sort=best").endswith("sorted by date updated.")


def test_the_tag_fields_ask_for_suggestions_of_their_kind():
    form = WorkSearchForm()
    kinds = {name: form.fields[name].widget.attrs.get("data-tag-kind") for name in form.fields}

    assert kinds["characters"] == "character"
    assert kinds["relationships"] == "relationship"
    assert kinds["fandoms"] == "fandom"
    assert kinds["excluded"] == ""


def test_more_options_opens_only_for_a_field_folded_under_it():
    assert not WorkSearchForm(QueryDict("characters=Carol&character_mode=romantic&sort=kudos")).uses_more_options()
    assert WorkSearchForm(QueryDict("characters=Carol&author=quill")).uses_more_options()
    assert WorkSearchForm(QueryDict("words_from=-4")).uses_more_options()


def test_results_fold_the_form_and_an_empty_result_keeps_it_open(client):
    make_story(title="Walker Season", characters=["Carol Peletier"])

    found = client.get("/works/search", {"characters": "Carol Peletier"}).content.decode()
    assert '<p class="search-summary">Works with Carol Peletier; sorted by date updated.</p>' in found
    assert re.search(r'<details class="search-edit"><summary>Edit search</summary>\s*<form', found)

    nothing = client.get("/works/search", {"characters": "Rick Grimes"}).content.decode()
    assert "search-summary" in nothing and "search-edit" not in nothing

    blank = client.get("/works/search").content.decode()
    assert "search-summary" not in blank and "search-edit" not in blank
    assert blank.index('id="id_characters"') < blank.index("<summary>More options</summary>")
