"""Kudos left without leaving the page, and long kudos lists."""

import pytest

from archive.accounts.tests.factories import UserFactory
from archive.kudos.models import Kudos
from archive.stories.counts import refresh_story_counts
from archive.stories.tests.factories import make_story

pytestmark = pytest.mark.django_db


def test_kudos_left_in_the_background_return_the_kudos_section_with_a_thank_you(reader_client):
    story = make_story(title="Kind Words")

    response = reader_client.post(f"/works/{story.pk}/kudos", headers={"X-Requested-With": "fetch"})

    page = response.content.decode()
    assert response.status_code == 200
    assert page.startswith('<section id="kudos"')
    assert "Thank you for leaving kudos!" in page and "1 kudos from" in page
    assert Kudos.objects.filter(story=story).count() == 1


def test_a_long_kudos_list_names_the_first_hundred_and_counts_the_rest(client):
    story = make_story(title="Beloved")
    Kudos.objects.bulk_create([Kudos(story=story, user=UserFactory()) for _ in range(103)])
    Kudos.objects.bulk_create([Kudos(story=story, guest_hash=f"{n:064x}") for n in range(2)])
    refresh_story_counts([story.pk], ["kudos_count"])  # as every writer of kudos does

    page = client.get(story.get_absolute_url()).content.decode()

    assert "105 kudos from" in page
    assert "and 3 more users and 2 guests" in page
