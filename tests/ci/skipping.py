"""Tests that skip, one for each way a skip can come about, for test_no_skips_under_ci.py to run
under CI=true. The name is not test_*.py, so the suite itself never collects them."""

import pytest


def test_a_skip_in_the_test():
    pytest.skip("the checker isn't installed")


@pytest.mark.skipif(True, reason="the checker isn't installed")
def test_a_skipif_marker():
    pass


@pytest.fixture
def checker():
    pytest.skip("the checker isn't installed")


def test_a_skip_in_a_fixture(checker):
    pass


@pytest.mark.allowed_to_skip(reason="it skips by design")
def test_a_skip_allowed_with_a_reason():
    pytest.skip("by design")


@pytest.mark.allowed_to_skip
def test_a_skip_allowed_without_a_reason():
    pytest.skip("by design")


@pytest.mark.postgres_only
def test_a_postgres_only_skip():
    pytest.skip("needs PostgreSQL")


@pytest.mark.xfail(reason="a known bug", strict=True)
def test_an_expected_failure():
    raise AssertionError("still broken")
