"""What the search shows and to whom: no drafts anywhere, URLs that can be shared and paged,
parameters that can't break the page, and a query count that stays flat."""

import re
from html import unescape
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive.core.tests.pages import found
from archive.core.tests.pages import listed_ids as listed
from archive.stories.choices import Category, Rating, Warning
from archive.stories.tests.factories import make_story
from archive.tags.models import Tag

pytestmark = pytest.mark.django_db


def search(client, **fields):
    return client.get("/works/search", fields)


def text(response) -> str:
    return unescape(response.content.decode())


def field_error(response, name: str) -> str:
    """The error shown under one field of the search form ("" when none)."""
    match = re.search(rf'<ul class="errorlist" id="id_{name}_error">(.*?)</ul>', response.content.decode(), re.S)
    return unescape(re.sub(r"<[^>]+>", " ", match[1])).strip() if match else ""


def sidebar(response) -> str:
    match = re.search(r'<form method="get" class="filters".*?</form>', response.content.decode(), re.S)
    return match[0] if match else ""


class _FormReader(HTMLParser):
    """The name/value pairs a browser would submit for the first form with this class."""

    def __init__(self, form_class: str):
        super().__init__()
        self.form_class = form_class
        self.inside = self.done = False
        self.pairs: list[tuple[str, str]] = []
        self.select: str | None = None
        self.options: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        attrs = {key: value or "" for key, value in attrs}
        if tag == "form" and not self.done and self.form_class in attrs.get("class", "").split():
            self.inside = True
        if not self.inside:
            return
        if tag == "input" and "name" in attrs:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.pairs.append((attrs["name"], attrs.get("value", "on")))
            elif kind not in ("submit", "button"):
                self.pairs.append((attrs["name"], attrs.get("value", "")))
        elif tag == "select":
            self.select, self.options = attrs.get("name"), []
        elif tag == "option" and self.select:
            self.options.append((attrs.get("value", ""), "selected" in attrs))

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside, self.done = False, True
        elif tag == "select" and self.select:
            chosen = [value for value, selected in self.options if selected] or [self.options[0][0]]
            self.pairs.append((self.select, chosen[0]))
            self.select = None


def form_values(response, form_class: str) -> list[tuple[str, str]]:
    reader = _FormReader(form_class)
    reader.feed(response.content.decode())
    return reader.pairs


def as_list(value) -> list[str]:
    return [str(item) for item in value] if isinstance(value, list) else [str(value)]


