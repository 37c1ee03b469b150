"""A reader browsing by tag: a tag's works with its facet sidebar, its info page, and /fandoms."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from archive.accounts.tests.factories import UserFactory
from archive.core.tests.pages import listed_ids
from archive.stories.choices import Rating
from archive.stories.models import Story
from archive.stories.tests.factories import make_story
from archive.tags.models import Tag
from archive.wrangling import services as wrangling

pytestmark = pytest.mark.django_db

TWD = "The Walking Dead (TV)"
TWD_WORKS = "/tags/The%20Walking%20Dead%20(TV)/works"
CAROL = "Carol Peletier"
DARYL = "Daryl Dixon"
MICHONNE = "Michonne"
CARYL = "Carol Peletier/Daryl Dixon"


# Reading the page as a reader sees it.


def total_shown(response) -> int:
    """The "N works" (or "1–20 of N works") total above the list."""
    match = re.search(r'<p class="count">(?:[\d,–]+ of )?([\d,]+) works?</p>', response.content.decode())
    return int(match[1].replace(",", "")) if match else 0


def facets(response, kind: str) -> dict[str, int]:
    """One facet box of the sidebar: tag name -> count, top to bottom."""
    box = re.search(rf'<fieldset class="facet facet-{kind}">(.*?)</fieldset>', response.content.decode(), re.S)
    if box is None:
        return {}
    rows = re.findall(r'<th scope="row">(.*?) <span class="facet-count">\((\d+)\)</span></th>', box[1])
    return {html.unescape(name.replace("<wbr>", "")): int(count) for name, count in rows}  # <wbr>: where it may wrap


def rating_facets(response) -> dict[str, int]:
    box = re.search(
        r'<fieldset class="facet">\s*<legend>Ratings</legend>(.*?)</fieldset>', response.content.decode(), re.S
    )
    if box is None:
        return {}
    rows = re.findall(r'<th scope="row">(.*?) <span class="facet-count">\((\d+)\)</span></th>', box[1])
    return {html.unescape(name.replace("<wbr>", "")): int(count) for name, count in rows}  # <wbr>: where it may wrap


def checked(response, name: str) -> set[str]:
    """The values of the sidebar's ticked checkboxes called `name`."""
    return set(
        re.findall(rf'<input type="checkbox" name="{name}" value="([^"]+)"[^>]*\bchecked>', response.content.decode())
    )


def tag(name: str) -> Tag:
    return Tag.objects.get(name=name)


def wrangler():
    return UserFactory(username="wrangler", is_staff=True)


def synonym(name: str, of: str) -> None:
    user = wrangler()
    wrangling.make_canonical(tag=tag(of), user=user)
    wrangling.make_synonym(tag=tag(name), of=tag(of), user=user)


@pytest.fixture
def archive_of_23_works():
    """23 posted works in one fandom (more than a page), 2 drafts, and a work in another fandom.

    Ratings: 12 teen, 8 general, 3 mature. Characters: Carol on 15, Daryl on 10, Michonne on 4.
    The Carol/Daryl ship on 7 (whose characters are not plain tags of those works), Fluff on 5.
    """
    author = UserFactory(username="prolific")
    works = []
    for i in range(23):
        rating = Rating.TEEN if i < 12 else Rating.GENERAL if i < 20 else Rating.MATURE
        characters = [name for name, limit in ((CAROL, 15), (DARYL, 10)) if i < limit]
        if i >= 19:
            characters.append(MICHONNE)
        works.append(
            make_story(
                author=author,
                title=f"Work {i:02}",
                fandoms=[TWD],
                characters=characters,
                relationships=[CARYL] if 3 <= i < 10 else [],
                freeforms=["Fluff"] if i % 5 == 0 else [],
                rating=rating,
            )
        )
    for i in range(2):
        make_story(
            author=author,
            title=f"Draft {i}",
            fandoms=[TWD],
            characters=[CAROL, DARYL, MICHONNE],
            relationships=[CARYL],
            freeforms=["Fluff"],
            rating=Rating.EXPLICIT,
            post=False,
        )
    make_story(author=author, title="Elsewhere", fandoms=["Fear the Walking Dead"], characters=[CAROL])
    return works


# /tags/<tag>/works: which works


