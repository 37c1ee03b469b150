"""A NUL character (%00) anywhere a visitor can type never reaches the database.

PostgreSQL text can't hold a NUL and refuses a query with one (a DataError, a 500). Paths refuse
it in their converters (test_converters.py); forms refuse it next to the field (Django's
CharField); this covers what views read without a form: query parameters, cookies, and the few
POST fields read directly.
"""

import pytest
from django.conf import settings
from django.test import Client

from archive.accounts.tests.factories import UserFactory
from archive.stories.tests.factories import make_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client() -> Client:
    client = Client()
    client.force_login(UserFactory(username="wrangler", is_staff=True))
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/fandoms?letter=%00",
        "/fandoms?letter=a%00",
        "/?page=%00",
        "/users/wrangler/bookmarks?tag=%00&bookmark_tag=a%00b&q=%00",
        "/works/search?q=a%00b&title=%00&author=a%00&fandoms=%00&sort=%00",
        "/tags/Persephone/works?include=1%00&sort=%00&rating=%00",
        "/wrangling/?kind=%00",
        "/inbox?show=%00",
        "/opds/search?q=%00",
        "/autocomplete/tags?q=a%00&kind=%00",
        "/works/search?%00=1",
    ],
)
def test_a_nul_in_a_query_parameter_is_dropped(staff_client, url):
    make_story(fandoms=["Ancient Greece"], characters=["Persephone"])

    assert staff_client.get(url).status_code == 200


def test_the_query_parameters_a_view_reads_have_no_nul_left(rf):
    from archive.core.middleware import NoNulMiddleware

    seen = {}

    def view(request):
        seen.update(request.GET.lists())
        return None

    NoNulMiddleware(view)(rf.get("/fandoms?letter=A%00&x%00=1&x=2"))

    assert seen == {"letter": ["A"], "x": ["1", "2"]}


def test_a_session_cookie_with_a_nul_is_treated_as_no_session(client):
    client.cookies[settings.SESSION_COOKIE_NAME] = "abcdefgh\x00ijklmnop"

    response = client.get("/")

    assert response.status_code == 200
    assert b"Log in" in response.content


def test_blocking_a_username_with_a_nul_says_there_is_no_such_user(author_client):
    response = author_client.post("/comments/blocked", {"username": "a\x00b"})

    assert response.status_code == 400
    assert "Null characters are not allowed." in response.content.decode()
