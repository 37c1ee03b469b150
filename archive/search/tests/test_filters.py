"""What a reader types into the tag and author fields of /works/search: the tags and the
authors it finds, whatever the order, spacing and synonyms."""

import pytest

from archive.accounts.tests.factories import UserFactory
from archive.core.tests.pages import found
from archive.stories.tests.factories import make_story
from archive.tags.models import Tag
from archive.wrangling import services as wrangling

pytestmark = pytest.mark.django_db


def search(client, **fields):
    return client.get("/works/search", fields)


def synonym(name: str, of: str, user) -> None:
    """Make the tag `name` a synonym of the tag `of`, making `of` canonical first."""
    canonical = wrangling.make_canonical(tag=Tag.objects.get(name=of), user=user)
    wrangling.make_synonym(tag=Tag.objects.get(name=name), of=canonical, user=user)


# author


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
