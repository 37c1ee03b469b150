import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client

from archive.accounts.tests.factories import UserFactory


def pytest_collection_modifyitems(config, items):
    """`@pytest.mark.postgres_only(reason=...)` skips a test, saying why, when the tests run on SQLite.

    Only for what truly needs PostgreSQL: everything the archive does runs on both databases.
    A skip is not a failure, so a CI run of the suite on SQLite passes with these skipped.
    """
    if django_settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        return
    for item in items:
        if marker := item.get_closest_marker("postgres_only"):
            reason = marker.kwargs.get("reason") or (marker.args[0] if marker.args else "")
            item.add_marker(pytest.mark.skip(reason=f"PostgreSQL only: {reason}"))


@pytest.fixture(autouse=True)
def _fast_and_collectstatic_free(settings):
    """Tests need neither collectstatic's manifest nor a slow password hash."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache, so rate-limit counts never carry over between tests."""
    cache.clear()


@pytest.fixture
def author(db):
    return UserFactory(username="author")


@pytest.fixture
def reader(db):
    return UserFactory(username="reader")


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def author_client(author) -> Client:
    """A client logged in as `author`; independent of `client` and `reader_client`."""
    return _logged_in(author)


@pytest.fixture
def reader_client(reader) -> Client:
    return _logged_in(reader)
