"""Staff can see invitations and withdraw them, never make one (only an author's invitation,
accepted, credits anybody)."""

import pytest

from archive.accounts.tests.factories import UserFactory, logged_in
from archive.cocreators.models import Invitation
from archive.cocreators.services import invite_cocreator
from archive.notifications.models import Notification
from archive.stories.tests.factories import make_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return UserFactory(username="staff", is_staff=True, is_superuser=True)


@pytest.fixture
def invitation():
    ann = UserFactory(username="ann")
    UserFactory(username="bea")
    return invite_cocreator(story=make_story(author=ann), inviter=ann, username="bea")


def test_staff_cant_add_an_invitation_in_the_admin(staff):
    assert logged_in(staff).get("/admin/cocreators/invitation/add/").status_code == 403


def test_deleting_an_invitation_in_the_admin_takes_it_out_of_the_inbox(staff, invitation):
    client = logged_in(staff)
    url = f"/admin/cocreators/invitation/{invitation.pk}/delete/"

    assert client.post(url, {"post": "yes"}).status_code == 302

    assert not Invitation.objects.exists()
    assert not Notification.objects.exists()


def test_the_bulk_delete_action_takes_each_out_of_the_inbox(staff, invitation):
    client = logged_in(staff)
    data = {"action": "delete_selected", "_selected_action": [invitation.pk], "post": "yes"}

    assert client.post("/admin/cocreators/invitation/", data).status_code == 302

    assert not Invitation.objects.exists()
    assert not Notification.objects.exists()
