"""`manage.py load_demo`: the hand-written demo archive."""

import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from archive.accounts.models import validate_username
from archive.cocreators.models import Invitation
from archive.notifications.models import Kind, Notification, Subscription
from archive.series.models import Series
from archive.stories.counts import stale_story_counts
from archive.stories.models import Story

DEMO = Path(__file__).resolve().parent.parent / "data" / "demo.json"


def test_demo_users_have_names_the_sign_up_form_would_accept():
    names = [user["username"] for user in json.loads(DEMO.read_text(encoding="utf-8"))["users"]]

    for name in names:
        validate_username(name)
    assert len({name.lower() for name in names}) == len(names)


@pytest.mark.django_db
def test_the_demo_has_kudos_bookmarks_subscribers_and_hits_the_same_on_every_load():
    call_command("load_demo", verbosity=0)

    stories = Story.objects.order_by("pk")
    assert all(story.kudos_count > 0 and story.hit_count > 0 for story in stories)
    assert sum(story.bookmark_count for story in stories) > 0
    assert sum(story.comment_count for story in stories) > 0
    assert Subscription.objects.filter(story__isnull=False).exists()
    # Through the services: every count agrees with its rows, and the authors heard of it.
    assert stale_story_counts() == []
    author = get_user_model().objects.get(username="quillfeather")
    assert Notification.objects.filter(recipient=author, kind=Kind.KUDOS_ON_YOUR_WORK, count__gt=1).exists()
    first = [(story.kudos_count, story.bookmark_count, story.hit_count) for story in stories]

    Story.objects.all().delete()
    call_command("load_demo", verbosity=0)

    again = [(story.kudos_count, story.bookmark_count, story.hit_count) for story in Story.objects.order_by("pk")]
    assert again == first


@pytest.mark.django_db
def test_the_demo_has_a_series_of_two_works_in_order_with_a_subscriber(client):
    call_command("load_demo", verbosity=0)

    series = Series.objects.get(title="The Baker Street Adventures")
    works = list(series.series_works.order_by("position").values_list("position", "story__title"))
    assert works == [(1, "The Adventure of the Borrowed Umbrella"), (2, "The Adventure of the Winged Sandals")]
    assert series.subscriptions.filter(user__username="lanternreader").exists()
    second = Story.objects.get(title="The Adventure of the Winged Sandals")
    page = client.get(second.get_absolute_url()).content.decode()
    assert "Part 2 of" in page and 'class="previous"' in page


@pytest.mark.django_db
def test_the_demo_has_a_work_by_two_co_creators_and_an_invitation_waiting_in_the_authors_inbox():
    call_command("load_demo", verbosity=0)

    shared = Story.objects.get(title="What the Lyre Remembers")
    assert sorted(shared.authors.values_list("username", flat=True)) == ["marginalia", "owlery"]
    invitation = Invitation.objects.select_related("story", "invitee").get()
    assert (invitation.story.title, invitation.invitee.username) == ("Letters from Hunsford", "quillfeather")
    assert Notification.objects.filter(
        recipient=invitation.invitee, kind=Kind.COCREATOR_INVITATION, story=invitation.story
    ).exists()


@pytest.mark.django_db
def test_demo_works_with_characters_mark_one_or_two_of_them_main():
    call_command("load_demo", verbosity=0)

    for story in Story.objects.prefetch_related("tag_links__tag"):
        if story.characters:
            assert 1 <= sum(1 for tag in story.characters if tag.is_main) <= 2, story.title