def test_a_tag_page_lists_the_posted_works_with_that_tag_and_no_others(client):
    carol_work = make_story(characters=[CAROL])
    make_story(characters=[DARYL])
    make_story(characters=[CAROL], post=False)

    response = client.get("/tags/Carol%20Peletier/works")

    assert response.status_code == 200
    assert listed_ids(response) == [carol_work.pk]


def test_a_canonical_tag_page_also_lists_the_works_tagged_with_its_synonyms(client):
    canonical_work = make_story(title="Canon", characters=[CAROL])
    synonym_work = make_story(title="Nickname", characters=["Carol"])
    synonym("Carol", of=CAROL)

    response = client.get("/tags/Carol%20Peletier/works")

    assert sorted(listed_ids(response)) == sorted([canonical_work.pk, synonym_work.pk])
    assert total_shown(response) == 2


def test_a_work_tagged_after_the_synonym_was_made_is_listed_on_the_canonical_page(client):
    make_story(characters=[CAROL])
    make_story(characters=["Carol"])
    synonym("Carol", of=CAROL)

    later = make_story(title="Later", characters=["carol"])

    assert later.pk in listed_ids(client.get("/tags/Carol%20Peletier/works"))


def test_a_work_tagged_with_a_tag_and_its_synonym_is_listed_once(client):
    make_story(characters=["Carol"])
    both = make_story(characters=[CAROL, "Carol"])
    synonym("Carol", of=CAROL)

    response = client.get("/tags/Carol%20Peletier/works")

    assert listed_ids(response).count(both.pk) == 1
    assert total_shown(response) == 2
    assert facets(response, "character") == {CAROL: 2}


def test_a_synonym_works_page_redirects_to_its_canonical_keeping_the_query_string(client):
    make_story(characters=[CAROL])
    make_story(characters=["Carol"])
    synonym("Carol", of=CAROL)

    response = client.get("/tags/carol/works?sort=title&order=asc&include=5&include=6&page=2")

    assert response.status_code == 302
    assert response.url == "/tags/Carol%20Peletier/works?sort=title&order=asc&include=5&include=6&page=2"


def test_a_synonym_works_page_without_a_query_redirects_to_the_bare_canonical_page(client):
    make_story(characters=[CAROL])
    make_story(characters=["Carol"])
    synonym("Carol", of=CAROL)

    response = client.get("/tags/Carol/works")

    assert response.status_code == 302
    assert response.url == "/tags/Carol%20Peletier/works"


def test_a_characters_page_with_ships_also_lists_works_where_the_character_is_only_in_a_ship(client):
    tagged = make_story(title="Tagged", characters=[CAROL])
    romance = make_story(title="Romance", relationships=["Carol Peletier/Daryl Dixon"])
    friendship = make_story(title="Friendship", relationships=["Daryl Dixon & Carol Peletier"])
    make_story(title="Other ship", relationships=["Daryl Dixon/Michonne"])

    without = client.get("/tags/Carol%20Peletier/works")
    with_ships = client.get("/tags/Carol%20Peletier/works?with_ships=on")

    assert listed_ids(without) == [tagged.pk]
    assert sorted(listed_ids(with_ships)) == sorted([tagged.pk, romance.pk, friendship.pk])
    assert 'name="with_ships"' in with_ships.content.decode()
    assert re.search(r'<input type="checkbox" name="with_ships"[^>]*checked', with_ships.content.decode())


def test_a_work_with_the_character_and_a_ship_with_them_is_listed_once_with_ships(client):
    both = make_story(characters=[CAROL], relationships=[CARYL])

    response = client.get("/tags/Carol%20Peletier/works?with_ships=on")

    assert listed_ids(response) == [both.pk]


def test_with_ships_is_offered_only_on_character_pages_and_ignored_elsewhere(client):
    story = make_story(characters=[CAROL], relationships=[CARYL], freeforms=["Fluff"])

    assert 'name="with_ships"' in client.get("/tags/Carol%20Peletier/works").content.decode()
    response = client.get("/tags/Fluff/works?with_ships=on")
    assert 'name="with_ships"' not in response.content.decode()
    assert listed_ids(response) == [story.pk]


