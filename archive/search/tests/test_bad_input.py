"""Whatever a reader types into a search, the answer is a page (with a message where it helps),
never a server error: dates at the end of the calendar, numbers past any column, and more words
than a query can hold."""

from urllib.parse import urlencode

import pytest

from archive.core.tests.pages import found
from archive.stories.tests.factories import make_story

pytestmark = pytest.mark.django_db


def field_errors(response, name: str) -> list[str]:
    return list(response.context["form"].errors.get(name, []))


@pytest.mark.parametrize("field", ["updated_from", "updated_to"])
@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "1899-12-31", "3000-01-01"])
def test_a_date_outside_any_works_life_gets_a_message_next_to_the_field(client, field, value):
    make_story(title="Somewhere in Time")

    response = client.get("/works/search", {field: value})

    assert response.status_code == 200
    assert field_errors(response, field) == ["Enter a date between 1900-01-01 and 2999-12-31."]


@pytest.mark.parametrize("value", ["0000-00-00", "2024-02-30", "yesterday", "2024-13-01", "-1"])
def test_a_date_that_is_no_date_gets_a_message_next_to_the_field(client, value):
    response = client.get("/works/search", {"updated_to": value})

    assert response.status_code == 200
    assert field_errors(response, "updated_to") == ["Enter a valid date."]


def test_the_last_day_allowed_still_finds_works(client):
    story = make_story(title="Timeless")

    assert found(client.get("/works/search", {"updated_from": "1900-01-01", "updated_to": "2999-12-31"})) == {story.pk}


@pytest.mark.parametrize("field", ["words_from", "words_to"])
@pytest.mark.parametrize("value", [str(2**63), "1" + "0" * 30])
def test_a_word_count_past_any_work_gets_a_message_next_to_the_field(client, field, value):
    response = client.get("/works/search", {field: value})

    assert response.status_code == 200
    assert field_errors(response, field) == ["Ensure this value is less than or equal to 1000000000."]


@pytest.mark.parametrize("count", [250, 1_000, 5_000])
@pytest.mark.parametrize("path", ["/opds/search", "/works/search"])
def test_hundreds_of_words_are_searched_for_the_first_few_and_answer(client, path, count):
    story = make_story(title="w0 w1 w2")
    text = " ".join(f"w{number % 3}" for number in range(count))

    for params in ({"q": text}, {"q": text, "sort": "best"}, {"title": text}):
        response = client.get(f"{path}?{urlencode(params)}")

        assert response.status_code == 200, (path, params.keys())
    assert story.title.encode() in client.get(f"/opds/search?{urlencode({'q': text})}").content
