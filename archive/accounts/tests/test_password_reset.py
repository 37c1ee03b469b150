"""Forgotten password at /users/password/new: by e-mail address or username, the same answer
whether or not an account matched, a link that works once, a new-password form, rate-limited."""

import re

import pytest
from django.core import mail
from django.test import Client, TestCase

from archive.accounts.models import User
from archive.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-passphrase-77"


@pytest.fixture
def carol(db):
    return UserFactory(username="carol", email="carol@example.org")


def ask(client, identifier: str):
    # The e-mail is sent by a job queued once the request's work commits.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post("/users/password/new", {"email": identifier}, follow=True)


def link_in(message) -> str:
    return re.search(r"http://[^/\s]+(/users/password/edit/\S+)", message.body).group(1)


def test_the_log_in_page_links_to_the_forgotten_password_page(client):
    assert 'href="/users/password/new"' in client.get("/users/login").content.decode()


def test_the_forgotten_password_page_asks_for_an_address_or_a_username(client):
    response = client.get("/users/password/new")

    assert response.status_code == 200
    assert "accounts/password_reset_form.html" in [t.name for t in response.templates]
    assert "E-mail address or username" in response.content.decode()


@pytest.mark.parametrize("identifier", ["carol@example.org", "CAROL@example.org", "carol", "Carol"])
def test_asking_by_address_or_username_mails_a_link_in_text_and_html(client, carol, identifier):
    response = ask(client, identifier)

    assert response.redirect_chain == [("/users/password/sent", 302)]
    assert "Check your e-mail" in response.content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["carol@example.org"]
    assert "Reset your password" in message.subject
    assert link_in(message) in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="http://127.0.0.1:8000{link_in(message)}"' in html


def test_an_unknown_address_or_name_gets_the_same_answer_and_no_mail(client, carol):
    known = ask(client, "carol")
    unknown = ask(Client(), "nobody@example.org")

    assert unknown.redirect_chain == known.redirect_chain
    assert unknown.content == known.content
    assert len(mail.outbox) == 1  # carol's only


def test_the_link_opens_a_new_password_form_that_sets_it_and_logs_every_session_out(client, carol):
    elsewhere = Client()
    elsewhere.force_login(carol)
    ask(client, "carol")
    link = link_in(mail.outbox[0])

    form = client.get(link, follow=True)
    assert form.status_code == 200
    assert "Choose a new password" in form.content.decode()
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert done.status_code == 302 and done["Location"] == "/users/password/changed"
    assert "Your password is changed" in client.get(done["Location"]).content.decode()
    carol.refresh_from_db()
    assert carol.check_password(NEW_PASSWORD)
    assert "Log out carol" not in elsewhere.get("/").content.decode()
    assert Client().login(username="carol", password=NEW_PASSWORD)


def test_the_link_works_only_once(client, carol):
    ask(client, "carol")
    link = link_in(mail.outbox[0])
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    again = Client().get(link, follow=True)

    assert "This link no longer works" in again.content.decode()
    assert 'name="new_password1"' not in again.content.decode()


def test_the_link_expires(client, carol, settings):
    ask(client, "carol")
    link = link_in(mail.outbox[0])
    settings.PASSWORD_RESET_TIMEOUT = -1

    assert "This link no longer works" in Client().get(link, follow=True).content.decode()


def test_a_weak_or_mismatched_new_password_is_reported_next_to_its_field(client, carol):
    ask(client, "carol")
    form_url = client.get(link_in(mail.outbox[0]), follow=True).redirect_chain[-1][0]

    weak = client.post(form_url, {"new_password1": "password", "new_password2": "password"})
    mismatched = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"})

    assert weak.status_code == 200
    assert "This password is too common." in str(weak.context["form"].errors["new_password1"])
    assert "didn’t match" in str(mismatched.context["form"].errors["new_password2"])
    assert "id_new_password1_error" in weak.content.decode()
    assert User.objects.get(pk=carol.pk).check_password(PASSWORD)


def test_asking_again_and_again_is_slowed_down(client, carol, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "password_reset_account": "2/h"}
    ask(client, "carol")
    ask(Client(REMOTE_ADDR="198.51.100.7"), "CAROL")

    response = Client(REMOTE_ADDR="203.0.113.9").post("/users/password/new", {"email": "Carol"})

    assert response.status_code == 429
    assert len(mail.outbox) == 2


def test_one_address_asking_about_many_accounts_is_slowed_down(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "password_reset": "3/h"}
    for n in range(3):
        assert ask(client, f"someone{n}").status_code == 200

    assert client.post("/users/password/new", {"email": "someone-else"}).status_code == 429