def test_a_tag_page_shows_twenty_works_a_page_and_the_rest_on_the_next(client, archive_of_23_works):
    first = client.get(TWD_WORKS)
    second = client.get(TWD_WORKS + "?page=2")

    assert total_shown(first) == 23
    assert len(listed_ids(first)) == 20
    assert len(listed_ids(second)) == 3
    assert set(listed_ids(first)) | set(listed_ids(second)) == {work.pk for work in archive_of_23_works}


# The facet sidebar


def test_the_sidebar_counts_every_facet_over_the_whole_result_not_just_the_page(client, archive_of_23_works):
    response = client.get(TWD_WORKS)

    assert len(listed_ids(response)) == 20
    assert rating_facets(response) == {"Teen And Up Audiences": 12, "General Audiences": 8, "Mature": 3}
    assert facets(response, "fandom") == {TWD: 23}
    assert facets(response, "character") == {CAROL: 15, DARYL: 10, MICHONNE: 4}
    assert facets(response, "relationship") == {CARYL: 7}
    assert facets(response, "freeform") == {"Fluff": 5}


def test_drafts_are_neither_listed_nor_counted_in_the_facets_even_for_their_author(client, author, author_client):
    posted = make_story(characters=[CAROL], rating=Rating.GENERAL)
    make_story(author=author, characters=[CAROL, DARYL], freeforms=["Secret"], rating=Rating.EXPLICIT, post=False)

    for viewer in (client, author_client):
        response = viewer.get("/tags/Carol%20Peletier/works")
        assert listed_ids(response) == [posted.pk]
        assert facets(response, "character") == {CAROL: 1}
        assert facets(response, "freeform") == {}
        assert rating_facets(response) == {"General Audiences": 1}


def test_a_synonyms_works_are_counted_under_its_canonical_in_the_facets(client):
    make_story(fandoms=[TWD], characters=[CAROL])
    make_story(fandoms=["TWD"], characters=["Carol"])
    synonym("TWD", of=TWD)
    wrangling.make_canonical(tag=tag(CAROL), user=wrangler())
    wrangling.make_synonym(tag=tag("Carol"), of=tag(CAROL), user=wrangler())

    response = client.get(TWD_WORKS)

    assert total_shown(response) == 2
    assert facets(response, "fandom") == {TWD: 2}
    assert facets(response, "character") == {CAROL: 2}


def test_a_facet_box_shows_at_most_ten_tags_the_most_used_first(client):
    for i in range(12):
        make_story(freeforms=[f"Trope {n:02}" for n in range(i + 1)])

    shown = facets(client.get("/tags/Greek%20Mythology/works"), "freeform")

    assert list(shown.items()) == [(f"Trope {n:02}", 12 - n) for n in range(10)]


def test_including_a_character_narrows_the_list_and_its_box_stays_checked(client, archive_of_23_works):
    daryl = tag(DARYL)

    response = client.get(TWD_WORKS, {"include": daryl.pk})

    assert total_shown(response) == 10
    assert checked(response, "include") == {str(daryl.pk)}
    assert facets(response, "character") == {CAROL: 10, DARYL: 10}
    assert rating_facets(response) == {"Teen And Up Audiences": 10}


def test_including_two_tags_lists_only_works_with_both(client, archive_of_23_works):
    ids = [tag(CAROL).pk, tag("Fluff").pk]

    response = client.get(TWD_WORKS, {"include": ids})

    assert total_shown(response) == 3  # works 0, 5 and 10
    assert checked(response, "include") == {str(pk) for pk in ids}


def test_excluding_a_character_drops_its_works_and_its_box_stays_checked_with_a_zero(client, archive_of_23_works):
    daryl = tag(DARYL)

    response = client.get(TWD_WORKS, {"exclude": daryl.pk})

    assert total_shown(response) == 13
    assert checked(response, "exclude") == {str(daryl.pk)}
    assert facets(response, "character") == {CAROL: 5, MICHONNE: 4, DARYL: 0}
    assert all(DARYL not in html.unescape(card) for card in _cards(response))


def _cards(response) -> list[str]:
    return re.findall(
        r'<li class="story-card".*?</li>\s*(?=<li class="story-card"|</ol>)', response.content.decode(), re.S
    )


def test_including_one_tag_and_excluding_another_combine(client, archive_of_23_works):
    response = client.get(TWD_WORKS, {"include": tag(CAROL).pk, "exclude": tag(DARYL).pk})

    assert total_shown(response) == 5


