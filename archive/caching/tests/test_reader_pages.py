"""The readers' copy of shared pages (archive/caching/middleware.py, reader_parts.py): one kept
copy per page for every logged-in reader, with each reader's own parts filled in as it is served.

Whoever built the copy, each reader sees their own name, inbox, subscription, bookmark, place and
comment controls, never another's; an author, a commenter awaiting approval and a reader who has
not agreed to adult content get the page made for them.
"""

import pytest
from django.test import Client

from archive.accounts.tests.factories import UserFactory, logged_in
from archive.bookmarks.services import create_bookmark
from archive.comments.services import post_comment
from archive.history.models import Reading
from archive.hits.services import flush_hits, pending_hits
from archive.notifications.services import subscribe
from archive.stories.choices import Rating
from archive.stories.tests.factories import make_story

pytestmark = pytest.mark.django_db


def text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def story(author):
    return make_story(author=author, title="The Orchard", chapters=2)


@pytest.fixture
def ann(db):
    return UserFactory(username="ann")


@pytest.fixture
def bea(db):
    return UserFactory(username="bea")


def test_each_reader_sees_their_own_parts_on_a_page_another_reader_built(story, ann, bea):
    create_bookmark(user=ann, story=story, note="Ann's note on it.", tags=["anns-tag"])
    subscribe(user=ann, story=story)
    chapter = story.chapters.order_by("position").first()
    post_comment(chapter=chapter, user=ann, body="Ann's comment.")
    post_comment(chapter=chapter, user=bea, body="Bea's comment.")
    url = story.get_absolute_url()

    anns = text(logged_in(ann).get(url))  # builds the copy
    beas = text(logged_in(bea).get(url))  # served from it

    assert "Log out ann" in anns and "Log out bea" not in anns
    assert "Log out bea" in beas and "Log out ann" not in beas
    assert "Ann&#x27;s note on it." in anns and "anns-tag" in anns and "You bookmarked this work" in anns
    assert "Ann&#x27;s note on it." not in beas and "anns-tag" not in beas and "You bookmarked" not in beas
    assert "Unsubscribe" in anns and "Unsubscribe" not in beas
    # Each reader may edit and delete only their own comment.
    for mine, theirs, page in ((ann, bea, anns), (bea, ann, beas)):
        own, other = story.comments.get(user=mine).pk, story.comments.get(user=theirs).pk
        assert f"/comments/{own}/edit" in page and f"/comments/{own}/delete" in page
        assert f"/comments/{other}/edit" not in page and f"/comments/{other}/delete" not in page


def test_the_copy_is_kept_and_a_readers_own_change_shows_on_their_next_page(story, ann, bea):
    url = story.get_absolute_url()
    text(logged_in(ann).get(url))
    bea_client = logged_in(bea)
    assert "Unsubscribe" not in text(bea_client.get(url))

    subscribe(user=bea, story=story)  # the reader's own state: it changes no page's version

    assert "Unsubscribe" in text(bea_client.get(url))


def test_an_author_gets_their_own_controls_and_readers_never_see_them(story, author, ann):
    url = story.get_absolute_url()
    text(logged_in(ann).get(url))

    authors = text(logged_in(author).get(url))
    anns = text(logged_in(ann).get(url))

    assert "Edit work" in authors and "Add chapter" in authors
    assert "Edit work" not in anns and "Add chapter" not in anns


def test_a_comment_awaiting_approval_is_seen_by_its_writer_alone(author, ann, bea):
    story = make_story(author=author, moderate_comments=True)
    url = story.get_absolute_url()
    chapter = story.chapters.get()
    post_comment(chapter=chapter, user=ann, body="Held until approved.")

    assert "Held until approved." not in text(logged_in(bea).get(url))  # builds the copy
    assert "Held until approved." in text(logged_in(ann).get(url))
    assert "Held until approved." not in text(logged_in(bea).get(url))


