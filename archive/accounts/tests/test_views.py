import re

import pytest
from django.contrib.auth import SESSION_KEY

from archive.accounts.models import User
from archive.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


NEW_PASSWORD = "correct-horse-battery-staple-42"


def signup(client, **overrides):
    data = {
        "username": "newfan",
        "email": "newfan@example.org",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        **overrides,
    }
    return client.post("/users/signup", data, follow=True)


def logged_in_username(client) -> str | None:
    user_id = client.session.get(SESSION_KEY)
    return User.objects.get(pk=user_id).username if user_id else None


def test_the_signup_page_renders_our_form(client):
    response = client.get("/users/signup")

    assert response.status_code == 200
    assert "accounts/signup.html" in [template.name for template in response.templates]
    assert "base.html" in [template.name for template in response.templates]
    content = response.content.decode()
    assert "Create an account" in content
    for name in ("username", "email", "password1", "password2"):
        assert f'name="{name}"' in content


def test_signing_up_creates_the_account_logs_the_user_in_and_lands_on_the_dashboard(client):
    response = signup(client)

    assert response.redirect_chain == [("/dashboard", 302)]
    assert response.status_code == 200
    user = User.objects.get(username="newfan")
    assert user.email == "newfan@example.org"
    assert user.check_password(NEW_PASSWORD)
    assert logged_in_username(client) == "newfan"
    content = response.content.decode()
    assert "Your dashboard" in content
    assert "Welcome, newfan!" in content
    assert "Log out newfan" in content


def test_signing_up_with_mismatched_passwords_shows_an_error_and_creates_nobody(client):
    response = signup(client, password2="something-else-entirely-99")

    assert response.redirect_chain == []
    assert response.status_code == 200
    assert "Please fix the problems marked below" in response.content.decode()
    assert "password2" in response.context["form"].errors
    assert not User.objects.filter(username="newfan").exists()
    assert logged_in_username(client) is None


def test_signing_up_with_a_taken_username_whatever_its_case_is_refused(client):
    UserFactory(username="taken")

    response = signup(client, username="TAKEN")

    assert response.status_code == 200
    assert "username" in response.context["form"].errors
    assert User.objects.filter(username__iexact="taken").count() == 1


USERNAME_RULE = "Use 3 to 40 letters (A–Z), digits and underscores"


@pytest.mark.parametrize(
    "username",
    [
        pytest.param("\u0430lice", id="cyrillic-a"),
        pytest.param("ålice", id="accented"),
        pytest.param("alice-smith", id="hyphen"),
        pytest.param("alice.smith", id="dot"),
        pytest.param("alice smith", id="space"),
        pytest.param("al", id="too-short"),
        pytest.param("a" * 41, id="too-long"),
        pytest.param("_alice", id="leading-underscore"),
        pytest.param("alice_", id="trailing-underscore"),
        pytest.param("alice\u200b", id="zero-width-space"),
    ],
)
def test_a_username_outside_letters_digits_and_underscores_is_refused_next_to_the_field(client, username):
    UserFactory(username="alice")

    response = signup(client, username=username)

    assert response.status_code == 200
    content = response.content.decode()
    error = re.search(r'<ul class="errorlist" id="id_username_error">(.*?)</ul>', content, re.S)
    assert error and USERNAME_RULE in error[1]
    assert User.objects.count() == 1


@pytest.mark.parametrize("username", ["abc", "Alice_99", "9lives", "a" * 40, "snake_case_name"])
def test_a_username_of_letters_digits_and_underscores_is_accepted(client, username):
    response = signup(client, username=username)

    assert response.redirect_chain == [("/dashboard", 302)]
    assert User.objects.filter(username=username).exists()


def test_the_sign_up_form_says_what_a_username_may_hold(client):
    assert USERNAME_RULE in client.get("/users/signup").content.decode()


def test_a_logged_in_user_visiting_signup_is_sent_to_the_dashboard(reader_client):
    response = reader_client.get("/users/signup")

    assert response.status_code == 302
    assert response["Location"] == "/dashboard"


