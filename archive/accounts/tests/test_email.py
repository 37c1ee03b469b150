"""E-mail addresses: confirmed by a link at sign-up, changed at /users/<name>/change_email only
when the link sent to the new address is followed (the old one is told), and notifications
e-mailed only to a confirmed address; the preferences page says what is missing."""

import re

import pytest
from django.db import transaction
from django.test import Client

from archive.accounts.models import User
from archive.accounts.tests.factories import PASSWORD, UserFactory, logged_in
from archive.notifications.services import subscribe
from archive.stories.tests.factories import make_story

pytestmark = pytest.mark.django_db

URL = "/users/ann/change_email"


@pytest.fixture
def ann(db):
    return UserFactory(username="ann", email="ann@example.org")


@pytest.fixture
def mails(mailoutbox, monkeypatch):
    """The outbox, with what waits for the commit done at once: each test runs in one transaction
    that never commits, and the e-mails are sent on commit."""
    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())
    return mailoutbox


def link_in(message) -> str:
    path = re.search(r"http://127\.0\.0\.1:8000(/users/confirm_email/\S+)", message.body).group(1)
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and f'href="http://127.0.0.1:8000{path}"' in html
    return path


def confirm(client, path: str):
    return client.post(path, follow=True)


def test_sign_up_mails_a_link_that_confirms_the_address(client, mails):
    data = {"username": "newfan", "email": "newfan@example.org"}
    response = client.post(
        "/users/signup", {**data, "password1": "correct-horse-99x", "password2": "correct-horse-99x"}, follow=True
    )
    assert "We&#x27;ve e-mailed newfan@example.org a link to confirm it" in response.content.decode()
    user = User.objects.get(username="newfan")
    assert not user.email_verified
    [message] = mails
    assert message.to == ["newfan@example.org"] and "Confirm your e-mail address" in message.subject

    page = client.get(link_in(message))
    assert "Make <strong>newfan@example.org</strong> your account" in page.content.decode()
    assert not User.objects.get(pk=user.pk).email_verified  # opening the link confirms nothing
    done = confirm(client, link_in(message))

    assert "newfan@example.org is confirmed" in done.content.decode()
    assert User.objects.get(pk=user.pk).email_verified
    assert "This link no longer works" in client.get(link_in(message)).content.decode()  # once only


def test_the_preferences_page_says_an_address_is_unconfirmed_and_resends_the_link(ann, mails):
    User.objects.filter(pk=ann.pk).update(email_verified=False)
    client = logged_in(ann)
    page = client.get("/preferences").content.decode()
    assert "isn't confirmed yet, so nothing is e-mailed to you" in page
    assert 'action="/users/ann/confirm_email/resend"' in page

    response = client.post("/users/ann/confirm_email/resend", follow=True)

    assert "We&#x27;ve sent a new confirmation link to ann@example.org" in response.content.decode()
    [message] = mails
    assert message.to == ["ann@example.org"]
    confirm(Client(), link_in(message))  # from the mail app's browser, not logged in
    assert "ann@example.org</strong> (confirmed)" in client.get("/preferences").content.decode()


def test_the_preferences_page_says_when_there_is_no_address(ann):
    User.objects.filter(pk=ann.pk).update(email="", email_verified=False)

    page = logged_in(ann).get("/preferences").content.decode()

    assert "Your account has no e-mail address" in page
    assert 'href="/users/ann/change_email"' in page


def test_changing_the_address_asks_the_password_and_waits_for_the_link(ann, mails):
    client = logged_in(ann)
    assert 'name="password"' in client.get(URL).content.decode()

    response = client.post(URL, {"email": "ann@new.example", "password": PASSWORD}, follow=True)

    assert "We&#x27;ve sent a link to ann@new.example" in response.content.decode()
    assert User.objects.get(pk=ann.pk).email == "ann@example.org"  # not yet
    [message] = mails
    assert message.to == ["ann@new.example"]
    assert "Your old address stays in use until you confirm this one" in message.body

    confirm(client, link_in(message))

    ann.refresh_from_db()
    assert (ann.email, ann.email_verified) == ("ann@new.example", True)
    told = mails[1]
    assert told.to == ["ann@example.org"]
    assert "changed from ann@example.org to ann@new.example" in told.body
    assert "ann@new.example" in told.alternatives[0][0]