def test_including_a_rating_narrows_the_list_and_its_box_stays_checked(client, archive_of_23_works):
    response = client.get(TWD_WORKS, {"rating": [Rating.MATURE, Rating.GENERAL]})

    assert total_shown(response) == 11
    assert checked(response, "rating") == {Rating.MATURE, Rating.GENERAL}
    assert rating_facets(response) == {"General Audiences": 8, "Mature": 3}


def test_excluding_a_rating_drops_its_works(client, archive_of_23_works):
    response = client.get(TWD_WORKS, {"exclude_rating": Rating.TEEN})

    assert total_shown(response) == 11
    # The excluded rating stays in the sidebar (with no works) so its box stays ticked.
    assert rating_facets(response) == {"General Audiences": 8, "Mature": 3, "Teen And Up Audiences": 0}


def test_an_excluded_rating_keeps_its_ticked_box_in_the_sidebar(client, archive_of_23_works):
    response = client.get(TWD_WORKS, {"exclude_rating": Rating.TEEN})

    assert checked(response, "exclude_rating") == {Rating.TEEN}


def test_an_included_rating_that_matches_nothing_keeps_its_ticked_box(client, archive_of_23_works):
    response = client.get(TWD_WORKS, {"rating": Rating.EXPLICIT})

    assert total_shown(response) == 0
    assert checked(response, "rating") == {Rating.EXPLICIT}


def test_including_the_canonical_id_also_matches_works_tagged_with_its_synonym(client):
    make_story(characters=[CAROL, DARYL])
    make_story(characters=["Carol", DARYL])
    make_story(characters=[DARYL])
    synonym("Carol", of=CAROL)

    response = client.get("/tags/Daryl%20Dixon/works", {"include": tag(CAROL).pk})

    assert total_shown(response) == 2


def test_an_unbound_sidebar_has_no_box_checked(client, archive_of_23_works):
    response = client.get(TWD_WORKS)

    for name in ("include", "exclude", "rating", "exclude_rating"):
        assert checked(response, name) == set()


# Sorting


@pytest.fixture
def three_works():
    """Three works whose order differs for every sort key."""
    alpha = make_story(title="Alpha", characters=[CAROL], body=" ".join(["word"] * 300))
    bravo = make_story(title="Bravo", characters=[CAROL], body=" ".join(["word"] * 100))
    charlie = make_story(title="Charlie", characters=[CAROL], body=" ".join(["word"] * 200))
    now = timezone.now()
    days = timezone.timedelta(days=1)
    for story, posted, updated, comments in [
        (alpha, now - 30 * days, now - 2 * days, 0),
        (bravo, now - 20 * days, now - 1 * days, 9),
        (charlie, now - 10 * days, now - 3 * days, 4),
    ]:
        Story.objects.filter(pk=story.pk).update(published_at=posted, updated_at=updated, comment_count=comments)
    return {"Alpha": alpha.pk, "Bravo": bravo.pk, "Charlie": charlie.pk}


@pytest.mark.parametrize(
    ("sort", "descending"),
    [
        ("updated", ["Bravo", "Alpha", "Charlie"]),
        ("posted", ["Charlie", "Bravo", "Alpha"]),
        ("words", ["Alpha", "Charlie", "Bravo"]),
        ("comments", ["Bravo", "Charlie", "Alpha"]),
        pytest.param("title", ["Charlie", "Bravo", "Alpha"]),
    ],
)
@pytest.mark.parametrize("order", ["desc", "asc"])
def test_works_sort_by_each_key_in_either_direction(client, three_works, sort, descending, order):
    expected = descending if order == "desc" else descending[::-1]

    response = client.get("/tags/Carol%20Peletier/works", {"sort": sort, "order": order})

    assert listed_ids(response) == [three_works[title] for title in expected]
    assert re.search(rf'<option value="{sort}" selected>', response.content.decode())


def test_works_are_most_recently_updated_first_by_default(client, three_works):
    response = client.get("/tags/Carol%20Peletier/works")

    assert listed_ids(response) == [three_works[title] for title in ("Bravo", "Alpha", "Charlie")]


