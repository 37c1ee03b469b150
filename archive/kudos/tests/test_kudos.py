"""Leaving kudos on a work, as a registered reader or a guest, and seeing them on the work page."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from archive.accounts.tests.factories import UserFactory
from archive.kudos.models import Kudos
from archive.kudos.services import leave_kudos
from archive.stories.models import Story
from archive.stories.tests.factories import make_story

pytestmark = pytest.mark.django_db

THANKS = "Thank you for leaving kudos!"
ALREADY = "You have already left kudos here. :)"
OWN_WORK = "You can&#x27;t leave kudos on your own work."


@pytest.fixture
def story(author) -> Story:
    return make_story(author=author, title="The Pomegranate Seeds")


def kudos_url(story: Story) -> str:
    return f"/works/{story.pk}/kudos"


def kudos_count(story: Story) -> int:
    story.refresh_from_db()
    return story.kudos_count


def test_a_reader_leaves_kudos_once_and_is_thanked(reader_client, reader, story):
    response = reader_client.post(kudos_url(story), follow=True)

    assert response.redirect_chain == [(f"{story.get_absolute_url()}#kudos", 302)]
    assert THANKS in response.content.decode()
    assert Kudos.objects.get().user == reader
    assert kudos_count(story) == 1


def test_a_second_kudos_from_the_same_reader_is_refused_and_not_counted(reader_client, story):
    reader_client.post(kudos_url(story))

    response = reader_client.post(kudos_url(story), follow=True)

    assert ALREADY in response.content.decode()
    assert Kudos.objects.count() == 1
    assert kudos_count(story) == 1


def test_guests_leave_kudos_once_per_ip_address(story):
    first = Client(REMOTE_ADDR="203.0.113.7")
    second = Client(REMOTE_ADDR="198.51.100.23")

    assert THANKS in first.post(kudos_url(story), follow=True).content.decode()
    assert THANKS in second.post(kudos_url(story), follow=True).content.decode()
    again = Client(REMOTE_ADDR="203.0.113.7").post(kudos_url(story), follow=True)

    assert ALREADY in again.content.decode()
    assert Kudos.objects.filter(user=None).count() == 2
    assert kudos_count(story) == 2


def test_a_guests_ip_address_is_never_stored(story):
    ip = "203.0.113.7"
    Client(REMOTE_ADDR=ip).post(kudos_url(story))

    kudos = Kudos.objects.get()
    assert kudos.guest_hash
    for field in Kudos._meta.concrete_fields:
        assert ip not in str(getattr(kudos, field.attname))


def test_an_author_cannot_leave_kudos_on_their_own_work(author_client, story):
    response = author_client.post(kudos_url(story), follow=True)

    assert OWN_WORK in response.content.decode()
    assert not Kudos.objects.exists()
    assert kudos_count(story) == 0


def test_the_service_refuses_kudos_on_ones_own_work(author, story):
    assert leave_kudos(story=story, user=author, ip="127.0.0.1") is False
    assert not Kudos.objects.exists()


def test_the_kudos_button_is_hidden_from_the_works_authors(author_client, reader_client, story):
    assert "Kudos ♥" not in author_client.get(story.get_absolute_url()).content.decode()
    assert "Kudos ♥" in reader_client.get(story.get_absolute_url()).content.decode()
    assert "Kudos ♥" in Client().get(story.get_absolute_url()).content.decode()


@pytest.mark.parametrize("who", ["author", "reader", "guest"])
def test_a_draft_takes_no_kudos(who, author_client, reader_client, author):
    draft = make_story(author=author, post=False)
    client = {"author": author_client, "reader": reader_client, "guest": Client()}[who]

    assert client.post(kudos_url(draft)).status_code == 404
    assert not Kudos.objects.exists()


def test_a_missing_work_is_a_404(client):
    assert client.post("/works/999999/kudos").status_code == 404


def test_kudos_are_posted_not_got(reader_client, story):
    assert reader_client.get(kudos_url(story)).status_code == 405
    assert not Kudos.objects.exists()


def test_kudos_need_a_csrf_token(reader, story):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)

    assert client.post(kudos_url(story)).status_code == 403
    assert not Kudos.objects.exists()


def test_the_kudos_form_carries_a_csrf_token_and_works_without_javascript(reader, story):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    page = client.get(story.get_absolute_url()).content.decode()
    token = re.search(r'class="kudos-form".*?name="csrfmiddlewaretoken" value="([^"]+)"', page, re.S)[1]

    response = client.post(kudos_url(story), {"csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert kudos_count(story) == 1


def test_the_work_page_names_registered_readers_and_counts_guests(story):
    for name in ("persephone", "hades"):
        leave_kudos(story=story, user=UserFactory(username=name), ip="127.0.0.1")
    leave_kudos(story=story, user=AnonymousUser(), ip="203.0.113.7")
    leave_kudos(story=story, user=AnonymousUser(), ip="203.0.113.8")

    content = Client().get(story.get_absolute_url()).content.decode()

    assert "4 kudos from" in content
    assert ">persephone</a>, <a" in content
    assert ">hades</a> and 2 guests" in content


def test_the_stats_show_the_kudos_count(story):
    leave_kudos(story=story, user=AnonymousUser(), ip="203.0.113.7")

    content = Client().get(story.get_absolute_url()).content.decode()

    assert '<dt class="kudos">Kudos:</dt><dd class="kudos">1</dd>' in content


def _page_queries(client, story, django_assert_max_num_queries) -> int:
    with django_assert_max_num_queries(50) as captured:
        response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_chapter_page_query_count_stays_flat_as_kudos_grow(reader_client, author, django_assert_max_num_queries):
    few = make_story(author=author, title="Few")
    many = make_story(author=author, title="Many")
    leave_kudos(story=few, user=UserFactory(), ip="127.0.0.1")
    for _ in range(10):
        leave_kudos(story=many, user=UserFactory(), ip="127.0.0.1")
    for number in range(5):
        leave_kudos(story=many, user=AnonymousUser(), ip=f"203.0.113.{number}")

    baseline = _page_queries(reader_client, few, django_assert_max_num_queries)
    with django_assert_max_num_queries(baseline):
        response = reader_client.get(many.get_absolute_url())
    assert "15 kudos from" in response.content.decode()


def test_past_a_hundred_names_the_rest_are_counted(story, monkeypatch):
    from archive.kudos.templatetags import kudos as kudos_tags

    monkeypatch.setattr(kudos_tags, "NAMES_SHOWN", 2)
    for name in ("ares", "hades", "hermes"):
        leave_kudos(story=story, user=UserFactory(username=name), ip="127.0.0.1")
    leave_kudos(story=story, user=AnonymousUser(), ip="203.0.113.7")

    content = Client().get(story.get_absolute_url()).content.decode()

    assert "4 kudos from" in content
    assert ">hades</a> and 1 more user and 1 guest" in content


def test_a_work_without_kudos_asks_nothing_about_them(story, django_assert_max_num_queries):
    with django_assert_max_num_queries(50) as captured:
        Client().get(story.get_absolute_url())

    assert not [query for query in captured.captured_queries if "kudos_kudos" in query["sql"]]


def test_the_other_chapters_of_a_work_reuse_its_kudos_and_show_new_ones_at_once(author):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    story = make_story(author=author, title="Three Doors", chapters=3)
    leave_kudos(story=story, user=UserFactory(username="persephone"), ip="127.0.0.1")
    first, second, third = (chapter.get_absolute_url() for chapter in story.chapters.order_by("position"))
    Client().get(first)

    with CaptureQueriesContext(connection) as captured:
        page = Client().get(second).content.decode()
    assert not [query for query in captured.captured_queries if "kudos_kudos" in query["sql"]]
    assert "1 kudos from" in page and ">persephone</a>" in page

    leave_kudos(story=story, user=UserFactory(username="hades"), ip="127.0.0.1")
    assert ">hades</a>" in Client().get(third).content.decode()


def test_kudos_left_with_javascript_answer_with_the_new_count(reader_client, story):
    leave_kudos(story=story, user=AnonymousUser(), ip="203.0.113.7")

    response = reader_client.post(f"/works/{story.pk}/kudos", HTTP_X_REQUESTED_WITH="fetch")

    assert "2 kudos from" in response.content.decode()


def test_search_and_tag_pages_sort_by_kudos(client):
    from archive.core.tests.pages import listed_ids
    from archive.kudos.services import leave_kudos

    loved = make_story(title="Loved", characters=["Hades"])
    quiet = make_story(title="Quiet", characters=["Hades"])
    for number in range(3):
        leave_kudos(story=loved, user=AnonymousUser(), ip=f"10.0.0.{number}")

    most = client.get("/works/search", {"characters": "Hades", "sort": "kudos"})
    least = client.get("/tags/Hades/works", {"sort": "kudos", "order": "asc"})

    assert listed_ids(most) == [loved.pk, quiet.pk]
    assert listed_ids(least) == [quiet.pk, loved.pk]
