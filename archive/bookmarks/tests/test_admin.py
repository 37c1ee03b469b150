"""Staff deleting bookmarks in the admin keep the public bookmark count right."""

import pytest
from django.test import Client

from archive.accounts.tests.factories import UserFactory
from archive.bookmarks.models import Bookmark
from archive.bookmarks.tests.factories import bookmark_count, make_bookmark
from archive.stories.tests.factories import make_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client() -> Client:
    client = Client()
    client.force_login(UserFactory(username="staff", is_staff=True, is_superuser=True))
    return client


def test_deleting_bookmarks_in_the_admin_lowers_the_public_count(staff_client):
    story = make_story()
    public = make_bookmark(story=story)
    make_bookmark(story=story, private=True)

    staff_client.post(f"/admin/bookmarks/bookmark/{public.pk}/delete/", {"post": "yes"})
    assert bookmark_count(story) == 0
    staff_client.post(
        "/admin/bookmarks/bookmark/",
        {
            "action": "delete_selected",
            "_selected_action": list(Bookmark.objects.values_list("pk", flat=True)),
            "post": "yes",
        },
    )

    assert not Bookmark.objects.exists()
    assert bookmark_count(story) == 0


def test_the_admin_lists_bookmarks_and_cannot_change_their_privacy(staff_client):
    bookmark = make_bookmark(note="Twice.")

    assert "Bookmark of" in staff_client.get("/admin/bookmarks/bookmark/").content.decode()
    page = staff_client.get(f"/admin/bookmarks/bookmark/{bookmark.pk}/change/").content.decode()
    assert 'name="private"' not in page
    assert staff_client.get("/admin/bookmarks/bookmark/add/").status_code == 403
