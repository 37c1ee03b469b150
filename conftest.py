import pytest
from django.test import Client

from archive.accounts.tests.factories import UserFactory


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