def test_a_reader_who_has_not_agreed_to_adult_content_is_asked_whoever_built_the_copy(author, ann, bea):
    story = make_story(author=author, rating=Rating.EXPLICIT, title="Pomegranate Seeds")
    url = story.get_absolute_url()
    ann_client = logged_in(ann)
    assert "Pomegranate Seeds" in text(ann_client.get(f"{url}?view_adult=true"))
    assert "adult content" not in text(ann_client.get(url)).lower()  # the copy, for Ann who agreed

    bea_client = logged_in(bea)
    assert "adult content" in text(bea_client.get(url)).lower()
    assert "adult content" not in text(bea_client.get(f"{url}?view_adult=true")).lower()
    assert "adult content" not in text(bea_client.get(url)).lower()


def test_a_reader_served_from_the_copy_counts_a_hit_and_moves_their_place(story, ann, bea):
    second = story.chapters.order_by("position")[1]
    text(logged_in(ann).get(second.get_absolute_url()))
    before = pending_hits(story.pk)

    text(logged_in(bea).get(second.get_absolute_url()))

    assert pending_hits(story.pk) == before + 1
    assert Reading.objects.get(user=bea, story=story).chapter_id == second.pk
    assert "Continue reading: Chapter 2" in text(logged_in(bea).get(story.get_absolute_url()))


def test_the_readers_copy_shows_the_flushed_hits_without_being_rendered_again(
    settings, story, ann, bea, django_assert_max_num_queries
):
    settings.HITS_FLUSH_IN_PROCESS = False
    url = story.get_absolute_url()
    assert '<dd class="hits">0</dd>' in text(logged_in(ann).get(url))
    bea_client = logged_in(bea)
    text(bea_client.get(url))

    flush_hits()

    with django_assert_max_num_queries(3):  # Bea's session, user and own parts: no page render
        page = text(bea_client.get(url))
    assert '<dd class="hits">2</dd>' in page
    assert "<!--hits:" not in page


def test_a_readers_form_carries_their_own_token_and_works(story, ann, bea):
    url = story.get_absolute_url()
    text(logged_in(ann).get(url))
    bea_client = Client(enforce_csrf_checks=True)
    bea_client.force_login(bea)
    page = text(bea_client.get(url))
    assert "sharedpagecsrftokenplaceholder" not in page
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]

    answer = bea_client.post(f"/works/{story.pk}/kudos", {"csrfmiddlewaretoken": token})

    assert answer.status_code in (200, 302)
    assert story.kudos.filter(user=bea).exists()


def test_a_readers_page_is_private_with_an_etag_and_a_304(story, ann):
    client = logged_in(ann)
    first = client.get(story.get_absolute_url())
    assert "private" in first["Cache-Control"]
    second = client.get(story.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code in (200, 304)  # the page holds a fresh CSRF token each time
    assert "private" in second["Cache-Control"]


def test_a_waiting_message_is_shown_not_a_kept_copy(story, ann):
    client = logged_in(ann)
    text(client.get(story.get_absolute_url()))

    client.post(f"/works/{story.pk}/bookmark", {"note": "Saved.", "tags": "", "next": story.get_absolute_url()})

    assert "bookmark" in text(client.get(story.get_absolute_url())).lower()


@pytest.mark.parametrize("page", ["work", "chapter", "entire", "front", "author"])
def test_a_readers_page_from_the_copy_costs_a_fixed_few_queries(page, story, ann, bea, django_assert_max_num_queries):
    create_bookmark(user=bea, story=story, note="", tags=["a", "b"])
    subscribe(user=bea, story=story)
    urls = {
        "work": story.get_absolute_url(),
        "chapter": story.chapters.order_by("position")[1].get_absolute_url(),
        "entire": f"{story.get_absolute_url()}?view_full_work=true",
        "front": "/",
        "author": f"/users/{story.authors.get().username}/works",
    }
    text(logged_in(ann).get(urls[page]))
    client = logged_in(bea)
    text(client.get(urls[page]))

    # The user with their unread count; on a work's pages, the bookmark with its tags, the reading
    # lists and the subscription to the work (one query), elsewhere the subscription alone. The
    # session and the reader's place (after a first read) come from the cache.
    with django_assert_max_num_queries(2):
        text(client.get(urls[page]))
