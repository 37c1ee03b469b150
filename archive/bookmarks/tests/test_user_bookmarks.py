"""/users/<name>/bookmarks: public bookmarks for everyone, all of them for their owner, only of
works the viewer may see, with filters by the work's tags, the bookmarker's tags and note text."""

import pytest
from django.test import Client

from archive.accounts.tests.factories import UserFactory
from archive.bookmarks.tests.factories import make_bookmark
from archive.core.pagination import PER_PAGE
from archive.core.tests.pages import listed_ids
from archive.publishing.services import delete_story
from archive.stories.tests.factories import make_story

pytestmark = pytest.mark.django_db

URL = "/users/reader/bookmarks"


def test_others_see_only_public_bookmarks_and_the_owner_sees_all(reader, reader_client, client, author_client):
    public = make_story(title="Out Loud")
    private = make_story(title="Quietly")
    make_bookmark(user=reader, story=public)
    make_bookmark(user=reader, story=private, note="Hush.", private=True)

    assert listed_ids(client.get(URL)) == [public.pk]
    assert listed_ids(author_client.get(URL)) == [public.pk]
    owner_page = reader_client.get(URL)
    assert listed_ids(owner_page) == [private.pk, public.pk]
    assert "Private" in owner_page.content.decode()
    assert "Hush." not in client.get(URL).content.decode()


def test_a_restricted_work_bookmarked_publicly_is_hidden_from_logged_out_viewers(reader, client, author_client):
    restricted = make_story(title="Members Only", restricted=True)
    open_work = make_story(title="For Everyone")
    make_bookmark(user=reader, story=restricted)
    make_bookmark(user=reader, story=open_work)

    assert listed_ids(client.get(URL)) == [open_work.pk]
    assert "Members Only" not in client.get(URL).content.decode()
    assert listed_ids(author_client.get(URL)) == [open_work.pk, restricted.pk]


def test_a_deleted_work_leaves_the_list(reader, client):
    story = make_story()
    make_bookmark(user=reader, story=story)

    delete_story(story=story)

    assert listed_ids(client.get(URL)) == []


def test_an_unknown_reader_is_a_404(client):
    assert client.get("/users/nobody/bookmarks").status_code == 404


def test_an_empty_list_says_so(reader, client, reader_client):
    assert "reader has no public bookmarks yet." in client.get(URL).content.decode()
    assert "You haven't bookmarked any works yet." in reader_client.get(URL).content.decode()


def test_bookmarks_filter_by_the_works_fandom_character_or_relationship(reader, client):
    hades = make_story(fandoms=["Greek Mythology"], relationships=["Hades/Persephone"], characters=["Persephone"])
    odin = make_story(fandoms=["Norse Mythology"], characters=["Odin"])
    for story in (hades, odin):
        make_bookmark(user=reader, story=story)

    assert listed_ids(client.get(URL, {"tag": "greek mythology"})) == [hades.pk]
    assert listed_ids(client.get(URL, {"tag": "Persephone/Hades"})) == [hades.pk]
    assert listed_ids(client.get(URL, {"tag": "Odin"})) == [odin.pk]
    missing = client.get(URL, {"tag": "Nobody At All"})
    assert listed_ids(missing) == []
    assert "There is no tag called “Nobody At All”." in missing.content.decode()


def test_bookmarks_filter_by_the_bookmarkers_own_tags_whatever_their_case(reader, client):
    reread = make_story()
    other = make_story()
    make_bookmark(user=reader, story=reread, tags=["Reread", "winter"])
    make_bookmark(user=reader, story=other, tags=["summer"])
    make_bookmark(user=UserFactory(), story=other, tags=["reread"])

    assert listed_ids(client.get(URL, {"bookmark_tag": "reread"})) == [reread.pk]
    assert listed_ids(client.get(URL, {"bookmark_tag": "SUMMER"})) == [other.pk]
    assert "No bookmarks match these filters." in client.get(URL, {"bookmark_tag": "autumn"}).content.decode()


def test_the_sidebar_lists_the_bookmarkers_tags_but_not_those_of_private_bookmarks(reader, client, reader_client):
    make_bookmark(user=reader, tags=["reread", "winter"])
    make_bookmark(user=reader, tags=["Reread"])
    make_bookmark(user=reader, tags=["secret crush"], private=True)

    page = client.get(URL).content.decode()

    assert "?bookmark_tag=Reread" in page or "?bookmark_tag=reread" in page
    assert "(2)" in page
    assert "secret crush" not in page
    assert "secret crush" in reader_client.get(URL).content.decode()


def test_bookmarks_filter_by_note_text(reader, client):
    found = make_bookmark(user=reader, note="Read this on the train, cried.")
    make_bookmark(user=reader, note="Fine.")

    assert listed_ids(client.get(URL, {"q": "TRAIN"})) == [found.story_id]


def test_bookmarks_list_newest_first_and_page(reader, client):
    stories = [make_story(title=f"Work {number}") for number in range(PER_PAGE + 1)]
    for story in stories:
        make_bookmark(user=reader, story=story)

    first = client.get(URL)
    second = client.get(URL, {"page": 2})

    assert listed_ids(first) == [story.pk for story in reversed(stories)][:PER_PAGE]
    assert listed_ids(second) == [stories[0].pk]
    assert "of 21 bookmarks" in first.content.decode()


def test_the_nav_links_a_logged_in_reader_to_their_bookmarks(reader_client, client):
    assert 'href="/users/reader/bookmarks">Bookmarks</a>' in reader_client.get("/").content.decode()
    assert 'href="/users/reader/bookmarks"' not in client.get("/").content.decode()


@pytest.mark.parametrize("who", ["owner", "guest"])
def test_a_bookmark_list_costs_the_same_queries_however_many_bookmarks(who, reader, django_assert_max_num_queries):
    viewer = Client()
    if who == "owner":
        viewer.force_login(reader)
    make_bookmark(user=reader, story=make_story(characters=["Persephone"]), tags=["a"])
    params = {"tag": "Persephone"} if who == "guest" else {}
    viewer.get(URL, params)  # warm per-process caches
    with django_assert_max_num_queries(20) as few:
        viewer.get(URL, params)
    budget = len(few)  # (read before another request clears the log)
    for number in range(6):
        story = make_story(characters=[f"Character {number}"], relationships=[f"A{number}/B{number}"])
        story.authors.add(UserFactory())
        make_bookmark(user=reader, story=story, tags=["a", f"tag {number}"], note=f"Note {number}")
        make_bookmark(user=reader, story=make_story(), private=number % 2 == 0)
    if who == "owner":  # new bookmarks moved the reader's account version: its row is read again
        viewer.get(URL, params)

    with django_assert_max_num_queries(budget):
        response = viewer.get(URL, params)

    assert len(listed_ids(response)) == (1 if who == "guest" else 13)
    with django_assert_max_num_queries(budget):
        assert len(listed_ids(viewer.get(URL, {"bookmark_tag": "a"}))) == 7
