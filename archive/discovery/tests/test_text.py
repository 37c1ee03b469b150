"""Free-text search (archive/discovery/text.py), as a reader types it into /works/search: words
in any field, phrases, prefixes, best match, the title field, and how many words are searched for."""

import pytest

from archive.accounts.tests.factories import UserFactory
from archive.core.tests.pages import found
from archive.core.tests.pages import listed_ids as listed
from archive.discovery.tests.helpers import at, search, set_story, synonym
from archive.discovery.text import MAX_TERMS
from archive.stories.tests.factories import make_story
from archive.tags.models import Tag
from archive.wrangling import services as wrangling

pytestmark = pytest.mark.django_db


# q: any field


@pytest.mark.parametrize(
    "where",
    [
        {"title": "The Lighthouse Keeper"},
        {"summary": "<p>Storms batter the old lighthouse.</p>"},
        {"notes": "<p>Written on a lighthouse holiday.</p>"},
        {"end_notes": "<p>Thanks to the lighthouse crew.</p>"},
        {"fandoms": ["Lighthouse (Movie)"]},
        {"characters": ["Lighthouse Keeper"]},
        {"relationships": ["Keeper / Lighthouse Ghost"]},
        {"freeforms": ["Lighthouse AU"]},
    ],
    ids=lambda where: next(iter(where)),
)
def test_any_field_search_finds_a_word_wherever_it_appears_in_a_work(client, where):
    match = make_story(**{"title": "Untitled", **where})
    make_story(title="Somewhere Else", summary="<p>A harbour.</p>", freeforms=["Harbour AU"])

    assert found(search(client, q="lighthouse")) == {match.pk}


def test_any_field_search_finds_a_character_named_only_in_a_relationship_tag(client):
    match = make_story(title="Underworld", relationships=["Hades/Persephone"])
    make_story(title="Olympus", relationships=["Hera/Zeus"])

    assert found(search(client, q="Persephone")) == {match.pk}


def test_any_field_search_finds_works_by_their_author_username(client):
    writer = UserFactory(username="moonwriter")
    match = make_story(author=writer, title="Night")
    make_story(title="Day")

    assert found(search(client, q="MoonWriter")) == {match.pk}


def test_any_field_search_needs_every_word_somewhere_in_the_work(client):
    both = make_story(title="Storm", summary="<p>The lighthouse goes dark.</p>")
    make_story(title="Storm", summary="<p>A quiet harbour.</p>")
    make_story(title="Calm", summary="<p>The lighthouse shines.</p>")

    assert found(search(client, q="storm lighthouse")) == {both.pk}


def test_any_field_search_ignores_case(client):
    match = make_story(title="The LIGHTHOUSE")

    assert found(search(client, q="lightHouse")) == {match.pk}


def test_any_field_search_finds_works_tagged_with_a_synonym_by_the_canonical_name(client, wrangler):
    by_nickname = make_story(title="Shield Up", characters=["Cap"])
    canonical = make_story(title="Frozen", characters=["Steve Rogers"])
    make_story(title="Other", characters=["Tony Stark"])
    synonym("Cap", of="Steve Rogers", user=wrangler)

    assert found(search(client, q="Rogers")) == {by_nickname.pk, canonical.pk}
    assert found(search(client, q="Cap")) == {by_nickname.pk}


def test_any_field_search_finds_a_synonyms_works_by_the_new_name_of_a_renamed_canonical(client, wrangler):
    by_nickname = make_story(title="Shield Up", characters=["Cap"])
    make_story(title="Frozen", characters=["Steve Rogers"])
    synonym("Cap", of="Steve Rogers", user=wrangler)

    wrangling.rename(tag=Tag.objects.get(name="Steve Rogers"), name="Steven Grant Rogers", user=wrangler)

    assert by_nickname.pk in found(search(client, q="Steven Grant"))


def test_a_quoted_phrase_finds_only_those_words_next_to_each_other_in_that_order(client):
    phrase = make_story(title="Embers", summary="<p>A very slow burn romance.</p>")
    reversed_words = make_story(title="Ashes", summary="<p>They burn slow and low.</p>")
    apart = make_story(title="Cinders", summary="<p>Slow days, then the fires burn.</p>")

    assert found(search(client, q='"slow burn"')) == {phrase.pk}
    assert found(search(client, q="slow burn")) == {phrase.pk, reversed_words.pk, apart.pk}


