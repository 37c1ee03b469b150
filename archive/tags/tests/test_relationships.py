"""Posting a work with a relationship tag: the ship, its kind and its characters, found or created."""

import pytest

from archive.stories.models import Story
from archive.stories.tests.factories import make_story, work_form_data
from archive.tags.models import ShipKind, Tag

pytestmark = pytest.mark.django_db


def work_form(**overrides) -> dict:
    return work_form_data(
        **{
            "title": "Prison Garden",
            "categories": ["2"],
            "fandoms": "The Walking Dead (TV)",
            "chapter-body": "They planted beans.",
            **overrides,
        }
    )


def post_work(client, **overrides) -> Story:
    response = client.post("/works/new", work_form(**overrides))
    assert response.status_code == 302, response.content.decode()[:2000]
    return Story.objects.get(pk=response.url.rsplit("/", 1)[1])


def tags_of(story: Story, kind: str) -> list[Tag]:
    return [link.tag for link in story.tag_links.select_related("tag").order_by("id") if link.tag.kind == kind]


def character_names(tag: Tag) -> set[str]:
    return {character.name for character in tag.characters.all()}


def test_posting_a_slash_ship_creates_a_romantic_relationship_and_its_characters(author_client):
    story = post_work(author_client, relationships="Carol Peletier/Daryl Dixon")

    [ship] = tags_of(story, Tag.Kind.RELATIONSHIP)
    assert ship.name == "Carol Peletier/Daryl Dixon"
    assert ship.ship_kind == ShipKind.ROMANTIC
    assert character_names(ship) == {"Carol Peletier", "Daryl Dixon"}
    assert set(Tag.objects.of_kind(Tag.Kind.CHARACTER).values_list("name", flat=True)) == {
        "Carol Peletier",
        "Daryl Dixon",
    }


def test_the_relationship_page_lists_its_characters_and_says_it_is_romantic(author_client, client):
    post_work(author_client, relationships="Carol Peletier/Daryl Dixon")

    page = client.get("/tags/Carol%20Peletier*s*Daryl%20Dixon").content.decode()

    assert "Relationship (romantic)" in page
    assert "Characters in this relationship" in page
    assert '<a class="tag" href="/tags/Carol%20Peletier/works">Carol Peletier</a>' in page
    assert '<a class="tag" href="/tags/Daryl%20Dixon/works">Daryl Dixon</a>' in page


def test_characters_named_by_a_ship_are_not_tags_of_the_work_itself(author_client):
    story = post_work(author_client, relationships="Carol Peletier/Daryl Dixon")

    assert tags_of(story, Tag.Kind.CHARACTER) == []
    assert Tag.objects.get(name="Carol Peletier").use_count == 0


def test_a_ship_reuses_existing_character_tags_whatever_their_case(author_client):
    make_story(characters=["carol peletier", "DARYL DIXON"])

    story = post_work(author_client, relationships="Carol Peletier/Daryl Dixon")

    [ship] = tags_of(story, Tag.Kind.RELATIONSHIP)
    assert character_names(ship) == {"carol peletier", "DARYL DIXON"}
    assert Tag.objects.of_kind(Tag.Kind.CHARACTER).count() == 2


def test_a_ship_reuses_one_existing_character_and_creates_the_other(author_client):
    make_story(characters=["Carol Peletier"])
    carol = Tag.objects.get(name="Carol Peletier")

    story = post_work(author_client, relationships="Carol Peletier/Daryl Dixon")

    [ship] = tags_of(story, Tag.Kind.RELATIONSHIP)
    assert set(ship.characters.all()) == {carol, Tag.objects.get(name="Daryl Dixon", kind=Tag.Kind.CHARACTER)}


def test_a_ship_typed_alongside_its_characters_links_the_same_character_tags(author_client):
    story = post_work(
        author_client, characters="Carol Peletier, Daryl Dixon", relationships="Carol Peletier/Daryl Dixon"
    )

    [ship] = tags_of(story, Tag.Kind.RELATIONSHIP)
    assert set(ship.characters.all()) == set(tags_of(story, Tag.Kind.CHARACTER))
    assert Tag.objects.of_kind(Tag.Kind.CHARACTER).count() == 2


