"""What each filter of a list of works finds and leaves out (archive/discovery/filtering.py),
through /works/search: excluded tags, sidebar ids, ratings, warnings, categories, completion,
length, dates, language, crossovers and sorting."""

from datetime import UTC, datetime

import pytest

from archive.core.tests.pages import found
from archive.core.tests.pages import listed_ids as listed
from archive.discovery.tests.helpers import at, search, set_story, synonym
from archive.stories.choices import Category, Rating, Warning
from archive.stories.tests.factories import make_story
from archive.tags.models import Tag

pytestmark = pytest.mark.django_db


def words(count: int) -> str:
    return " ".join(["word"] * count)


# excluded


@pytest.mark.parametrize(
    "tags",
    [
        {"fandoms": ["Hadestown"]},
        {"characters": ["Zeus"]},
        {"relationships": ["Hades/Zeus"]},
        {"freeforms": ["Major Character Death"]},
    ],
    ids=lambda tags: next(iter(tags)),
)
def test_excluding_a_tag_of_any_kind_leaves_out_works_with_it(client, tags):
    kept = make_story(title="Kept", fandoms=["Greek Mythology"], characters=["Hades"])
    left_out = {"fandoms": ["Greek Mythology"], "characters": ["Hades"]}
    ((field, [name]),) = tags.items()
    left_out[field] = [*left_out.get(field, []), name]
    make_story(title="Left Out", **left_out)

    response = search(client, characters="Hades", excluded=name)

    assert found(response) == {kept.pk}


def test_excluding_several_tags_leaves_out_works_with_any_of_them(client):
    kept = make_story(characters=["Hades"])
    make_story(characters=["Hades", "Zeus"])
    make_story(characters=["Hades"], freeforms=["Angst"])

    assert found(search(client, characters="Hades", excluded="zeus, ANGST")) == {kept.pk}


def test_excluding_a_relationship_typed_in_the_other_order_still_leaves_it_out(client):
    kept = make_story(relationships=["Hades/Zeus"])
    make_story(relationships=["Hades/Persephone"])

    assert found(search(client, fandoms="Greek Mythology", excluded="Persephone/Hades")) == {kept.pk}


def test_excluding_alone_lists_every_other_work(client):
    kept = make_story(freeforms=["Fluff"])
    no_tags = make_story(fandoms=["Hadestown"])
    make_story(freeforms=["Angst"])

    assert found(search(client, excluded="Angst")) == {kept.pk, no_tags.pk}


def test_excluding_a_synonym_leaves_out_works_tagged_with_its_canonical_and_the_reverse(client, wrangler):
    kept = make_story(title="Kept", characters=["Tony Stark"])
    by_canonical = make_story(title="Canonical", characters=["Steve Rogers"])
    by_nickname = make_story(title="Nickname", characters=["Cap"])
    synonym("Cap", of="Steve Rogers", user=wrangler)

    for name in ("Cap", "Steve Rogers"):
        response = search(client, fandoms="Greek Mythology", excluded=name)
        assert found(response) == {kept.pk}, name
        assert by_canonical.pk not in found(response)
        assert by_nickname.pk not in found(response)


def test_excluding_a_tag_nobody_uses_leaves_the_results_alone(client):
    story = make_story(characters=["Hades"])

    response = search(client, characters="Hades", excluded="Nobody Real")

    assert found(response) == {story.pk}
    assert "No tag matches" not in response.content.decode()


# sidebar ids: include and exclude


def test_including_and_excluding_tag_ids_narrows_the_search(client):
    both = make_story(characters=["Hades"], freeforms=["Fluff"])
    make_story(characters=["Hades"], freeforms=["Fluff", "Angst"])
    make_story(characters=["Hades"])
    fluff, angst = Tag.objects.get(name="Fluff"), Tag.objects.get(name="Angst")

    response = client.get(f"/works/search?characters=Hades&include={fluff.pk}&exclude={angst.pk}")

    assert found(response) == {both.pk}


# ratings, warnings, categories


def test_choosing_several_ratings_finds_works_with_any_of_them(client):
    teen = make_story(rating=Rating.TEEN)
    mature = make_story(rating=Rating.MATURE)
    make_story(rating=Rating.GENERAL)
    make_story(rating=Rating.EXPLICIT)

    assert found(search(client, rating=["teen", "mature"])) == {teen.pk, mature.pk}
    assert found(search(client, rating="teen")) == {teen.pk}