def test_sorting_by_title_without_an_order_lists_a_to_z(client, three_works):
    response = client.get("/tags/Carol%20Peletier/works", {"sort": "title"})

    assert listed_ids(response) == [three_works[title] for title in ("Alpha", "Bravo", "Charlie")]


def test_sorting_keeps_the_filters(client, archive_of_23_works):
    response = client.get(TWD_WORKS, {"sort": "title", "include": tag(DARYL).pk, "rating": Rating.TEEN})

    assert total_shown(response) == 10
    assert checked(response, "include") == {str(tag(DARYL).pk)}


# Parameters no form would send


@pytest.mark.parametrize(
    "query",
    [
        "sort=bogus",
        "order=sideways",
        "sort=title&order=",
        "include=abc",
        "include=",
        "include=-4",
        "include=0",
        "include=1.5",
        "include=99999999999999999999999999",
        "include=4611686018427387903",
        "exclude=9223372036854775807",
        "exclude=abc&exclude=12",
        "rating=bogus",
        "exclude_rating=%00",
        "with_ships=maybe",
        "page=999999",
        "page=abc",
        "page=-1",
        "page=0",
        "page=1e9",
        "include=%F0%9F%92%A9",
        "sort=title&sort=words&order=asc&order=desc",
    ],
)
def test_bad_parameters_never_break_a_tag_page(client, query):
    story = make_story(characters=[CAROL])

    response = client.get(f"/tags/Carol%20Peletier/works?{query}")

    assert response.status_code == 200
    assert "Works tagged" in response.content.decode()
    if query == "page=999999":
        assert listed_ids(response) == []
        assert "There is no page 999999" in response.content.decode()
    elif "include" not in query and "rating=bogus" not in query:
        assert listed_ids(response) == [story.pk]


def test_a_bogus_sort_falls_back_to_most_recently_updated(client, three_works):
    response = client.get("/tags/Carol%20Peletier/works", {"sort": "bogus"})

    assert listed_ids(response) == [three_works[title] for title in ("Bravo", "Alpha", "Charlie")]


def test_non_numeric_include_ids_are_ignored_while_the_good_ones_apply(client, archive_of_23_works):
    response = client.get(TWD_WORKS, {"include": ["abc", tag(DARYL).pk]})

    assert total_shown(response) == 10


def test_a_page_past_the_end_is_empty_and_links_to_the_last_page(client, archive_of_23_works):
    response = client.get(TWD_WORKS, {"page": 999999})

    assert response.status_code == 200
    assert listed_ids(response) == []
    assert "the results end on page 2" in response.content.decode()
    assert "page=2" in response.content.decode()


def test_an_unknown_tag_has_no_works_page_and_no_info_page(client):
    assert client.get("/tags/Nobody/works").status_code == 404
    assert client.get("/tags/Nobody").status_code == 404


# The info page /tags/<tag>


def test_the_info_page_shows_a_tags_kind_status_and_work_count(client):
    make_story(freeforms=["Slow Burn"])
    make_story(freeforms=["Slow Burn"])
    make_story(freeforms=["Slow Burn"], post=False)

    page = client.get("/tags/Slow%20Burn").content.decode()

    assert "<h1>Slow Burn</h1>" in page
    assert "<dt>Kind</dt><dd>Additional tag</dd>" in page
    assert "Not yet sorted by the archive's tag wranglers" in page
    assert '<a href="/tags/Slow%20Burn/works">2 posted works</a>' in page


def test_the_info_page_of_a_canonical_tag_says_so_and_lists_its_synonyms(client):
    make_story(characters=[CAROL])
    make_story(characters=["Carol", "Mrs. Peletier"])
    user = wrangler()
    wrangling.make_canonical(tag=tag(CAROL), user=user)
    wrangling.make_synonym(tag=tag("Carol"), of=tag(CAROL), user=user)
    wrangling.make_synonym(tag=tag("Mrs. Peletier"), of=tag(CAROL), user=user)

    page = client.get("/tags/Carol%20Peletier").content.decode()

    assert "Canonical: works tagged with its synonyms are listed with it." in page
    assert "<h2>Synonyms</h2>" in page
    assert "<li>Carol</li>" in page and "<li>Mrs. Peletier</li>" in page
    assert '<a href="/tags/Carol%20Peletier/works">2 posted works</a>' in page


