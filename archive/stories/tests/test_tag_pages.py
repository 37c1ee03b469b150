"""A tag's page: every posted work carrying it, whatever characters its name holds."""

import re

import pytest
from django.urls import reverse

from archive.core.tests.pages import listed_ids
from archive.stories.tests.factories import make_story
from archive.tags.converters import TagNameConverter, escape_tag, unescape_tag
from archive.tags.models import Tag

pytestmark = pytest.mark.django_db


def tag_link(response, name: str) -> str:
    """The href of the first link to this tag on the page, as a reader would click it."""
    escaped = re.escape(name.replace("&", "&amp;"))
    return re.search(rf'<a class="tag" href="([^"]+)">{escaped}</a>', response.content.decode())[1]


def test_clicking_a_character_tag_lists_every_posted_story_with_that_character_and_no_others(client):
    first = make_story(title="Underworld", characters=["Hades", "Persephone"])
    second = make_story(title="Spring", characters=["Persephone", "Hades"], fandoms=["Hadestown"])
    make_story(title="Olympus", characters=["Zeus"])
    make_story(title="Draft With Hades", characters=["Hades"], post=False)

    tag_page = client.get(tag_link(client.get("/"), "Hades"))

    assert tag_page.status_code == 200
    assert sorted(listed_ids(tag_page)) == sorted([first.pk, second.pk])
    content = tag_page.content.decode()
    assert 'Works tagged <span class="tag-name">Hades</span>' in content
    assert '<p class="tag-kind">Character</p>' in content
    assert "Olympus" not in content
    assert "Draft With Hades" not in content


def test_a_tag_page_lists_the_most_recently_updated_story_first(client):
    older = make_story(characters=["Hades"])
    newer = make_story(characters=["Hades"])

    assert listed_ids(client.get("/tags/Hades/works")) == [newer.pk, older.pk]


def test_every_kind_of_tag_has_a_page(client):
    story = make_story(
        fandoms=["Greek Mythology"],
        relationships=["Hades/Persephone"],
        characters=["Hades"],
        freeforms=["Slow Burn"],
    )

    for name, kind in [
        ("Greek Mythology", "Fandom"),
        ("Hades/Persephone", "Relationship"),
        ("Hades", "Character"),
        ("Slow Burn", "Additional tag"),
    ]:
        response = client.get(Tag.objects.get(name=name).get_absolute_url())
        assert listed_ids(response) == [story.pk]
        assert f'<p class="tag-kind">{kind}</p>' in response.content.decode()


@pytest.mark.parametrize(
    ("name", "url"),
    [
        ("Hades/Persephone", "/tags/Hades*s*Persephone/works"),
        ("Sherlock Holmes & John Watson", "/tags/Sherlock%20Holmes%20*a*%20John%20Watson/works"),
        ("Mr. Darcy", "/tags/Mr*d*%20Darcy/works"),
        ("Who?", "/tags/Who*q*/works"),
        ("C#", "/tags/C*h*/works"),
        (".hack//SIGN", "/tags/*d*hack*s**s*SIGN/works"),
        ("Q&A?#1/2.", "/tags/Q*a*A*q**h*1*s*2*d*/works"),
    ],
)
def test_tag_names_with_url_characters_are_escaped_in_links_and_lead_back_to_their_tag(client, name, url):
    story = make_story(characters=[name])
    tag = Tag.objects.get(name=name)

    assert tag.get_absolute_url() == url
    assert reverse("stories:tag_works", args=[name]) == url
    assert tag_link(client.get("/"), name) == url
    response = client.get(url)
    assert response.status_code == 200
    assert listed_ids(response) == [story.pk]
    assert response.context["tag"] == tag


@pytest.mark.parametrize(
    "name", ["Ἅιδης", "美少女戦士セーラームーン", "Kaworu 100% Real", "Ao3 \"Quotes\" 'Too'", "+ - , ; @ $"]
)
def test_tag_names_in_any_script_or_with_other_punctuation_round_trip_through_their_url(client, name):
    story = make_story(freeforms=[name])

    response = client.get(Tag.objects.get(name=name).get_absolute_url())

    assert response.status_code == 200
    assert listed_ids(response) == [story.pk]


