"""Each tag's works pages are kept under a version of their own (`versions.tag_list`): a change
to a work shows at once on the pages of every tag it is listed under, before and after the
change, while the pages of other tags stay kept (a new chapter a second somewhere in the archive
no longer makes every tag page render again)."""

import pytest

from archive.caching.tests.test_shared_pages import CHAPTER, cached_twice, text
from archive.publishing.services import add_chapter, delete_story, update_story
from archive.stories.models import Story
from archive.stories.tests.factories import make_story
from archive.tags.models import Tag

pytestmark = pytest.mark.django_db


def test_a_new_chapter_shows_on_its_tags_pages_and_other_tags_pages_stay_kept(
    client, author, django_assert_num_queries
):
    story = make_story(author=author, title="The Orchard", fandoms=["Greek Mythology"], characters=["Persephone"])
    make_story(author=author, title="The Longship", fandoms=["Norse Mythology"])
    for url in ("/tags/Greek Mythology/works", "/tags/persephone/works", "/tags/Norse Mythology/works"):
        assert '<dd class="chapters">1/' in cached_twice(client, url)

    add_chapter(story=story, fields=CHAPTER, post=True)

    assert '<dd class="chapters">2/' in text(client.get("/tags/Greek Mythology/works"))
    assert '<dd class="chapters">2/' in text(client.get("/tags/persephone/works"))  # any case of the name
    with django_assert_num_queries(0):
        assert "The Longship" in text(client.get("/tags/Norse Mythology/works"))


def test_a_work_retagged_leaves_its_old_tags_page_and_joins_its_new_ones_at_once(client, author):
    story = make_story(author=author, title="The Orchard", characters=["Persephone"])
    make_story(author=author, title="Elsewhere", characters=["Demeter"])
    assert "The Orchard" in cached_twice(client, "/tags/Persephone/works")
    assert "The Orchard" not in cached_twice(client, "/tags/Demeter/works")

    update_story(
        story=story,
        fields={"title": "The Orchard"},
        tags_by_kind={Tag.Kind.FANDOM: ["Greek Mythology"], Tag.Kind.CHARACTER: ["Demeter"]},
    )

    assert "The Orchard" not in text(client.get("/tags/Persephone/works"))
    assert "The Orchard" in text(client.get("/tags/Demeter/works"))


def test_a_character_in_a_relationship_lists_the_work_on_their_any_ship_page_at_once(client, author):
    story = make_story(author=author, title="Pomegranate", relationships=["Hades/Persephone"])
    url = "/tags/Persephone/works?with_ships=on"
    assert "Pomegranate" in cached_twice(client, url)

    add_chapter(story=story, fields=CHAPTER, post=True)

    assert '<dd class="chapters">2/' in text(client.get(url))


def test_a_deleted_or_restricted_work_leaves_its_tags_pages_at_once(client, author):
    kept = make_story(author=author, title="The Orchard", characters=["Persephone"])
    gone = make_story(author=author, title="The Cellar", characters=["Persephone"])
    assert "The Cellar" in cached_twice(client, "/tags/Persephone/works")

    delete_story(story=gone)
    assert "The Cellar" not in text(client.get("/tags/Persephone/works"))

    update_story(
        story=Story.objects.get(pk=kept.pk),
        fields={"restricted": True},
        tags_by_kind={Tag.Kind.FANDOM: ["Greek Mythology"], Tag.Kind.CHARACTER: ["Persephone"]},
    )
    assert "The Orchard" not in text(client.get("/tags/Persephone/works"))


def test_a_tag_whose_name_is_not_ascii_follows_every_list(client, author):
    story = make_story(author=author, title="Katabasis", characters=["Ἅιδης"])
    assert '<dd class="chapters">1/' in cached_twice(client, "/tags/Ἅιδης/works")

    add_chapter(story=story, fields=CHAPTER, post=True)

    assert '<dd class="chapters">2/' in text(client.get("/tags/Ἅιδης/works"))
