"""A search that asks for tags is kept under those tags' versions (`versions.tag_search`): a
change to a work listed under them shows at once in the search, by whichever name (canonical or
synonym) the search gives the tag, while a change elsewhere in the archive leaves it kept. A
search without tags follows every list (`LISTINGS`)."""

from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive.caching.tests.test_shared_pages import CHAPTER, cached_twice, text
from archive.publishing.services import add_chapter, update_story
from archive.stories.models import Story
from archive.stories.tests.factories import make_story
from archive.tags.models import Tag
from archive.wrangling import services as wrangling

pytestmark = pytest.mark.django_db


def search_url(**fields) -> str:
    return "/works/search?" + urlencode(fields)


def test_a_new_chapter_shows_in_searches_for_its_tags_and_other_searches_stay_kept(
    client, author, django_assert_num_queries
):
    story = make_story(author=author, title="The Orchard", characters=["Persephone", "Demeter"])
    make_story(author=author, title="The Longship", fandoms=["Norse Mythology"], characters=["Freya"])
    ours = search_url(characters="persephone, Demeter", fandoms="Greek Mythology")
    theirs = search_url(characters="Freya")
    words = search_url(q="Longship")
    for url in (ours, theirs, words):
        assert '<dd class="chapters">1/' in cached_twice(client, url)

    add_chapter(story=story, fields=CHAPTER, post=True)

    assert '<dd class="chapters">2/' in text(client.get(ours))
    with django_assert_num_queries(0):
        assert "The Longship" in text(client.get(theirs))
    # Words alone may find any work: such a search follows every change to a list.
    assert rendered_again(client, words)


def rendered_again(client, url: str) -> bool:
    """Whether fetching `url` renders its page again rather than serving it from the cache."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries) > 0


def test_a_search_by_a_synonym_shows_a_new_work_of_the_canonical_tag_at_once(client, author, wrangler):
    make_story(author=author, title="The Orchard", characters=["Kore"])
    canonical = wrangling.make_canonical(
        tag=Tag.objects.create(name="Persephone", kind=Tag.Kind.CHARACTER), user=wrangler
    )
    wrangling.make_synonym(tag=Tag.objects.get(name="Kore"), of=canonical, user=wrangler)
    url = search_url(characters="Kore")
    page = cached_twice(client, url)
    assert "The Orchard" in page and "The Pomegranate" not in page

    make_story(author=author, title="The Pomegranate", characters=["Persephone"])

    assert "The Pomegranate" in text(client.get(url))


def test_a_search_for_a_tag_nobody_used_finds_the_first_work_given_it_at_once(client, author):
    url = search_url(characters="Ariadne")
    assert "No tag matches" in cached_twice(client, url)

    make_story(author=author, title="The Thread", characters=["Ariadne"])

    page = text(client.get(url))
    assert "The Thread" in page and "No tag matches" not in page


def test_a_work_retagged_or_restricted_leaves_the_searches_for_its_old_tags_at_once(client, author):
    story = make_story(author=author, title="The Orchard", characters=["Persephone"])
    make_story(author=author, title="Elsewhere", characters=["Demeter"], relationships=["Demeter & Persephone"])
    by_name, by_ship = search_url(characters="Persephone"), search_url(relationships="Persephone & Demeter")
    assert "The Orchard" in cached_twice(client, by_name)
    assert "Elsewhere" in cached_twice(client, by_ship)

    update_story(
        story=story,
        fields={"title": "The Orchard"},
        tags_by_kind={Tag.Kind.FANDOM: ["Greek Mythology"], Tag.Kind.CHARACTER: ["Demeter"]},
    )
    assert "The Orchard" not in text(client.get(by_name))

    elsewhere = Story.objects.get(title="Elsewhere")
    update_story(
        story=elsewhere,
        fields={"title": "Elsewhere", "restricted": True},
        tags_by_kind={
            Tag.Kind.FANDOM: ["Greek Mythology"],
            Tag.Kind.CHARACTER: ["Demeter"],
            Tag.Kind.RELATIONSHIP: ["Demeter & Persephone"],
        },
    )
    assert "Elsewhere" not in text(client.get(by_ship))


def test_a_search_the_form_reads_otherwise_than_its_address_is_not_kept(client, author):
    """A tag field the form rejects ("<" is no tag's) is left out of the search, so its page can't
    be kept under that field's tags."""
    make_story(author=author, title="The Orchard", characters=["Persephone"])
    url = search_url(characters="Persephone, <Hades>", fandoms="Greek Mythology")
    assert rendered_again(client, url)
    assert rendered_again(client, url)