def test_excluding_a_rating_leaves_out_its_works(client):
    general = make_story(rating=Rating.GENERAL)
    make_story(rating=Rating.EXPLICIT)

    assert found(search(client, fandoms="Greek Mythology", exclude_rating="explicit")) == {general.pk}


def test_chosen_warnings_must_all_be_on_a_work(client):
    both = make_story(warnings=Warning.VIOLENCE | Warning.MAJOR_CHARACTER_DEATH)
    everything = make_story(warnings=Warning.VIOLENCE | Warning.MAJOR_CHARACTER_DEATH | Warning.UNDERAGE)
    violence = make_story(warnings=Warning.VIOLENCE)
    make_story(warnings=Warning.NONE_APPLY)

    assert found(search(client, warnings=[Warning.VIOLENCE, Warning.MAJOR_CHARACTER_DEATH])) == {both.pk, everything.pk}
    assert found(search(client, warnings=Warning.VIOLENCE)) == {both.pk, everything.pk, violence.pk}


def test_a_category_finds_works_with_that_category_among_others(client):
    gen = make_story(categories=Category.GEN)
    gen_and_ff = make_story(categories=Category.GEN | Category.FF)
    make_story(categories=Category.MM)
    make_story(categories=0)

    assert found(search(client, categories=Category.GEN)) == {gen.pk, gen_and_ff.pk}


# completion and length


@pytest.fixture
def works_by_status():
    return {
        "complete": make_story(title="Complete", chapters=2, expected_chapters=2),
        "oneshot": make_story(title="Oneshot", chapters=1, expected_chapters=1),
        "in progress": make_story(title="In Progress", chapters=1, expected_chapters=3),
        "open ended": make_story(title="Open Ended", chapters=2, expected_chapters=None),
    }


def test_complete_works_only_finds_works_with_every_expected_chapter(client, works_by_status):
    response = search(client, complete="complete")

    assert found(response) == {works_by_status["complete"].pk, works_by_status["oneshot"].pk}


def test_works_in_progress_only_finds_unfinished_and_open_ended_works(client, works_by_status):
    response = search(client, complete="wip")

    assert found(response) == {works_by_status["in progress"].pk, works_by_status["open ended"].pk}


def test_single_chapter_only_finds_finished_one_chapter_works(client, works_by_status):
    response = search(client, single_chapter="on")

    assert found(response) == {works_by_status["oneshot"].pk}


def test_words_from_and_to_include_their_bounds(client):
    short = make_story(title="Short", body=words(10))
    middle = make_story(title="Middle", body=words(50))
    long = make_story(title="Long", body=words(100))
    assert (short.word_count, middle.word_count, long.word_count) == (10, 50, 100)

    assert found(search(client, words_from=50)) == {middle.pk, long.pk}
    assert found(search(client, words_to=50)) == {short.pk, middle.pk}
    assert found(search(client, words_from=10, words_to=50)) == {short.pk, middle.pk}
    assert found(search(client, words_from=11, words_to=99)) == {middle.pk}


def test_words_count_every_posted_chapter(client):
    two_chapters = make_story(title="Two Chapters", body=words(30), chapters=2)
    make_story(title="One Chapter", body=words(30))

    assert found(search(client, words_from=60)) == {two_chapters.pk}


def test_words_to_zero_finds_no_work(client):
    make_story(characters=["Hades"], body=words(10))

    assert found(search(client, characters="Hades", words_to=0)) == set()


# dates


def test_updated_from_and_to_include_whole_days(client):
    march_1 = make_story(title="March 1")
    march_2_early = make_story(title="March 2 early")
    march_2_late = make_story(title="March 2 late")
    march_3 = make_story(title="March 3")
    set_story(march_1, updated_at=at("2024-03-01", hour=23))
    set_story(march_2_early, updated_at=datetime(2024, 3, 2, 0, 0, tzinfo=UTC))
    set_story(march_2_late, updated_at=datetime(2024, 3, 2, 23, 59, 59, tzinfo=UTC))
    set_story(march_3, updated_at=at("2024-03-03", hour=0))

    on_the_day = search(client, updated_from="2024-03-02", updated_to="2024-03-02")
    since = search(client, updated_from="2024-03-02")
    until = search(client, updated_to="2024-03-02")

    assert found(on_the_day) == {march_2_early.pk, march_2_late.pk}
    assert found(since) == {march_2_early.pk, march_2_late.pk, march_3.pk}
    assert found(until) == {march_1.pk, march_2_early.pk, march_2_late.pk}


