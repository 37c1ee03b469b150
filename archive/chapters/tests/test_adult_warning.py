"""Mature, Explicit and Not Rated works ask once before showing their text, as the Archive of Our Own's do:
an author who chose no rating may have written anything."""

import pytest

from archive.stories.choices import Rating
from archive.stories.tests.factories import make_story

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("rating", [Rating.MATURE, Rating.EXPLICIT, Rating.NOT_RATED])
def test_an_adult_or_unrated_work_asks_first_and_shows_none_of_its_text(client, rating):
    story = make_story(rating=rating, body="Secret words of the chapter.", chapters=2)

    for url in (story.get_absolute_url(), story.chapters.last().get_absolute_url()):
        page = client.get(url).content.decode()
        assert "This work could have adult content" in page
        assert "Secret words of the chapter." not in page
        assert "view_adult=true" in page


def test_proceeding_once_shows_the_work_and_is_remembered_for_the_visit(client):
    story = make_story(rating=Rating.EXPLICIT, body="Secret words of the chapter.")
    other = make_story(rating=Rating.MATURE, body="Other secret words.")

    page = client.get(story.get_absolute_url(), {"view_adult": "true"}).content.decode()

    assert "Secret words of the chapter." in page
    assert "Other secret words." in client.get(other.get_absolute_url()).content.decode()


def test_the_entire_work_link_keeps_its_view_full_work_parameter_through_the_warning(client):
    story = make_story(rating=Rating.MATURE, chapters=2)

    page = client.get(story.get_absolute_url(), {"view_full_work": "true"}).content.decode()

    assert "view_full_work=true" in page
    assert "view_adult=true" in page


@pytest.mark.parametrize("rating", [Rating.GENERAL, Rating.TEEN])
def test_general_and_teen_works_never_ask(client, rating):
    story = make_story(rating=rating, body="Plain words.")

    assert "Plain words." in client.get(story.get_absolute_url()).content.decode()


def test_authors_are_not_asked_about_their_own_work(author, author_client):
    story = make_story(author=author, rating=Rating.EXPLICIT, body="My own words.")

    assert "My own words." in author_client.get(story.get_absolute_url()).content.decode()


def test_the_entire_work_of_a_not_rated_work_asks_first(client):
    story = make_story(rating=Rating.NOT_RATED, body="Unrated words.", chapters=2)

    page = client.get(story.get_absolute_url(), {"view_full_work": "true"}).content.decode()

    assert "This work could have adult content" in page
    assert "is rated <strong>Not Rated</strong>" in page
    assert "Unrated words." not in page
