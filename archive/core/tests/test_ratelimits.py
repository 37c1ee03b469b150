"""Abuse limits: past its limit a guest or user gets the "Slow down" page with status 429."""

import html
import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from archive.accounts.models import User
from archive.accounts.tests.factories import PASSWORD, UserFactory
from archive.chapters.models import Chapter
from archive.core.ratelimits import rate_limit
from archive.kudos.models import Kudos
from archive.stories.models import Story
from archive.stories.tests.factories import make_story, work_form_data

pytestmark = pytest.mark.django_db

SLOW_DOWN = "Slow down"


@pytest.fixture
def limits(settings):
    """Small limits, so a test reaches them in a few requests."""

    def set_limit(name: str, rate: str) -> None:
        settings.RATE_LIMITS = {**settings.RATE_LIMITS, name: rate}

    return set_limit


def assert_slowed_down(response) -> None:
    assert response.status_code == 429
    assert SLOW_DOWN in response.content.decode()
    assert int(response.headers["Retry-After"]) > 0


def bad_login(client: Client, username: str = "carol"):
    return client.post("/users/login", {"username": username, "password": "not-the-password"})


def test_the_real_limits_are_roomy_enough_for_a_real_reader(settings):
    # A reader commenting on a long binge, an author posting a backlog chapter by chapter.
    assert settings.RATE_LIMITS["comment"] == "10/m"
    assert settings.RATE_LIMITS["chapter"] == "60/h"
    assert settings.RATE_LIMITS["kudos"] == "100/h"


def test_failed_log_ins_are_limited_tighter_per_account_than_per_address(settings):
    # An account meets its limit long before a shared address (a school, a library) meets its own.
    assert settings.RATE_LIMITS["login_account"] == "10/15m"
    assert settings.RATE_LIMITS["login_address"] == "50/15m"


def test_after_ten_failed_log_ins_the_next_attempt_is_slowed_down_even_with_the_right_password(client):
    UserFactory(username="carol")
    for _ in range(10):
        assert bad_login(client).status_code == 200

    response = client.post("/users/login", {"username": "carol", "password": PASSWORD})

    assert_slowed_down(response)
    assert "_auth_user_id" not in client.session


def test_an_account_is_slowed_down_whatever_case_its_name_is_typed_in(client):
    UserFactory(username="carol")
    for name in ["carol", "Carol", "CAROL", " carol", "cArOl"] * 2:
        bad_login(client, name)

    assert_slowed_down(client.post("/users/login", {"username": "carol", "password": PASSWORD}))


def test_an_account_is_slowed_down_when_failures_come_from_many_addresses():
    UserFactory(username="carol")
    for number in range(10):
        assert bad_login(Client(REMOTE_ADDR=f"203.0.113.{number}")).status_code == 200

    response = Client(REMOTE_ADDR="198.51.100.7").post("/users/login", {"username": "carol", "password": PASSWORD})

    assert_slowed_down(response)


def test_another_account_can_log_in_from_an_address_where_one_account_is_slowed_down(client):
    UserFactory(username="carol")
    UserFactory(username="dave")
    for _ in range(10):
        bad_login(client, "carol")
    assert_slowed_down(bad_login(client, "carol"))

    assert client.post("/users/login", {"username": "dave", "password": PASSWORD}).status_code == 302


def test_an_address_that_fails_for_many_accounts_is_slowed_down(client, limits):
    limits("login_address", "5/m")
    UserFactory(username="carol")
    for number in range(5):
        assert bad_login(client, f"guess{number}").status_code == 200

    assert_slowed_down(client.post("/users/login", {"username": "carol", "password": PASSWORD}))
    assert (
        Client(REMOTE_ADDR="198.51.100.7").post("/users/login", {"username": "carol", "password": PASSWORD}).status_code
        == 302
    )


def bad_admin_login(client: Client, username: str = "boss"):
    return client.post("/admin/login/", {"username": username, "password": "not-the-password", "next": "/admin/"})


def test_failed_admin_log_ins_are_slowed_down_even_with_the_right_password(client):
    UserFactory(username="boss", is_staff=True, is_superuser=True)
    for _ in range(10):
        response = bad_admin_login(client)
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.content.decode()

    response = client.post("/admin/login/", {"username": "boss", "password": PASSWORD, "next": "/admin/"})

    assert_slowed_down(response)
    assert "_auth_user_id" not in client.session


def test_admin_and_site_log_ins_share_one_count(client):
    UserFactory(username="boss", is_staff=True)
    for _ in range(5):
        bad_admin_login(client)
        bad_login(client, "boss")

    assert_slowed_down(client.post("/admin/login/", {"username": "boss", "password": PASSWORD}))
    assert_slowed_down(client.post("/users/login", {"username": "boss", "password": PASSWORD}))


def test_the_admin_log_in_still_lets_staff_in(client):
    UserFactory(username="boss", is_staff=True)

    response = client.post("/admin/login/", {"username": "boss", "password": PASSWORD, "next": "/admin/"})

    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_the_log_in_form_itself_still_opens_while_an_address_is_slowed_down(client, limits):
    limits("login_address", "1/m")
    bad_login(client)

    assert client.get("/users/login").status_code == 200
    assert_slowed_down(bad_login(client))


def test_successful_log_ins_never_count_towards_the_limit(client, limits):
    limits("login_address", "2/m")
    UserFactory(username="carol")
    for _ in range(5):
        assert client.post("/users/login", {"username": "carol", "password": PASSWORD}).status_code == 302
        client.post("/users/logout")

    assert bad_login(client).status_code == 200