# language and crossovers


def test_language_finds_only_works_in_that_language(client):
    french = make_story(title="Le Phare", language="fr")
    make_story(title="The Lighthouse", language="en")

    assert found(search(client, language="fr")) == {french.pk}


@pytest.fixture
def crossovers():
    return {
        "one": make_story(title="One Fandom", fandoms=["Hadestown"]),
        "two": make_story(title="Crossover", fandoms=["Hadestown", "Greek Mythology"]),
        "three": make_story(title="Big Crossover", fandoms=["Hadestown", "Greek Mythology", "Hercules (1997)"]),
    }


def test_excluding_crossovers_keeps_only_works_in_one_fandom(client, crossovers):
    assert found(search(client, fandoms="Hadestown", crossover="exclude")) == {crossovers["one"].pk}


def test_only_crossovers_finds_works_in_two_or_more_fandoms(client, crossovers):
    response = search(client, fandoms="Hadestown", crossover="only")

    assert found(response) == {crossovers["two"].pk, crossovers["three"].pk}


def test_two_names_for_the_same_fandom_are_not_a_crossover(client, wrangler):
    story = make_story(fandoms=["Marvel Cinematic Universe", "MCU"])
    synonym("MCU", of="Marvel Cinematic Universe", user=wrangler)

    assert found(search(client, fandoms="MCU", crossover="exclude")) == {story.pk}
    assert found(search(client, fandoms="MCU", crossover="only")) == set()


# sorting


@pytest.fixture
def three_works():
    """Three works whose order differs for every sort: a, b, c ascending by each measure."""
    a = make_story(title="Apple", fandoms=["Sorted"], body=words(300))
    b = make_story(title="Banana", fandoms=["Sorted"], body=words(100))
    c = make_story(title="Cherry", fandoms=["Sorted"], body=words(200))
    set_story(a, published_at=at("2024-01-02"), updated_at=at("2024-03-01"), comment_count=5)
    set_story(b, published_at=at("2024-01-03"), updated_at=at("2024-01-01"), comment_count=0)
    set_story(c, published_at=at("2024-01-01"), updated_at=at("2024-02-01"), comment_count=9)
    return {"Apple": a.pk, "Banana": b.pk, "Cherry": c.pk}


@pytest.mark.parametrize(
    ("sort", "ascending"),
    [
        ("updated", ["Banana", "Cherry", "Apple"]),
        ("posted", ["Cherry", "Apple", "Banana"]),
        ("words", ["Banana", "Cherry", "Apple"]),
        ("title", ["Apple", "Banana", "Cherry"]),
        ("comments", ["Banana", "Apple", "Cherry"]),
    ],
)
def test_every_sort_orders_results_both_ways(client, three_works, sort, ascending):
    in_order = [three_works[title] for title in ascending]

    assert listed(search(client, fandoms="Sorted", sort=sort, order="asc")) == in_order
    assert listed(search(client, fandoms="Sorted", sort=sort, order="desc")) == in_order[::-1]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("updated", ["Apple", "Cherry", "Banana"]),
        ("posted", ["Banana", "Apple", "Cherry"]),
        ("words", ["Apple", "Cherry", "Banana"]),
        ("comments", ["Cherry", "Apple", "Banana"]),
        ("title", ["Apple", "Banana", "Cherry"]),
    ],
)
def test_without_an_order_dates_and_counts_sort_biggest_first_and_titles_a_to_z(client, three_works, sort, expected):
    assert listed(search(client, fandoms="Sorted", sort=sort)) == [three_works[title] for title in expected]


def test_without_a_sort_results_are_newest_update_first(client, three_works):
    assert listed(search(client, fandoms="Sorted")) == [three_works[title] for title in ("Apple", "Cherry", "Banana")]