def filled(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Submitted pairs as a query string would read them, leaving out blank fields."""
    values: dict[str, list[str]] = {}
    for name, value in pairs:
        if value:
            values.setdefault(name, []).append(value)
    return values


# drafts


FILTER_SETS = [
    {"characters": "Hades"},
    {"characters": "Hades", "character_mode": "ships"},
    {"characters": "Persephone", "character_mode": "romantic"},
    {"relationships": "Persephone/Hades"},
    {"q": "underworld"},
    {"q": "underworld", "sort": "best"},
    {"q": "under*"},
    {"title": "Underworld"},
    {"author": "author"},
    {"excluded": "Zeus"},
    {"rating": "teen"},
    {"warnings": Warning.VIOLENCE},
    {"categories": Category.FM},
    {"complete": "wip"},
    {"words_from": "1"},
    {"language": "en"},
    {"crossover": "exclude"},
    {"fandoms": "Greek Mythology", "sort": "title", "order": "asc"},
]


@pytest.fixture
def posted_and_draft(author):
    shared = {
        "author": author,
        "title": "Underworld",
        "summary": "<p>Down in the underworld.</p>",
        "characters": ["Hades"],
        "relationships": ["Hades/Persephone"],
        "rating": Rating.TEEN,
        "warnings": Warning.VIOLENCE,
        "categories": Category.FM,
        "expected_chapters": 3,
    }
    posted = make_story(**shared)
    make_story(**{**shared, "freeforms": ["Secret Draft Trope"], "rating": Rating.TEEN}, post=False)
    make_story(author=author, title="Underworld Drafted", rating=Rating.EXPLICIT, freeforms=["Hidden"], post=False)
    return posted


@pytest.mark.parametrize("fields", FILTER_SETS, ids=lambda fields: "&".join(f"{k}={v}" for k, v in fields.items()))
def test_drafts_appear_in_no_result_count_or_facet_count_whatever_the_filters(
    client, author_client, posted_and_draft, fields
):
    for viewer in (client, author_client):
        response = search(viewer, **fields)

        assert found(response) == {posted_and_draft.pk}
        content = text(response)
        assert "1 work<" in content
        assert "Drafted" not in content
        facets = unescape(sidebar(response))
        assert "Secret Draft Trope" not in facets
        assert "Hidden" not in facets
        assert "Explicit" not in facets
        assert re.findall(r'<span class="facet-count">\((\d+)\)</span>', facets)
        assert set(re.findall(r'<span class="facet-count">\((\d+)\)</span>', facets)) == {"1"}


def test_a_tag_used_only_on_drafts_is_no_facet_even_when_included_by_id(client, author):
    posted = make_story(author=author, characters=["Hades"])
    make_story(author=author, characters=["Hades"], freeforms=["Draft Only"], post=False)
    draft_only = Tag.objects.get(name="Draft Only")

    response = client.get(f"/works/search?characters=Hades&exclude={draft_only.pk}")

    assert found(response) == {posted.pk}
    assert "(1)" in sidebar(response)
    assert "Draft Only (" not in unescape(sidebar(response))


# shareable URLs


SHARED_SEARCH = {
    "q": "underworld",
    "title": "Underworld",
    "author": "author",
    "fandoms": "Greek Mythology",
    "characters": "Hades",
    "character_mode": "ships",
    "relationships": "Hades/Persephone",
    "single_relationship": "on",
    "excluded": "Zeus",
    "rating": ["teen", "general"],
    "warnings": [str(Warning.VIOLENCE)],
    "categories": [str(Category.FM)],
    "complete": "wip",
    "words_from": "1",
    "words_to": "5000",
    "updated_from": "2000-01-01",
    "updated_to": "2999-12-31",
    "language": "en",
    "crossover": "exclude",
    "sort": "words",
    "order": "asc",
}


def test_a_search_url_shows_the_same_results_to_every_reader_and_refills_every_field(
    client, reader_client, author_client, posted_and_draft
):
    make_story(title="Underworld Elsewhere", characters=["Hades", "Zeus"])
    url = "/works/search?" + urlencode(SHARED_SEARCH, doseq=True)

    responses = [viewer.get(url) for viewer in (client, reader_client, author_client)]

    for response in responses:
        assert response.status_code == 200
        assert found(response) == {posted_and_draft.pk}
        refilled = {name: sorted(values) for name, values in filled(form_values(response, "search-form")).items()}
        assert refilled == {name: sorted(as_list(value)) for name, value in SHARED_SEARCH.items()}


def test_the_page_title_names_the_words_searched_for(client):
    response = search(client, q="underworld")

    assert "<title>underworld · Search works" in response.content.decode()


def test_submitting_the_sidebar_keeps_the_search_and_adds_the_facet(client):
    fluffy = make_story(title="Fluffy Underworld", characters=["Hades"], freeforms=["Fluff"])
    make_story(title="Angsty Underworld", characters=["Hades"], freeforms=["Angst"])
    make_story(title="Fluffy Olympus", characters=["Zeus"], freeforms=["Fluff"])
    make_story(title="Fluffy Elsewhere", characters=["Hades"], freeforms=["Fluff"])
    first = search(client, q="underworld", characters="Hades", character_mode="ships", rating="general")
    fluff = Tag.objects.get(name="Fluff")
    assert f'name="include" value="{fluff.pk}"' in sidebar(first)

    submitted = [*form_values(first, "filters"), ("include", str(fluff.pk))]
    second = client.get("/works/search?" + urlencode(submitted))

    assert found(second) == {fluffy.pk}
    carried = filled(submitted)
    assert carried["q"] == ["underworld"]
    assert carried["characters"] == ["Hades"]
    assert carried["character_mode"] == ["ships"]
    # The main form shows the search that is still in force.
    assert 'value="underworld"' in second.content.decode()
    assert re.search(rf'name="include" value="{fluff.pk}"[^>]*checked', sidebar(second))


def test_submitting_the_sidebar_unchanged_keeps_the_order_of_the_results(client):
    in_title = make_story(title="Underworld")
    in_summary = make_story(title="Elsewhere", summary="<p>Back to the underworld.</p>")
    first = search(client, q="underworld")
    assert listed(first) == [in_title.pk, in_summary.pk]  # a text search sorts by best match

    again = client.get("/works/search?" + urlencode(form_values(first, "filters")))

    assert listed(again) == listed(first)


def test_every_id_on_the_results_page_is_unique(client):
    make_story(characters=["Hades"])

    ids = re.findall(r'\sid="([^"]+)"', search(client, characters="Hades").content.decode())

    assert sorted({name for name in ids if ids.count(name) > 1}) == []


def test_the_sidebar_carries_a_repeated_parameter_once_per_value(client):
    make_story(characters=["Hades"], rating=Rating.TEEN)

    response = search(client, characters="Hades", warnings=[Warning.VIOLENCE, Warning.NONE_APPLY])

    hidden = [pair for pair in form_values(response, "filters") if pair[0] == "warnings"]
    assert sorted(hidden) == [("warnings", str(Warning.VIOLENCE)), ("warnings", str(Warning.NONE_APPLY))]


def test_the_sidebar_does_not_carry_the_page_so_a_new_filter_starts_at_page_one(client):
    for _ in range(21):
        make_story(characters=["Hades"])

    response = search(client, characters="Hades", page="2")

    assert "page" not in dict(form_values(response, "filters"))


def test_pagination_links_keep_every_parameter_of_the_search(client, author):
    for number in range(22):
        make_story(
            author=author,
            title=f"Underworld {number}",
            characters=["Hades"],
            relationships=["Hades/Persephone"],
            rating=Rating.TEEN if number % 2 else Rating.GENERAL,
            warnings=Warning.VIOLENCE,
            categories=Category.FM,
            expected_chapters=3,
        )
    params = {name: value for name, value in SHARED_SEARCH.items() if name != "single_relationship"}
    first = client.get("/works/search?" + urlencode(params, doseq=True))
    assert len(found(first)) == 20

    next_href = unescape(re.search(r'<a rel="next" href="([^"]*)"', first.content.decode())[1])
    second = client.get("/works/search" + next_href)

    query = parse_qs(urlsplit(next_href).query)
    assert query.pop("page") == ["2"]
    assert query == {name: as_list(value) for name, value in params.items()}
    assert len(found(second)) == 2
    assert found(first).isdisjoint(found(second))
    previous_href = unescape(re.search(r'<a rel="prev" href="([^"]*)"', second.content.decode())[1])
    assert parse_qs(urlsplit(previous_href).query) == {**query, "page": ["1"]}


# bad parameters


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"words_from": "abc"}, "words_from", "Enter a whole number."),
        ({"words_from": "-5"}, "words_from", "greater than or equal to 0"),
        ({"words_from": "500", "words_to": "100"}, "words_to", "“Words to” must not be less than “Words from”."),
        ({"updated_from": "not-a-date"}, "updated_from", "Enter a valid date."),
        (
            {"updated_from": "2024-03-02", "updated_to": "2024-03-01"},
            "updated_to",
            "“Updated to” must not be before “Updated from”.",
        ),
        ({"sort": "unknown"}, "sort", "Select a valid choice."),
        ({"order": "sideways"}, "order", "Select a valid choice."),
        ({"rating": "bogus"}, "rating", "Select a valid choice."),
        ({"warnings": "999"}, "warnings", "Select a valid choice."),
        ({"categories": "x"}, "categories", "Select a valid choice."),
        ({"character_mode": "bogus"}, "character_mode", "Select a valid choice."),
        ({"language": "xx"}, "language", "Select a valid choice."),
        ({"crossover": "bogus"}, "crossover", "Select a valid choice."),
        ({"complete": "maybe"}, "complete", "Select a valid choice."),
        ({"q": "x" * 1000}, "q", "at most 200 characters"),
    ],
)
def test_a_bad_parameter_is_named_next_to_its_field(client, fields, field, message):
    make_story(characters=["Hades"])

    response = search(client, characters="Hades", **fields)

    assert response.status_code == 200
    assert message in field_error(response, field)
    assert '<div class="form-errors" role="alert">' in response.content.decode()


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"character_mode": "bogus"}, "tagged"),
        ({"sort": "unknown"}, "newest first"),
        ({"order": "sideways"}, "newest first"),
        ({"language": "xx"}, "any language"),
        ({"crossover": "bogus"}, "crossovers included"),
        ({"include": "abc"}, "nothing more"),
    ],
)
def test_a_bad_parameter_falls_back_to_its_default_for_the_rest_of_the_search(client, fields, expected):
    older = make_story(title="Older", characters=["Hades"], language="fr", fandoms=["Hadestown", "Greek Mythology"])
    newer = make_story(title="Newer", characters=["Hades"], relationships=["Hades/Persephone"])
    make_story(title="Shipped Only", relationships=["Hades/Zeus"])

    response = search(client, characters="Hades", **fields)

    assert response.status_code == 200
    assert listed(response) == [newer.pk, older.pk], expected


@pytest.mark.parametrize("page", ["-1", "0", "abc", "1.5", "²"])
def test_a_malformed_page_number_shows_the_first_page(client, page):
    for _ in range(21):
        make_story(characters=["Hades"])

    response = search(client, characters="Hades", page=page)

    assert response.status_code == 200
    assert len(found(response)) == 20
    assert "Page 1 of 2" in response.content.decode()


@pytest.mark.parametrize("page", ["999999", "99999999999999999999"])
def test_a_page_past_the_end_never_fails_and_shows_a_page_or_says_where_results_end(client, page):
    for _ in range(21):
        make_story(characters=["Hades"])

    response = search(client, characters="Hades", page=page)

    assert response.status_code == 200
    content = text(response)
    shows_a_page = bool(found(response)) and re.search(r"Page \d of 2", content)
    says_where = not found(response) and "the results end on page 2" in content and "Go to the last page" in content
    assert shows_a_page or says_where


@pytest.mark.parametrize("fields", [{"words_from": "abc"}, {"rating": "bogus"}, {"include": "abc"}, {"sort": "nope"}])
def test_a_bad_parameter_alone_lists_no_works(client, fields):
    make_story(characters=["Hades"])

    response = search(client, **fields)

    assert response.status_code == 200
    assert found(response) == set()


@pytest.mark.parametrize("q", ["!!!", '"', "*", '""', "* * *", "-", ":*"])
def test_a_search_of_only_punctuation_never_fails(client, q):
    make_story(title="Underworld")

    assert search(client, q=q).status_code == 200


@pytest.mark.parametrize("q", ["!!!", '"', "*"])
def test_a_search_of_only_punctuation_sorted_by_best_match_never_fails(client, q):
    make_story(title="Underworld")

    assert search(client, q=q, sort="best").status_code == 200


@pytest.mark.parametrize("q", ["!!!", '"', "*"])
def test_a_search_of_only_punctuation_gives_a_message_or_no_works(client, q):
    make_story(title="Underworld")

    response = search(client, q=q)

    assert found(response) == set() or field_error(response, "q")


def test_a_very_long_search_is_refused_with_a_message_and_never_fails(client):
    make_story(title="Underworld")

    response = search(client, q=("underworld " * 100).strip())

    assert response.status_code == 200
    assert "at most 200 characters" in field_error(response, "q")


@pytest.mark.parametrize(
    "q",
    [
        "a & b | !c :* <->",
        "a:* & (b | c)",
        "'a' \\ b c",
        "a <-> b <-> c",
        '"a & b" !c',
        "a* b* c*",
        "!(a) c",
    ],
)
def test_search_syntax_characters_are_plain_words_and_never_break_the_query(client, q):
    match = make_story(title="Letters", summary="<p>a b c</p>")
    make_story(title="Others", summary="<p>a b</p>")

    response = search(client, q=q)

    assert response.status_code == 200
    assert found(response) == {match.pk}


@pytest.mark.parametrize("title", ["!!!", "%", "_", "\\"])
def test_a_title_search_of_punctuation_never_fails(client, title):
    make_story(title="100% Underworld")

    assert search(client, title=title, characters="Nobody").status_code == 200


@pytest.mark.parametrize("value", [str(2**63), "-1", "0", "1e3", ""])
def test_an_include_or_exclude_id_that_is_out_of_range_never_fails(client, value):
    story = make_story(characters=["Hades"])

    for name in ("include", "exclude"):
        response = search(client, characters="Hades", **{name: value})
        assert response.status_code == 200
        assert found(response) == {story.pk}


# query count


def full_search(author, include: Tag, exclude: Tag) -> dict:
    return {
        "q": "underworld",
        "title": "Underworld",
        "author": author.username,
        "fandoms": "Greek Mythology",
        "characters": "Hades, Persephone",
        "character_mode": "ships",
        "relationships": "Persephone/Hades",
        "single_relationship": "on",
        "freeforms": "Slow Burn",
        "excluded": "Angst, Zeus",
        "rating": ["teen", "general"],
        "exclude_rating": "explicit",
        "warnings": [Warning.VIOLENCE],
        "categories": [Category.FM],
        "complete": "complete",
        "single_chapter": "on",
        "words_from": "1",
        "words_to": "10000",
        "updated_from": "2000-01-01",
        "updated_to": "2999-12-31",
        "language": "en",
        "crossover": "exclude",
        "sort": "best",
        "order": "desc",
        "include": [include.pk],
        "exclude": [exclude.pk],
    }


def busy_story(author, number: int):
    return make_story(
        author=author,
        title=f"Underworld {number}",
        summary="<p>Down in the underworld.</p>",
        characters=["Hades", f"Shade {number}"],
        relationships=["Hades/Persephone"],
        freeforms=["Slow Burn", f"Trope {number}"],
        rating=Rating.TEEN,
        warnings=Warning.VIOLENCE,
        categories=Category.FM,
        expected_chapters=1,
    )


@pytest.mark.usefixtures("page_cache_off")  # measures rendering, not the shared page cache
def test_the_search_page_uses_as_many_queries_with_every_filter_and_many_results_as_the_simplest_search(
    client, author, django_assert_max_num_queries
):
    for number in range(2):
        busy_story(author, number)
    make_story(characters=["Hades"], freeforms=["Angst"])
    simplest = "/works/search?characters=Hades"
    client.get(simplest)
    with CaptureQueriesContext(connection) as simplest_queries:
        assert len(found(client.get(simplest))) == 3
    budget = len(simplest_queries.captured_queries)
    full = "/works/search?" + urlencode(
        full_search(author, Tag.objects.get(name="Slow Burn"), Tag.objects.get(name="Angst")), doseq=True
    )

    with django_assert_max_num_queries(budget):
        assert len(found(client.get(full))) == 2

    for number in range(2, 25):
        busy_story(author, number)

    with django_assert_max_num_queries(budget):
        assert len(found(client.get(simplest))) == 20
    with django_assert_max_num_queries(budget):
        response = client.get(full)
    assert len(found(response)) == 20
    assert "1–20 of 25 works" in response.content.decode()
    with django_assert_max_num_queries(budget):
        assert len(found(client.get(full + "&page=2"))) == 5


@pytest.mark.usefixtures("page_cache_off")  # measures rendering, not the shared page cache
@pytest.mark.parametrize(
    "fields",
    [
        {"q": "underworld", "sort": "best"},
        {"q": '"the underworld" und*'},
        {"characters": "Hades", "character_mode": "romantic"},
        {"characters": "Nobody Real"},
        {"excluded": "Angst"},
    ],
    ids=lambda fields: "&".join(f"{k}={v}" for k, v in fields.items()),
)
def test_no_search_uses_more_queries_than_the_simplest(client, author, django_assert_max_num_queries, fields):
    for number in range(3):
        busy_story(author, number)
    client.get("/works/search?characters=Hades")
    with CaptureQueriesContext(connection) as simplest:
        client.get("/works/search?characters=Hades")

    with django_assert_max_num_queries(len(simplest.captured_queries)):
        assert search(client, **fields).status_code == 200
