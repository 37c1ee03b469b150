"""A reader saves a search (from the search page or a tag page), finds it at /saved_searches,
runs it again with one click, renames it and deletes it; nobody else sees or touches it."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from archive.accounts.tests.factories import UserFactory
from archive.search.models import SavedSearch
from archive.search.services import MAX_SAVED_SEARCHES, save_search
from archive.stories.tests.factories import make_story
from archive.tags.models import Tag

pytestmark = pytest.mark.django_db

SEARCH = {"characters": "Persephone", "q": "pomegranate"}


@pytest.fixture
def works(author):
    make_story(author=author, title="Seeds of Pomegranate", characters=["Persephone"])
    make_story(author=author, title="Winter", characters=["Hades"])


def search_url(params: dict) -> str:
    return reverse("search:works") + "?" + urlencode(params)


def save(client, **data):
    return client.post(reverse("search:saved_create"), {"alerts": "on", **data}, follow=True)


def test_the_search_page_offers_to_save_the_search_to_readers_only(works, reader_client, client):
    page = reader_client.get(search_url(SEARCH))

    assert "Save this search" in page.text
    assert 'name="query" value="characters=Persephone&amp;q=pomegranate"' in page.text
    assert "Save this search" not in client.get(search_url(SEARCH)).text


def test_saving_from_the_search_page_lists_it_and_run_again_shows_the_results(works, reader_client, reader):
    response = save(reader_client, name="Persephone stories", query="q=pomegranate&characters=Persephone")

    assert "Your search “Persephone stories” was saved." in response.text
    saved = SavedSearch.objects.get(user=reader)
    assert saved.query == "characters=Persephone&q=pomegranate"
    assert saved.alerts and saved.tag is None
    run_again = saved.get_absolute_url()
    assert f'href="{run_again.replace("&", "&amp;")}"' in response.text
    results = reader_client.get(run_again)
    assert "Seeds of Pomegranate" in results.text and "Winter" not in results.text


def test_saving_from_a_tag_page_runs_that_tag_page_again_with_its_filters(works, reader_client, reader):
    tag = Tag.objects.named("Persephone").get()
    page = reader_client.get(tag.get_absolute_url() + "?sort=title")
    assert "Save this search" in page.text and 'name="tag" value="Persephone"' in page.text

    save(reader_client, name="All of Persephone", query="sort=title", tag="Persephone")

    saved = SavedSearch.objects.get(user=reader)
    assert saved.tag == tag
    assert saved.get_absolute_url() == tag.get_absolute_url() + "?sort=title"
    assert "Seeds of Pomegranate" in reader_client.get(saved.get_absolute_url()).text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "   ", "query": "q=pomegranate"}, "Give the search a name."),
        ({"name": "Nothing", "query": "sort=title"}, "There is nothing to save: search for something first."),
        ({"name": "Gone", "query": "", "tag": "No Such Tag"}, "That tag no longer exists"),
    ],
)
def test_a_search_that_cant_be_saved_says_why_and_keeps_what_was_typed(data, message, works, reader_client):
    response = save(reader_client, **data)

    assert response.status_code == 200
    assert message in response.text
    assert f'value="{data["query"]}"' in response.text.replace("&amp;", "&") or not data["query"]
    if data["name"].strip():
        assert f'value="{data["name"]}"' in response.text
    assert not SavedSearch.objects.exists()


def test_a_reader_can_keep_only_so_many_saved_searches(works, reader_client, reader):
    SavedSearch.objects.bulk_create(
        SavedSearch(user=reader, name=f"Search {n}", query="q=x") for n in range(MAX_SAVED_SEARCHES)
    )

    response = save(reader_client, name="One more", query="q=pomegranate")

    assert "the most there can be" in response.text
    assert 'value="One more"' in response.text
    assert SavedSearch.objects.filter(user=reader).count() == MAX_SAVED_SEARCHES


def test_renaming_and_turning_alerts_off(works, reader_client, reader):
    saved = save_search(user=reader, name="Old name", query="q=pomegranate")

    form = reader_client.get(reverse("search:saved_edit", args=[saved.pk]))
    assert 'value="Old name"' in form.text
    bad = reader_client.post(reverse("search:saved_edit", args=[saved.pk]), {"name": ""})
    assert "Give the search a name." in bad.text
    response = reader_client.post(reverse("search:saved_edit", args=[saved.pk]), {"name": "New name"}, follow=True)

    assert "Your saved search “New name” was updated." in response.text
    saved.refresh_from_db()
    assert (saved.name, saved.alerts, saved.query) == ("New name", False, "q=pomegranate")
    assert "Alerts off" in response.text


def test_deleting_asks_first(works, reader_client, reader):
    saved = save_search(user=reader, name="Doomed", query="q=pomegranate")

    confirm = reader_client.get(reverse("search:saved_delete", args=[saved.pk]))
    assert "Delete your saved search “Doomed”?" in confirm.text
    assert SavedSearch.objects.exists()

    response = reader_client.post(reverse("search:saved_delete", args=[saved.pk]), follow=True)
    assert "was deleted" in response.text
    assert not SavedSearch.objects.exists()


def test_only_the_owner_sees_and_changes_a_saved_search(works, reader, client):
    saved = save_search(user=reader, name="Private wishes", query="q=pomegranate")
    other = UserFactory(username="other")
    client.force_login(other)

    assert "Private wishes" not in client.get(reverse("search:saved")).text
    assert client.get(reverse("search:saved_edit", args=[saved.pk])).status_code == 404
    assert client.post(reverse("search:saved_edit", args=[saved.pk]), {"name": "Mine"}).status_code == 404
    assert client.post(reverse("search:saved_delete", args=[saved.pk])).status_code == 404
    saved.refresh_from_db()
    assert saved.name == "Private wishes"


def test_guests_are_sent_to_log_in(client):
    response = client.get(reverse("search:saved"))

    assert response.status_code == 302 and "login" in response["Location"]


def test_the_list_costs_the_same_queries_however_many_searches(
    works, reader_client, reader, django_assert_max_num_queries
):
    for n in range(3):
        save_search(user=reader, name=f"Search {n}", query="q=pomegranate")
    with django_assert_max_num_queries(4) as few:
        reader_client.get(reverse("search:saved"))
    for n in range(20):
        save_search(user=reader, name=f"More {n}", query="characters=Persephone", tag=Tag.objects.named("Hades").get())
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = reader_client.get(reverse("search:saved"))
    assert page.text.count('class="saved-search"') == 23
