"""The archive's log-in backend (archive/accounts/backends.py): the same users and answers as
Django's, with the logged-in user loaded by one plain query."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, authenticate
from django.test import Client

from archive.accounts.backends import ArchiveModelBackend
from archive.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_it_loads_the_user_with_every_field_as_the_orm_would(reader):
    loaded = ArchiveModelBackend().get_user(reader.pk)

    assert loaded == reader
    for field in type(reader)._meta.concrete_fields:
        assert getattr(loaded, field.attname) == getattr(type(reader).objects.get(pk=reader.pk), field.attname)


def test_an_inactive_or_missing_user_is_nobody(reader):
    reader.is_active = False
    reader.save()

    assert ArchiveModelBackend().get_user(reader.pk) is None
    assert ArchiveModelBackend().get_user(reader.pk + 1000) is None


def test_a_wrong_password_is_checked_once_and_refused(django_assert_max_num_queries):
    UserFactory(username="wren")

    with django_assert_max_num_queries(1):  # one look-up: Django's backend after ours is not asked
        assert authenticate(username="wren", password="wrong") is None
    assert authenticate(username="wren", password=PASSWORD).username == "wren"


def test_a_session_begun_by_djangos_own_backend_stays_logged_in(reader):
    client = Client()
    client.force_login(reader, backend="django.contrib.auth.backends.ModelBackend")
    assert client.session[BACKEND_SESSION_KEY] == "django.contrib.auth.backends.ModelBackend"

    assert f"Log out {reader.username}" in client.get("/").content.decode()