def test_failed_log_ins_from_one_address_do_not_slow_down_another(limits):
    limits("login_address", "1/m")
    UserFactory(username="carol")
    attacker, carol = Client(REMOTE_ADDR="203.0.113.9"), Client(REMOTE_ADDR="198.51.100.7")
    bad_login(attacker)
    assert_slowed_down(bad_login(attacker))

    assert carol.post("/users/login", {"username": "carol", "password": PASSWORD}).status_code == 302


def test_behind_a_proxy_the_forwarded_address_is_the_one_counted(settings, limits):
    settings.BEHIND_PROXY = True
    limits("login_address", "1/m")
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    attacker = Client(**proxy, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    reader = Client(**proxy, HTTP_X_FORWARDED_FOR="198.51.100.7")
    # Forging the first entry changes nothing: the proxy appends the address it really saw.
    forged = Client(**proxy, HTTP_X_FORWARDED_FOR="5.6.7.8, 203.0.113.9")
    bad_login(attacker)

    assert_slowed_down(bad_login(forged))
    assert bad_login(reader).status_code == 200


def test_signing_up_too_often_from_one_address_is_slowed_down(client, limits):
    limits("signup", "2/h")
    for n in range(2):
        password = "a-perfectly-fine-password"
        client.post(
            "/users/signup",
            {"username": f"fan{n}", "email": "", "password1": password, "password2": password},
        )
        client.post("/users/logout")

    response = client.post(
        "/users/signup",
        {"username": "fan9", "email": "", "password1": "another-fine-password", "password2": "another-fine-password"},
    )

    assert_slowed_down(response)
    assert not User.objects.filter(username="fan9").exists()
    assert "another-fine-password" not in response.content.decode()  # passwords are never echoed


def test_guests_leaving_kudos_are_limited_by_address(author, limits):
    limits("kudos", "2/h")
    stories = [make_story(author=author, title=f"Work {n}") for n in range(3)]
    guest = Client(REMOTE_ADDR="203.0.113.9")
    for story in stories[:2]:
        guest.post(f"/works/{story.pk}/kudos")

    assert_slowed_down(guest.post(f"/works/{stories[2].pk}/kudos"))
    assert Kudos.objects.count() == 2
    assert Client(REMOTE_ADDR="198.51.100.7").post(f"/works/{stories[2].pk}/kudos").status_code == 302


def test_logged_in_readers_are_limited_each_on_their_own_even_from_one_address(author, limits):
    limits("kudos", "1/h")
    first, second = make_story(author=author, title="One"), make_story(author=author, title="Two")
    alice, bob = Client(), Client()
    alice.force_login(UserFactory(username="alice"))
    bob.force_login(UserFactory(username="bob"))
    alice.post(f"/works/{first.pk}/kudos")

    assert_slowed_down(alice.post(f"/works/{second.pk}/kudos"))
    assert bob.post(f"/works/{second.pk}/kudos").status_code == 302


def test_posting_works_too_fast_is_slowed_down_and_the_refused_text_is_given_back(author_client, limits):
    limits("work", "1/h")
    author_client.post("/works/new", work_form_data(title="First"))

    response = author_client.post(
        "/works/new", work_form_data(title="Second <b>bold</b>", **{"chapter-body": "Every word I typed."})
    )

    assert_slowed_down(response)
    assert list(Story.objects.values_list("title", flat=True)) == ["First"]
    content = response.content.decode()
    assert "Every word I typed." in content
    assert "Second &lt;b&gt;bold&lt;/b&gt;" in content  # given back escaped, like all user text


def test_opening_the_new_work_form_does_not_count(author_client, limits):
    limits("work", "1/h")
    for _ in range(3):
        assert author_client.get("/works/new").status_code == 200

    assert author_client.post("/works/new", work_form_data()).status_code == 302


def test_posting_chapters_too_fast_is_slowed_down(author, author_client, limits):
    limits("chapter", "1/h")
    story = make_story(author=author)
    data = {"title": "", "notes": "", "end_notes": "", "body": "More words.", "action": "post"}
    author_client.post(f"/works/{story.pk}/chapters/new", data)

    assert_slowed_down(author_client.post(f"/works/{story.pk}/chapters/new", data))
    assert Chapter.objects.filter(story=story).count() == 2


def test_a_chapter_refused_for_posting_too_fast_comes_back_to_copy(author, author_client, limits):
    limits("chapter", "1/h")
    story = make_story(author=author)
    first = {"title": "", "notes": "", "end_notes": "", "body": "More words.", "action": "post"}
    author_client.post(f"/works/{story.pk}/chapters/new", first)
    text = "第二章。" * 2_000 + "\r\n\r\nThe <em>second</em> paragraph & its ending."
    refused = {**first, "title": "Chapter Two", "notes": "With thanks to my beta.", "body": text}

    response = author_client.post(f"/works/{story.pk}/chapters/new", refused)

    assert_slowed_down(response)
    page = response.content.decode()
    assert "Nothing was saved this time" in page
    boxes = [
        html.unescape(box).removeprefix("\n")
        for box in re.findall(r"<textarea[^>]*readonly[^>]*>(.*?)</textarea>", page, re.S)
    ]
    assert text in boxes
    assert "With thanks to my beta." in boxes
    assert "Chapter Two" in boxes


def test_a_comment_refused_for_posting_too_fast_comes_back_to_copy(author, reader_client, limits):
    limits("comment", "1/m")
    story = make_story(author=author, comment_permission="everyone")
    address = f"/works/{story.pk}/chapters/{story.chapters.get().pk}/comments"
    reader_client.post(address, {"body": "First!"})

    response = reader_client.post(address, {"body": "A long comment I took care over, & meant."})

    assert_slowed_down(response)
    assert "A long comment I took care over, &amp; meant." in response.content.decode()


def test_a_limit_must_be_named_in_settings():
    with pytest.raises(ImproperlyConfigured, match="no-such-limit"):
        rate_limit("no-such-limit")