def test_a_tag_name_is_shown_escaped_on_its_page(client):
    make_story(freeforms=["Sherlock Holmes & John Watson"])

    content = client.get("/tags/Sherlock%20Holmes%20*a*%20John%20Watson/works").content.decode()

    assert '<span class="tag-name">Sherlock Holmes &amp; John Watson</span>' in content


@pytest.mark.parametrize("path", ["/tags/hades/works", "/tags/HADES/works", "/tags/hAdEs/works"])
def test_a_tag_is_found_whatever_the_case_of_its_url(client, path):
    story = make_story(characters=["Hades"])

    response = client.get(path)

    assert response.status_code == 200
    assert listed_ids(response) == [story.pk]
    assert 'Works tagged <span class="tag-name">Hades</span>' in response.content.decode()


def test_a_tag_with_escaped_characters_is_found_whatever_the_case(client):
    story = make_story(relationships=["Hades/Persephone"])

    assert listed_ids(client.get("/tags/hades*s*persephone/works")) == [story.pk]


def test_an_unknown_tag_is_a_404(client):
    make_story(characters=["Hades"])

    response = client.get("/tags/Nobody%20At%20All/works")

    assert response.status_code == 404
    assert "We couldn't find that page" in response.content.decode()


def test_a_tag_carried_only_by_drafts_shows_no_works(client, author, author_client):
    make_story(author=author, characters=["Secret Character"], post=False)

    for viewer in (client, author_client):
        response = viewer.get("/tags/Secret%20Character/works")
        assert response.status_code == 200
        assert listed_ids(response) == []
        assert "No posted works carry this tag yet." in response.content.decode()


def test_a_tag_whose_escapes_sit_either_side_of_an_escape_letter_still_has_a_working_page(client):
    story = make_story(freeforms=["p.s. i love you"])

    response = client.get(Tag.objects.get(name="p.s. i love you").get_absolute_url())

    assert response.status_code == 200
    assert listed_ids(response) == [story.pk]


# archive/tags/converters.py on its own.


@pytest.mark.parametrize(
    ("name", "escaped"),
    [
        ("Hades/Persephone", "Hades*s*Persephone"),
        ("Sherlock Holmes & John Watson", "Sherlock Holmes *a* John Watson"),
        ("Mr. Darcy", "Mr*d* Darcy"),
        ("Who?", "Who*q*"),
        ("C#", "C*h*"),
        ("Plain Name", "Plain Name"),
    ],
)
def test_escaping_replaces_each_url_character_with_its_star_sequence_and_unescaping_restores_it(name, escaped):
    assert escape_tag(name) == escaped
    assert unescape_tag(escaped) == name
    converter = TagNameConverter()
    assert converter.to_url(name) == escaped
    assert converter.to_python(escaped) == name


@pytest.mark.parametrize(
    "name",
    [
        "Hades/Persephone",
        "Sherlock Holmes & John Watson",
        "Mr. Darcy",
        "Who?",
        "C#",
        ".hack//SIGN",
        "Q&A?#1/2.",
        "r&b/soul",
        "w/a/s/d",
        "Tony Stark/Steve Rogers & Bucky Barnes",
    ],
)
def test_an_escaped_tag_name_has_no_url_characters_left_and_unescapes_to_itself(name):
    escaped = escape_tag(name)

    assert not set(escaped) & set("/&.?#")
    assert re.fullmatch(TagNameConverter.regex, escaped)
    assert unescape_tag(escaped) == name


@pytest.mark.parametrize("name", ["p.s. i love you", "u.s.a.", "&s/", "#s#", "?a?", "?d?"])
def test_escaping_is_reversible_when_a_single_letter_sits_between_two_escaped_characters(name):
    assert unescape_tag(escape_tag(name)) == name
