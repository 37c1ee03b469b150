"""Works shown only to registered users: invisible to logged-out readers everywhere."""

import pytest
from django.urls import reverse

from archive.core.tests.pages import listed_ids
from archive.stories.models import Story
from archive.stories.tests.factories import make_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def restricted(author) -> Story:
    return make_story(author=author, title="Members Only", characters=["Persephone"], restricted=True)


@pytest.fixture
def open_work(author) -> Story:
    return make_story(author=author, title="For Everyone", characters=["Persephone"])


def _listing_urls(author) -> list[str]:
    return [
        reverse("stories:home"),
        reverse("stories:tag_works", args=["Persephone"]),
        reverse("stories:tag_works", args=["Greek Mythology"]),
        reverse("stories:by_author", args=[author.username]),
        reverse("search:works") + "?characters=Persephone",
        reverse("search:works") + "?query=Members",
    ]


def test_logged_out_readers_never_find_a_restricted_work_in_a_list(client, author, restricted, open_work):
    for url in _listing_urls(author):
        response = client.get(url)
        assert response.status_code == 200, url
        assert restricted.pk not in listed_ids(response), url
        assert "Members Only" not in response.content.decode(), url


def test_registered_readers_find_a_restricted_work_in_every_list(reader_client, author, restricted, open_work):
    for url in _listing_urls(author)[:-1]:
        assert restricted.pk in listed_ids(reader_client.get(url)), url


def test_a_tag_pages_total_leaves_out_restricted_works_for_logged_out_readers(client, author, restricted, open_work):
    page = client.get(reverse("stories:tag_works", args=["Persephone"])).content.decode()
    assert "1 Work" in page or "1 work" in page


def test_a_restricted_works_pages_are_a_404_with_a_log_in_prompt_when_logged_out(client, restricted):
    chapter = restricted.chapters.get()
    for url in [
        restricted.get_absolute_url(),
        reverse("chapters:detail", args=[restricted.pk, chapter.pk]),
        reverse("chapters:navigate", args=[restricted.pk]),
        restricted.get_absolute_url() + "?view_full_work=true",
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "only shown to registered users" in response.content.decode()
        assert reverse("accounts:login") + "?next=" in response.content.decode()


def test_a_registered_reader_reads_a_restricted_work(reader_client, restricted):
    response = reader_client.get(restricted.get_absolute_url())
    assert response.status_code == 200
    assert "Members Only" in response.content.decode()


def test_feeds_opds_and_downloads_leave_out_restricted_works(client, reader_client, author, restricted, open_work):
    feeds = [
        reverse("stories:tag_feed", args=["Persephone"]),
        reverse("stories:author_feed", args=[author.username]),
        reverse("opds:new"),
    ]
    for url in feeds:
        content = client.get(url).content.decode()
        assert "For Everyone" in content, url
        assert "Members Only" not in content, url
    assert client.get(reverse("chapters:feed", args=[restricted.pk])).status_code == 404
    epub = reverse("downloads:epub", args=[restricted.pk, "members-only"])
    assert client.get(epub).status_code == 404
    assert reader_client.get(epub).status_code == 200


def test_an_author_restricts_a_work_from_its_edit_form_and_lifts_it_again(author_client, client, open_work):
    from archive.stories.tests.factories import work_form_data

    edit = reverse("stories:edit", args=[open_work.pk])
    data = work_form_data(title="For Everyone", characters="Persephone", comment_permission="registered")
    response = author_client.post(edit, {**data, "restricted": "on"})
    assert response.status_code == 302
    assert client.get(open_work.get_absolute_url()).status_code == 404
    assert open_work.pk not in listed_ids(client.get(reverse("stories:home")))

    author_client.post(edit, data)
    assert client.get(open_work.get_absolute_url()).status_code == 200
    assert open_work.pk in listed_ids(client.get(reverse("stories:home")))


def test_tag_use_counts_leave_out_restricted_works_and_follow_the_setting(author_client, author, open_work):
    from archive.publishing.services import update_story
    from archive.tags.models import Tag

    def uses() -> int:
        return Tag.objects.get(name="Persephone").use_count

    assert uses() == 1
    restricted = make_story(author=author, title="Members Only", characters=["Persephone"], restricted=True)
    assert uses() == 1
    tags = {"fandom": ["Greek Mythology"], "character": ["Persephone"], "relationship": [], "freeform": []}
    update_story(story=restricted, fields={"restricted": False}, tags_by_kind=tags)
    assert uses() == 2
    update_story(story=restricted, fields={"restricted": True}, tags_by_kind=tags)
    assert uses() == 1
    from archive.publishing.services import delete_story

    delete_story(story=Story.objects.get(pk=restricted.pk))
    assert uses() == 1
