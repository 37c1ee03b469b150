"""Every parameter of /works/search, one at a time: what each one finds and what it leaves out."""

from datetime import UTC, datetime

import pytest

from archive.accounts.tests.factories import UserFactory
from archive.core.tests.pages import found
from archive.core.tests.pages import listed_ids as listed
from archive.stories.choices import Category, Rating, Warning
from archive.stories.models import Story
from archive.stories.tests.factories import make_story
from archive.tags.models import Tag
from archive.wrangling import services as wrangling

pytestmark = pytest.mark.django_db


def search(client, **fields):
    return client.get("/works/search", fields)


def words(count: int) -> str:
    return " ".join(["word"] * count)


def set_story(story: Story, **fields) -> None:
    """Change columns readers can't set directly (dates, counters) without touching anything else."""
    Story.objects.filter(pk=story.pk).update(**fields)


def at(day: str, hour: int = 12) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


@pytest.fixture
def wrangler(db):
    return UserFactory(username="wrangler", is_staff=True)


def synonym(name: str, of: str, user) -> None:
    """Make the tag `name` a synonym of the tag `of`, making `of` canonical first."""
    canonical = wrangling.make_canonical(tag=Tag.objects.get(name=of), user=user)
    wrangling.make_synonym(tag=Tag.objects.get(name=name), of=canonical, user=user)


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


# title and author


def test_the_title_field_matches_title_words_in_any_order_and_case(client):
    match = make_story(title="The Lighthouse Keeper")
    make_story(title="The Keeper", summary="<p>Lighthouse</p>")

    assert found(search(client, title="keeper LIGHTHOUSE")) == {match.pk}


def test_the_title_field_matches_part_of_a_title_word(client):
    match = make_story(title="The Lighthouse Keeper")
    make_story(title="Harbour")

    assert found(search(client, title="light")) == {match.pk}


def test_the_author_field_finds_works_by_that_username_whatever_its_case(client):
    writer = UserFactory(username="MoonWriter")
    solo = make_story(author=writer, title="Solo")
    shared = make_story(title="Together")
    shared.authors.add(writer)
    make_story(title="Someone Else's")

    assert found(search(client, author="  moonwriter ")) == {solo.pk, shared.pk}


def test_the_author_field_needs_the_whole_username(client):
    make_story(author=UserFactory(username="moonwriter"))

    assert found(search(client, author="moon")) == set()


def test_the_author_field_finds_nothing_for_a_username_nobody_has(client):
    make_story(author=UserFactory(username="moonwriter"))

    response = search(client, author="nobody")

    assert response.status_code == 200
    assert found(response) == set()


# tags by kind


def test_a_relationship_typed_in_the_other_order_and_spacing_finds_the_same_works(client):
    match = make_story(relationships=["Hades/Persephone"])
    make_story(relationships=["Hades/Zeus"])

    assert found(search(client, relationships="Persephone / Hades")) == {match.pk}
    assert found(search(client, relationships="persephone/HADES")) == {match.pk}


def test_a_platonic_relationship_is_not_found_by_the_romantic_one(client):
    friends = make_story(relationships=["Hades & Persephone"])
    lovers = make_story(relationships=["Hades/Persephone"])

    assert found(search(client, relationships="Persephone & Hades")) == {friends.pk}
    assert found(search(client, relationships="Persephone/Hades")) == {lovers.pk}


@pytest.mark.parametrize(
    ("field", "kind", "canonical", "nickname"),
    [
        ("fandoms", "fandoms", "Marvel Cinematic Universe", "MCU"),
        ("characters", "characters", "Steve Rogers", "Cap"),
        ("relationships", "relationships", "Steve Rogers/Tony Stark", "Stony"),
        ("freeforms", "freeforms", "Alternate Universe - Coffee Shops & Cafés", "Coffee Shop AU"),
    ],
)
def test_a_tag_and_its_synonyms_find_the_same_works(client, wrangler, field, kind, canonical, nickname):
    by_canonical = make_story(title="Canonical", **{kind: [canonical]})
    by_nickname = make_story(title="Nickname", **{kind: [nickname]})
    make_story(title="Neither", fandoms=["Greek Mythology"])
    synonym(nickname, of=canonical, user=wrangler)

    assert found(search(client, **{field: canonical})) == {by_canonical.pk, by_nickname.pk}
    assert found(search(client, **{field: nickname})) == {by_canonical.pk, by_nickname.pk}


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


def test_best_match_ignores_the_order_and_keeps_the_best_first(client):
    in_summary = make_story(title="Elsewhere", summary="<p>lighthouse</p>")
    in_title = make_story(title="Lighthouse")

    for order in ("asc", "desc"):
        assert listed(search(client, q="lighthouse", sort="best", order=order)) == [in_title.pk, in_summary.pk]
