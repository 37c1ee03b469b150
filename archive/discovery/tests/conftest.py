import pytest

from archive.accounts.tests.factories import UserFactory


@pytest.fixture
def wrangler(db):
    return UserFactory(username="wrangler", is_staff=True)
