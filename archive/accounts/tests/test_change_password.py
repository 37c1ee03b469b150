"""Change password at /users/<name>/change_password: asks the current one; this session stays
logged in and every other one is logged out, on pages served from the kept copy too."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from archive.accounts.models import User
from archive.accounts.tests.factories import PASSWORD, UserFactory
from archive.stories.tests.factories import make_story

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-passphrase-77"
URL = "/users/ann/change_password"


@pytest.fixture
def ann(db):
    return UserFactory(username="ann")


def logged_in(user, password: str = PASSWORD) -> Client:
    client = Client()
    assert client.login(username=user.username, password=password)
    return client


def change(client, *, old=PASSWORD, new=NEW_PASSWORD, again=None):
    return client.post(URL, {"old_password": old, "new_password1": new, "new_password2": again or new})


def test_the_page_asks_for_the_current_password_and_the_new_one_twice(ann):
    response = logged_in(ann).get(URL)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Change password" in content
    for name in ("old_password", "new_password1", "new_password2"):
        assert f'name="{name}"' in content


def test_changing_it_keeps_this_session_and_says_so(ann):
    client = logged_in(ann)

    response = change(client)

    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Your password was changed" in page
    assert "Log out ann" in page
    assert User.objects.get(pk=ann.pk).check_password(NEW_PASSWORD)


def test_a_wrong_current_password_changes_nothing_and_is_reported_next_to_it(ann):
    response = change(logged_in(ann), old="not-my-password")

    assert response.status_code == 200
    assert "incorrectly" in str(response.context["form"].errors["old_password"])
    assert "id_old_password_error" in response.content.decode()
    assert User.objects.get(pk=ann.pk).check_password(PASSWORD)


def test_a_weak_new_password_is_reported_under_it(ann):
    response = change(logged_in(ann), new="password")

    assert "This password is too common." in str(response.context["form"].errors["new_password1"])
    assert User.objects.get(pk=ann.pk).check_password(PASSWORD)


def test_another_session_is_logged_out_even_on_a_work_page_served_from_the_kept_copy(ann, author):
    story = make_story(author=author, title="The Orchard")
    url = story.get_absolute_url()
    laptop, phone = logged_in(ann), logged_in(ann)
    assert "Log out ann" in phone.get(url).content.decode()  # builds the readers' copy
    with CaptureQueriesContext(connection) as served:
        kept = phone.get(url).content.decode()
    assert "Log out ann" in kept
    assert not [q for q in served.captured_queries if "stories_story" in q["sql"]], "served from the kept copy"

    assert change(laptop).status_code == 302
    page = phone.get(url).content.decode()

    assert "The Orchard" in page
    assert "Log out ann" not in page and "Log in" in page
    assert phone.get("/dashboard").status_code == 302
    assert "Log out ann" in laptop.get(url).content.decode()


def test_nobody_else_reaches_the_page(ann):
    other = logged_in(UserFactory(username="bea"))

    assert other.get(URL).status_code == 404
    assert change(other, old=PASSWORD).status_code == 404
    assert Client().get(URL).status_code == 302
    assert User.objects.get(pk=ann.pk).check_password(PASSWORD)