def test_a_quoted_phrase_combines_with_other_words(client):
    match = make_story(title="Winter", summary="<p>A slow burn by the fire.</p>")
    make_story(title="Summer", summary="<p>A slow burn on the beach.</p>")

    assert found(search(client, q='"slow burn" winter')) == {match.pk}


def test_a_trailing_star_finds_every_word_that_starts_with_it(client):
    world = make_story(title="A New World")
    wording = make_story(title="Careful Wording")
    make_story(title="Sword Dance")
    make_story(title="Other Things")

    assert found(search(client, q="wor*")) == {world.pk, wording.pk}
    assert found(search(client, q="wor")) == set()


def test_any_field_search_finds_a_title_with_a_dotted_acronym_by_that_acronym(client):
    match = make_story(title="Agents of S.H.I.E.L.D.")

    assert found(search(client, q="S.H.I.E.L.D.")) == {match.pk}


def test_best_match_ranks_title_above_tags_above_summary_above_notes(client):
    in_notes = make_story(title="Four", notes="<p>lighthouse</p>")
    in_summary = make_story(title="Three", summary="<p>lighthouse</p>")
    in_tags = make_story(title="Two", freeforms=["Lighthouse"])
    in_title = make_story(title="Lighthouse")
    # Newest first would be the reverse order: only the rank can put the title match first.
    for day, story in enumerate([in_title, in_tags, in_summary, in_notes], start=1):
        set_story(story, updated_at=at(f"2024-01-0{day}"))

    response = search(client, q="lighthouse", sort="best")

    assert listed(response) == [in_title.pk, in_tags.pk, in_summary.pk, in_notes.pk]


def test_best_match_without_words_to_rank_by_sorts_by_date_updated(client):
    older = make_story(title="Older", characters=["Hades"])
    newer = make_story(title="Newer", characters=["Hades"])
    set_story(older, updated_at=at("2024-01-01"))
    set_story(newer, updated_at=at("2024-02-01"))

    assert listed(search(client, characters="Hades", sort="best")) == [newer.pk, older.pk]


# title


def test_the_title_field_matches_title_words_in_any_order_and_case(client):
    match = make_story(title="The Lighthouse Keeper")
    make_story(title="The Keeper", summary="<p>Lighthouse</p>")

    assert found(search(client, title="keeper LIGHTHOUSE")) == {match.pk}


def test_the_title_field_matches_part_of_a_title_word(client):
    match = make_story(title="The Lighthouse Keeper")
    make_story(title="Harbour")

    assert found(search(client, title="light")) == {match.pk}


# best match and the number of words


def test_best_match_ignores_the_order_and_keeps_the_best_first(client):
    in_summary = make_story(title="Elsewhere", summary="<p>lighthouse</p>")
    in_title = make_story(title="Lighthouse")

    for order in ("asc", "desc"):
        assert listed(search(client, q="lighthouse", sort="best", order=order)) == [in_title.pk, in_summary.pk]


def test_words_past_the_limit_are_left_out_and_the_page_says_so(client):
    typed = [f"w{number}" for number in range(MAX_TERMS)]
    story = make_story(title=" ".join(typed))

    response = client.get("/works/search", {"q": " ".join([*typed, "nowhere", "nothing"])})

    assert response.status_code == 200
    assert found(response) == {story.pk}  # "nowhere" and "nothing" were not looked for
    assert "Only the first 32 words were searched for; 2 more were left out." in response.content.decode()
    assert found(client.get("/works/search", {"q": " ".join([*typed[:-1], "nowhere"])})) == set()


def test_words_up_to_the_limit_are_all_searched_for_with_no_notice(client):
    story = make_story(title=" ".join(f"w{number}" for number in range(MAX_TERMS)))

    response = client.get("/works/search", {"q": " ".join(f"w{number}" for number in range(MAX_TERMS))})

    assert found(response) == {story.pk}
    assert "were left out" not in response.content.decode()
