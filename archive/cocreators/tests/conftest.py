"""The two users every co-creator test invites between."""

import pytest

from archive.accounts.tests.factories import UserFactory


@pytest.fixture
def ann():
    return UserFactory(username="ann")


@pytest.fixture
def bea():
    return UserFactory(username="bea")