def test_the_info_page_of_a_synonym_redirects_to_its_canonical(client):
    make_story(characters=[CAROL])
    make_story(characters=["Carol"])
    synonym("Carol", of=CAROL)

    response = client.get("/tags/carol")

    assert response.status_code == 302
    assert response.url == "/tags/Carol%20Peletier"


def test_the_info_page_of_a_character_shows_its_fandoms_and_its_relationships(client):
    make_story(fandoms=[TWD], characters=[CAROL], relationships=[CARYL, "Carol Peletier & Michonne"])
    make_story(fandoms=[TWD], relationships=[CARYL])
    wrangling.set_fandoms(tag=tag(CAROL), fandoms=[tag(TWD)], user=wrangler())

    page = client.get("/tags/Carol%20Peletier").content.decode()

    assert "<dt>Kind</dt><dd>Character</dd>" in page
    assert "<h2>Fandoms</h2>" in page
    assert f'<a class="tag" href="{TWD_WORKS}">{TWD}</a>' in page
    assert "Relationships with this character" in page
    ships = re.search(r"Relationships with this character</h2>(.*?)</section>", page, re.S)[1]
    assert re.findall(r'<a class="tag" href="[^"]+">([^<]+)</a>', ships) == [CARYL, "Carol Peletier &amp; Michonne"]


def test_the_info_page_of_a_relationship_shows_its_ship_kind_and_characters(client):
    make_story(relationships=["Carol Peletier & Daryl Dixon"])

    page = client.get("/tags/Carol%20Peletier%20*a*%20Daryl%20Dixon").content.decode()

    assert "<dt>Kind</dt><dd>Relationship (platonic)</dd>" in page
    chars = re.search(r"Characters in this relationship</h2>(.*?)</section>", page, re.S)[1]
    assert set(re.findall(r'<a class="tag" href="[^"]+">([^<]+)</a>', chars)) == {CAROL, DARYL}


def test_the_info_page_of_a_fandom_lists_its_characters_and_relationships_most_used_first(client):
    make_story(fandoms=[TWD], characters=[CAROL, DARYL], relationships=[CARYL])
    make_story(fandoms=[TWD], characters=[DARYL])
    user = wrangler()
    for name in (CAROL, DARYL, CARYL):
        wrangling.set_fandoms(tag=tag(name), fandoms=[tag(TWD)], user=user)

    page = client.get("/tags/The%20Walking%20Dead%20(TV)").content.decode()

    characters = re.search(r"<h2>Characters</h2>(.*?)</section>", page, re.S)[1]
    assert re.findall(r">([^<>]+)</a> <span class=\"facet-count\">\((\d+)\)", characters) == [
        (DARYL, "2"),
        (CAROL, "1"),
    ]
    assert CARYL in re.search(r"<h2>Relationships</h2>(.*?)</section>", page, re.S)[1]


# /fandoms


def test_fandoms_are_listed_alphabetically_with_their_work_counts_and_links(client):
    make_story(fandoms=["the Walking Dead"])
    make_story(fandoms=["Avatar: The Last Airbender", "the Walking Dead"])
    make_story(fandoms=["Batman"])
    make_story(fandoms=["Unposted Fandom"], post=False)

    response = client.get("/fandoms")

    page = response.content.decode()
    assert response.status_code == 200
    listed = re.findall(r'<a class="tag" href="([^"]+)">([^<]+)</a> <span class="facet-count">\((\d+)\)', page)
    assert listed == [
        ("/tags/Avatar:%20The%20Last%20Airbender/works", "Avatar: The Last Airbender", "1"),
        ("/tags/Batman/works", "Batman", "1"),
        ("/tags/the%20Walking%20Dead/works", "the Walking Dead", "2"),
    ]
    assert "Unposted Fandom" not in page


def test_fandoms_have_a_letter_index_and_a_letter_shows_only_its_fandoms(client):
    make_story(fandoms=["Avatar", "Batman", "Bleach", "the Walking Dead"])

    page = client.get("/fandoms").content.decode()
    index = re.search(r'<nav class="letter-index".*?</nav>', page, re.S)[0]
    assert re.findall(r'<a href="\?letter=(\w)"', index) == ["A", "B", "T"]
    assert re.findall(r'<h2 id="letter-\d+">(\w)</h2>', page) == ["A", "B", "T"]

    only_b = client.get("/fandoms?letter=b").content.decode()
    assert re.findall(r'<a class="tag" href="[^"]+">([^<]+)</a> <span', only_b) == ["Batman", "Bleach"]
    assert re.search(r'<a href="\?letter=B" aria-current="page">', only_b)


