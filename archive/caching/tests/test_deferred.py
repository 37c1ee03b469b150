"""What a page keeps for later readers is written in one round trip once it is answered
(archive/caching/deferred.py), and is exactly what it was when kept."""

import logging
import socket

import pytest
from django.core.cache import cache, caches
from django.test import Client

from archive.accounts.tests.factories import UserFactory, logged_in
from archive.bookmarks.services import create_bookmark
from archive.caching import deferred
from archive.stories.tests.factories import make_story

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.allowed_to_skip(reason="needs the Redis server production uses (REDIS_URL, or 127.0.0.1:6379)"),
]

# What a chapter's first visit keeps for the readers after it: the page, the work's index and the
# fragments every reader shares.
KEPT = (b"page:", b"reading:", b"work-meta:", b"kudos:")


def _keeps(trip: bytes) -> set[bytes]:
    return {prefix for prefix in KEPT if b"SET\r\n" in trip and b":" + prefix in trip}  # SET, MSET


def test_a_first_visit_keeps_its_page_index_and_fragments_in_one_round_trip(author, redis_cache, redis_round_trips):
    story = make_story(author=author, title="The Orchard", chapters=2)
    url = story.chapters.order_by("position").last().get_absolute_url()

    assert Client().get(url).status_code == 200

    keeping = [trip for trip in redis_round_trips if _keeps(trip)]
    assert len(keeping) == 1
    assert _keeps(keeping[0]) == set(KEPT)
    assert keeping[0] is redis_round_trips[-1]  # sent once the page was made


def test_what_the_first_visit_kept_serves_the_next_reader(author, redis_cache, django_assert_num_queries):
    story = make_story(author=author, title="The Orchard", chapters=2)
    url = story.chapters.order_by("position").last().get_absolute_url()
    Client().get(url)

    with django_assert_num_queries(0):
        again = Client().get(url)

    assert "The Orchard" in again.content.decode()


def test_on_redis_a_readers_copy_kept_by_one_reader_serves_another_with_their_own_parts(
    author, redis_cache, django_assert_max_num_queries
):
    story = make_story(author=author, title="The Orchard", chapters=2)
    ann, bea = UserFactory(username="ann"), UserFactory(username="bea")
    create_bookmark(user=ann, story=story, note="Ann's note on it.")
    url = story.chapters.order_by("position").last().get_absolute_url()
    anns, beas = logged_in(ann), logged_in(bea)

    assert "You bookmarked this work" in anns.get(url).content.decode()  # keeps the copy
    beas.get(story.get_absolute_url())  # Bea's account and session kept by another page
    with django_assert_max_num_queries(1):  # her place moves: no render, her state kept
        page = beas.get(url).content.decode()

    assert "Log out bea" in page and "Log out ann" not in page
    assert "You bookmarked" not in page and "Ann&#x27;s note on it." not in page


def test_a_kept_value_is_what_it_was_when_kept(redis_cache):
    shelf = ["The Orchard"]
    with deferred.batched():
        deferred.keep({"shelf": shelf}, 60)
        shelf.append("changed after it was kept")
        assert cache.get("shelf") is None  # not written yet
        assert deferred.pending(["shelf", "elsewhere"]) == {"shelf": ["The Orchard"]}

    assert cache.get("shelf") == ["The Orchard"]


def test_outside_a_request_it_is_written_at_once(redis_cache):
    deferred.keep({"shelf": ["The Orchard"]}, 60)

    assert cache.get("shelf") == ["The Orchard"]
    assert deferred.pending(["shelf"]) == {}


def test_a_cache_that_is_down_loses_what_was_kept_and_says_so(settings, caplog):
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    settings.CACHES = {
        "default": {"BACKEND": "archive.caching.redis.RedisCache", "LOCATION": f"redis://127.0.0.1:{port}/0"}
    }
    assert "127.0.0.1" in str(caches["default"]._servers)

    with caplog.at_level(logging.ERROR, logger="archive.caching.deferred"), deferred.batched():
        deferred.keep({"shelf": ["The Orchard"]}, 60)

    assert "could not keep 1 cache entries" in caplog.text
