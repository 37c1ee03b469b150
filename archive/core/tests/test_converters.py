"""Numbers and names in URL paths: anything no row could have is a 404 before any view runs.

Every route is walked: an id past a bigint (2^63) or a name holding a NUL must not reach the
database, where the first overflows SQLite's integers and the second is refused by PostgreSQL.
"""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from archive.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
TOO_BIG = str(2**63)


def _routes(patterns=None, prefix: str = "") -> list[str]:
    routes = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if not route.startswith("admin/"):
                routes.extend(_routes(pattern.url_patterns, route))
        elif isinstance(pattern, URLPattern):
            routes.append(route)
    return routes


def _with_params(route: str, *, number: str, text: str) -> str:
    def fill(match: re.Match) -> str:
        return number if match["converter"] == "id" else text

    return "/" + _PARAM.sub(fill, route)


def _converters(route: str) -> set[str]:
    return {match["converter"] or "str" for match in _PARAM.finditer(route)}


ROUTES = _routes()
WITH_IDS = [route for route in ROUTES if "id" in _converters(route)]
WITH_NAMES = [route for route in ROUTES if "text" in _converters(route)]


def test_every_path_parameter_uses_one_of_the_archives_converters():
    """Django's own `int` and `str` let 2^63 and NUL through to the database."""
    loose = [route for route in ROUTES if _converters(route) - {"id", "text", "tag"}]

    assert not loose, f"use <id:...>, <text:...> or <tag:...> in these routes: {loose}"
    assert WITH_IDS and WITH_NAMES


@pytest.fixture
def staff_client() -> Client:
    client = Client()
    client.force_login(UserFactory(username="someone", is_staff=True))
    return client


@pytest.mark.parametrize("route", WITH_IDS)
def test_an_id_too_big_for_the_database_is_a_404(staff_client, route):
    url = _with_params(route, number=TOO_BIG, text="someone")

    assert staff_client.get(url).status_code == 404, url
    assert staff_client.post(url).status_code == 404, url


@pytest.mark.parametrize("route", WITH_NAMES)
def test_a_name_with_a_nul_is_a_404(staff_client, route):
    url = _with_params(route, number="1", text="some%00one")

    assert staff_client.get(url).status_code == 404, url
    assert staff_client.post(url).status_code == 404, url


def test_the_largest_id_the_database_holds_is_still_looked_up(staff_client):
    assert staff_client.get(f"/works/{2**63 - 1}").status_code == 404
    assert staff_client.get("/works/0000000000000000000001").status_code == 404