def test_a_synonym_fandom_is_not_listed_and_its_works_count_under_its_canonical(client):
    make_story(fandoms=[TWD])
    make_story(fandoms=["TWD"])
    synonym("TWD", of=TWD)

    page = client.get("/fandoms").content.decode()

    assert re.findall(r'<a class="tag" href="[^"]+">([^<]+)</a> <span class="facet-count">\((\d+)\)', page) == [
        (TWD, "2")
    ]


def test_each_fandom_links_its_most_used_characters_and_relationships(client):
    for characters, ships in [
        ([CAROL, DARYL, MICHONNE, "Rick Grimes"], [CARYL]),
        ([DARYL, MICHONNE, "Rick Grimes"], ["Michonne/Rick Grimes"]),
        ([DARYL, "Rick Grimes"], []),
    ]:
        make_story(fandoms=[TWD], characters=characters, relationships=ships)
    user = wrangler()
    for name in (CAROL, DARYL, MICHONNE, "Rick Grimes", CARYL, "Michonne/Rick Grimes"):
        wrangling.set_fandoms(tag=tag(name), fandoms=[tag(TWD)], user=user)

    page = client.get("/fandoms").content.decode()

    top = re.search(r'<p class="fandom-top">(.*?)</p>', page, re.S)[1]
    links = re.findall(r'<a class="tag(?: relationship)?" href="([^"]+)">([^<]+)</a>', top)
    assert links == [
        ("/tags/Carol%20Peletier*s*Daryl%20Dixon/works", CARYL),
        ("/tags/Michonne*s*Rick%20Grimes/works", "Michonne/Rick Grimes"),
        ("/tags/Daryl%20Dixon/works", DARYL),
        ("/tags/Rick%20Grimes/works", "Rick Grimes"),
        ("/tags/Michonne/works", MICHONNE),
    ]
    assert '<a href="/tags/The%20Walking%20Dead%20(TV)">more</a>' in top


def test_fandoms_page_without_any_posted_work_says_so(client):
    make_story(fandoms=[TWD], post=False)

    assert "No fandoms have posted works yet." in client.get("/fandoms").content.decode()


# Query counts stay flat


def _query_count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_a_tag_page_makes_the_same_number_of_queries_for_few_and_many_works(client, django_assert_max_num_queries):
    author = UserFactory()
    for i in range(2):
        make_story(author=author, fandoms=[TWD], characters=[CAROL], freeforms=[f"Few {i}"])
    url = TWD_WORKS + f"?include={tag(CAROL).pk}&sort=words"
    few = _query_count(client, url)

    for i in range(25):
        make_story(
            author=UserFactory(),
            fandoms=[TWD, f"Crossover {i}"],
            characters=[CAROL, f"Extra {i}"],
            relationships=[f"Carol Peletier/Extra {i}"],
            freeforms=[f"Many {i}", "Angst"],
            rating=Rating.MATURE if i % 2 else Rating.TEEN,
        )

    with django_assert_max_num_queries(few):
        assert client.get(url).status_code == 200


def test_the_fandoms_page_makes_the_same_number_of_queries_for_few_and_many_fandoms(
    client, django_assert_max_num_queries
):
    make_story(fandoms=["Avatar"], characters=["Aang"])
    wrangling.set_fandoms(tag=tag("Aang"), fandoms=[tag("Avatar")], user=wrangler())
    few = _query_count(client, "/fandoms")

    names = [f"{letter} Fandom {i}" for letter in "BCDEFGHIJK" for i in range(3)]
    make_story(fandoms=names, characters=[f"Hero of {name}" for name in names], relationships=["Hero/Villain"])
    user = UserFactory(is_staff=True)
    for name in names:
        wrangling.set_fandoms(tag=tag(f"Hero of {name}"), fandoms=[tag(name)], user=user)

    with django_assert_max_num_queries(few):
        assert client.get("/fandoms").status_code == 200
    assert len(re.findall(r'<p class="fandom-top">', client.get("/fandoms").content.decode())) == 31