@pytest.mark.parametrize(
    "spelling",
    [
        "Daryl Dixon/Carol Peletier",
        "Carol Peletier / Daryl Dixon",
        "carol peletier/daryl dixon",
        " Daryl  Dixon /  Carol Peletier",
    ],
)
def test_another_spelling_of_the_same_ship_on_another_work_resolves_to_the_one_tag(author_client, spelling):
    first = post_work(author_client, relationships="Carol Peletier/Daryl Dixon")
    second = post_work(author_client, title="Sequel", relationships=spelling)

    assert tags_of(second, Tag.Kind.RELATIONSHIP) == tags_of(first, Tag.Kind.RELATIONSHIP)
    assert Tag.objects.of_kind(Tag.Kind.RELATIONSHIP).count() == 1
    ship = Tag.objects.get(kind=Tag.Kind.RELATIONSHIP)
    assert ship.name == "Carol Peletier/Daryl Dixon"
    assert ship.use_count == 2


def test_both_works_with_two_spellings_of_a_ship_are_listed_on_its_page(author_client, client):
    first = post_work(author_client, relationships="Daryl Dixon/Carol Peletier")
    second = post_work(author_client, title="Sequel", relationships="Carol Peletier / Daryl Dixon")

    page = client.get("/tags/Daryl%20Dixon*s*Carol%20Peletier/works").content.decode()

    assert f'id="work_{first.pk}"' in page
    assert f'id="work_{second.pk}"' in page


def test_the_same_ship_typed_twice_in_different_orders_on_one_work_is_one_tag(author_client):
    story = post_work(author_client, relationships="Carol Peletier/Daryl Dixon, Daryl Dixon/Carol Peletier")

    assert [tag.name for tag in tags_of(story, Tag.Kind.RELATIONSHIP)] == ["Carol Peletier/Daryl Dixon"]


def test_an_ampersand_ship_is_platonic_and_linked_to_its_characters(author_client):
    story = post_work(author_client, relationships="Carol Peletier & Daryl Dixon")

    [ship] = tags_of(story, Tag.Kind.RELATIONSHIP)
    assert ship.ship_kind == ShipKind.PLATONIC
    assert character_names(ship) == {"Carol Peletier", "Daryl Dixon"}


def test_a_friendship_and_a_romance_between_the_same_characters_are_two_tags_sharing_the_characters(author_client):
    story = post_work(author_client, relationships="Carol Peletier/Daryl Dixon, Carol Peletier & Daryl Dixon")

    romance, friendship = tags_of(story, Tag.Kind.RELATIONSHIP)
    assert (romance.ship_kind, friendship.ship_kind) == (ShipKind.ROMANTIC, ShipKind.PLATONIC)
    assert set(romance.characters.all()) == set(friendship.characters.all())
    assert Tag.objects.of_kind(Tag.Kind.CHARACTER).count() == 2


def test_a_three_way_ship_links_three_characters(author_client):
    story = post_work(author_client, relationships="Carol Peletier/Daryl Dixon/Michonne")

    [ship] = tags_of(story, Tag.Kind.RELATIONSHIP)
    assert ship.ship_kind == ShipKind.ROMANTIC
    assert character_names(ship) == {"Carol Peletier", "Daryl Dixon", "Michonne"}


def test_a_relationship_tag_that_names_no_two_characters_is_kept_without_characters(author_client):
    story = post_work(author_client, relationships="Carol Peletier/")

    [ship] = tags_of(story, Tag.Kind.RELATIONSHIP)
    assert ship.name == "Carol Peletier/"
    assert ship.ship_kind == ""
    assert not ship.characters.exists()
    assert not Tag.objects.of_kind(Tag.Kind.CHARACTER).exists()


def test_a_relationship_page_lists_works_however_the_ship_was_spelled_in_the_url(author_client, client):
    story = post_work(author_client, relationships="Carol Peletier/Daryl Dixon")

    response = client.get("/tags/carol%20peletier*s*daryl%20dixon/works")

    assert response.status_code == 200
    assert f'id="work_{story.pk}"' in response.content.decode()