def test_a_wrong_password_or_a_bad_address_is_reported_next_to_its_field(ann, mails):
    client = logged_in(ann)

    wrong = client.post(URL, {"email": "ann@new.example", "password": "not-it"})
    bad = client.post(URL, {"email": "not an address", "password": PASSWORD})
    same = client.post(URL, {"email": "ANN@example.org", "password": PASSWORD})

    assert "That isn&#x27;t your password." in wrong.content.decode() and "id_password_error" in wrong.content.decode()
    assert "email" in bad.context["form"].errors
    assert "That is your address already." in same.content.decode()
    assert mails == []


def test_a_confirmation_link_works_once(ann, mails):
    client = logged_in(ann)
    client.post(URL, {"email": "ann@new.example", "password": PASSWORD})
    link = link_in(mails[0])
    confirm(client, link)

    again = client.get(link)
    posted = client.post(link)

    assert again.status_code == posted.status_code == 400
    assert "This link no longer works" in again.content.decode()


def test_an_older_link_dies_when_the_address_changes_another_way(ann, mails):
    client = logged_in(ann)
    client.post(URL, {"email": "first@new.example", "password": PASSWORD})
    client.post(URL, {"email": "second@new.example", "password": PASSWORD})
    first, second = (link_in(message) for message in mails)
    confirm(client, second)

    assert client.post(first).status_code == 400
    assert User.objects.get(pk=ann.pk).email == "second@new.example"


def test_a_forged_or_expired_link_confirms_nothing(ann, mails, settings, monkeypatch):
    client = logged_in(ann)
    client.post(URL, {"email": "ann@new.example", "password": PASSWORD})
    link = link_in(mails[0])

    assert client.post(link[:-3] + "abc").status_code == 400
    monkeypatch.setattr("archive.accounts.services.CONFIRMATION_SECONDS", -1)
    assert client.post(link).status_code == 400
    assert User.objects.get(pk=ann.pk).email == "ann@example.org"


def test_nobody_else_reaches_the_page_or_resends(ann, mails):
    bea = logged_in(UserFactory(username="bea"))

    assert bea.get(URL).status_code == 404
    assert bea.post(URL, {"email": "bea@evil.example", "password": PASSWORD}).status_code == 404
    assert bea.post("/users/ann/confirm_email/resend").status_code == 404
    assert Client().get(URL).status_code == 302
    assert mails == []


def test_notifications_are_e_mailed_only_to_a_confirmed_address(author, mails):
    confirmed = UserFactory(username="confirmed")
    unconfirmed = UserFactory(username="unconfirmed", email_verified=False)
    for reader in (confirmed, unconfirmed):
        subscribe(user=reader, author=author)

    make_story(author=author, title="Persephone Returns")

    assert [message.to for message in mails] == [["confirmed@example.org"]]
    assert unconfirmed.notifications.count() == 1  # the inbox still has it
    message = mails[0]
    assert "Persephone Returns" in message.body
    html, mimetype = message.alternatives[0]
    assert (
        mimetype == "text/html" and "Persephone Returns" in html and 'href="http://127.0.0.1:8000/preferences"' in html
    )


def test_existing_addresses_are_marked_confirmed_by_the_migration():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("archive.accounts.migrations.0003_user_email_verified")
    with_address = UserFactory(username="old_hand", email_verified=False)
    without = UserFactory(username="no_mail", email="", email_verified=False)

    migration.trust_existing_addresses(apps, None)

    assert User.objects.get(pk=with_address.pk).email_verified
    assert not User.objects.get(pk=without.pk).email_verified


def test_an_account_named_confirm_email_still_reaches_its_own_pages():
    client = logged_in(UserFactory(username="confirm_email"))

    assert "Change e-mail address" in client.get("/users/confirm_email/change_email").content.decode()
    assert client.get("/users/confirm_email/delete").status_code == 200