def test_the_login_page_renders_our_template(client):
    response = client.get("/users/login")

    assert response.status_code == 200
    assert "accounts/login.html" in [template.name for template in response.templates]
    content = response.content.decode()
    assert "<h1>Log in</h1>" in content
    assert 'name="username"' in content
    assert 'name="password"' in content


def test_logging_in_lands_on_the_dashboard(client):
    UserFactory(username="fan")

    response = client.post("/users/login", {"username": "fan", "password": PASSWORD}, follow=True)

    assert response.redirect_chain == [("/dashboard", 302)]
    assert logged_in_username(client) == "fan"
    assert "Your dashboard" in response.content.decode()


def test_logging_in_follows_next_back_to_the_page_the_reader_came_from(client):
    UserFactory(username="fan")

    response = client.post("/users/login", {"username": "fan", "password": PASSWORD, "next": "/works/search"})

    assert response.status_code == 302
    assert response["Location"] == "/works/search"


def test_logging_in_finds_the_account_whatever_the_case_of_the_name_typed(client):
    UserFactory(username="QuillFeather")

    response = client.post("/users/login", {"username": "quillfeather", "password": PASSWORD}, follow=True)

    assert response.redirect_chain == [("/dashboard", 302)]
    assert logged_in_username(client) == "QuillFeather"


def test_a_name_in_another_case_with_a_wrong_password_is_still_refused(client):
    UserFactory(username="QuillFeather")

    response = client.post("/users/login", {"username": "QUILLFEATHER", "password": "not-the-password"})

    assert "That username and password don't match" in response.content.decode()
    assert logged_in_username(client) is None


def test_two_accounts_whose_names_differ_only_in_case_each_log_in_by_their_exact_name(client):
    """Names taken before they were unique in any case: the exact name decides."""
    UserFactory(username="ann")
    User.objects.filter(pk=UserFactory(username="other").pk).update(username="Ann")

    client.post("/users/login", {"username": "Ann", "password": PASSWORD})
    assert logged_in_username(client) == "Ann"
    client.post("/users/logout")
    client.post("/users/login", {"username": "ann", "password": PASSWORD})
    assert logged_in_username(client) == "ann"


def test_logging_in_with_a_wrong_password_shows_an_error(client):
    UserFactory(username="fan")

    response = client.post("/users/login", {"username": "fan", "password": "not-the-password"})

    assert response.status_code == 200
    assert "That username and password don't match" in response.content.decode()
    assert logged_in_username(client) is None


def test_logging_out_with_a_post_logs_the_user_out_and_goes_home(reader_client):
    response = reader_client.post("/users/logout", follow=True)

    assert response.redirect_chain == [("/", 302)]
    assert logged_in_username(reader_client) is None
    content = response.content.decode()
    assert "Log in" in content
    assert "Log out" not in content


def test_logging_out_is_not_possible_with_a_get(reader_client):
    response = reader_client.get("/users/logout")

    assert response.status_code == 405
    assert logged_in_username(reader_client) == "reader"


def test_pages_show_a_log_out_button_to_logged_in_users_and_log_in_links_to_others(client, reader_client):
    anonymous = client.get("/").content.decode()
    logged_in = reader_client.get("/").content.decode()

    assert 'href="/users/login?next=/"' in anonymous
    assert 'href="/users/signup"' in anonymous
    assert 'action="/users/logout"' in logged_in
    assert "Log out reader" in logged_in


def test_an_unknown_page_renders_our_404_template(client):
    response = client.get("/no/such/page")

    assert response.status_code == 404
    assert "We couldn't find that page" in response.content.decode()


def test_a_too_common_password_is_reported_under_the_password_and_the_cursor_goes_there(client):
    response = signup(client, password1="password123", password2="password123")

    form = response.context["form"]
    assert "This password is too common." in form.errors["password1"]
    assert "password2" not in form.errors
    page = response.content.decode()

    def attributes(name: str) -> str:  # what follows the field's name in its <input> tag
        return page.split(f'name="{name}"')[1].split(">")[0]

    assert "autofocus" in attributes("password1")
    assert "autofocus" not in attributes("username")
