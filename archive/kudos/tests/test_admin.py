"""Kudos removed by staff in the admin, one at a time or with the bulk delete action, leave the
authors' inbox digests ("3 readers left kudos on ...") and its unread count as if never left."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.utils import timezone

from archive.accounts.tests.factories import UserFactory, logged_in
from archive.discovery.search_index import refresh_search_index
from archive.kudos.models import Kudos
from archive.kudos.services import leave_kudos
from archive.notifications.models import Kind, Notification
from archive.stories.integrity import stale_values
from archive.stories.tests.factories import make_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db) -> Client:
    return logged_in(UserFactory(username="staffer", is_staff=True, is_superuser=True))


@pytest.fixture
def story(author):
    story = make_story(author=author, title="The Pomegranate Seeds")
    story.authors.add(UserFactory(username="co_author"))
    refresh_search_index([story.pk])  # the co-author's name, as a shared work's search document has it
    return story


def kudos_lines(story) -> list[tuple[str, str, int, bool]]:
    lines = Notification.objects.filter(story=story, kind=Kind.KUDOS_ON_YOUR_WORK).order_by("recipient__username")
    return [(line.recipient.username, line.text, line.count, line.is_unread) for line in lines]


def unread_in_header(user) -> str:
    page = logged_in(user).get("/inbox").content.decode()
    return page.split('<span class="unread-count">')[1].split("<")[0] if "unread-count" in page else "0"


def test_kudos_deleted_in_the_admin_count_one_reader_fewer_and_the_last_takes_the_line_away(staff, author, story):
    leave_kudos(story=story, user=UserFactory(), ip="")
    leave_kudos(story=story, user=AnonymousUser(), ip="192.0.2.7")
    first, second = Kudos.objects.order_by("pk")
    assert unread_in_header(author) == "1"

    staff.post(f"/admin/kudos/kudos/{first.pk}/delete/", {"post": "yes"})

    one = "A reader left kudos on “The Pomegranate Seeds”"
    assert kudos_lines(story) == [("author", one, 1, True), ("co_author", one, 1, True)]

    staff.post(f"/admin/kudos/kudos/{second.pk}/delete/", {"post": "yes"})

    assert kudos_lines(story) == []
    assert unread_in_header(author) == "0"
    story.refresh_from_db()
    assert story.kudos_count == 0
    assert stale_values() == []


def test_the_bulk_delete_action_recounts_the_lines_and_a_read_line_stays_read(staff, author, story):
    for _ in range(4):
        leave_kudos(story=story, user=UserFactory(), ip="")
    Notification.objects.filter(recipient=author).mark_read()
    chosen = list(Kudos.objects.order_by("pk").values_list("pk", flat=True)[:3])

    staff.post(
        "/admin/kudos/kudos/", {"action": "delete_selected", "_selected_action": chosen, "post": "yes"}, follow=True
    )

    assert Kudos.objects.count() == 1
    one = "A reader left kudos on “The Pomegranate Seeds”"
    assert kudos_lines(story) == [("author", one, 1, False), ("co_author", one, 1, True)]
    assert unread_in_header(author) == "0"
    assert stale_values() == []


def test_removing_yesterdays_kudos_changes_yesterdays_line_not_todays(staff, author, story):
    leave_kudos(story=story, user=UserFactory(), ip="")
    yesterday = timezone.now() - timedelta(days=1)
    Kudos.objects.update(created_at=yesterday)
    Notification.objects.update(day=yesterday.date())  # as if it was left yesterday
    old = Kudos.objects.get()
    leave_kudos(story=story, user=UserFactory(), ip="")

    staff.post(f"/admin/kudos/kudos/{old.pk}/delete/", {"post": "yes"})

    days = Notification.objects.filter(recipient=author).values_list("day", "count")
    assert list(days) == [(timezone.now().date(), 1)]
