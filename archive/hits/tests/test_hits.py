"""Hits: once per visitor per work per UTC day, counted in the cache and flushed to the database."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from archive.accounts.tests.factories import UserFactory
from archive.hits import services
from archive.hits.services import FLUSH_THRESHOLD, flush_hits, pending_hits
from archive.stories.models import Story
from archive.stories.tests.factories import make_story

pytestmark = pytest.mark.django_db

GUEST_IP = "203.0.113.77"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"
NOON = datetime(2026, 3, 14, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _cron_flushes(settings, monkeypatch):
    """As in production: nothing flushes but `flush_hits`, and the clock stands at noon."""
    settings.HITS_FLUSH_IN_PROCESS = False
    monkeypatch.setattr(services, "clock", lambda: NOON)


def set_clock(monkeypatch, moment: datetime) -> None:
    monkeypatch.setattr(services, "clock", lambda: moment)


def guest(ip: str = GUEST_IP, agent: str = FIREFOX) -> Client:
    return Client(REMOTE_ADDR=ip, HTTP_USER_AGENT=agent)


@pytest.fixture
def story(author) -> Story:
    return make_story(author=author, title="The Pomegranate Seeds", chapters=3)


def hits(story: Story) -> int:
    """What the work shows once the pending hits are flushed."""
    flush_hits()
    story.refresh_from_db()
    return story.hit_count


def chapter_url(story: Story, number: int) -> str:
    return story.chapters.get(position=number).get_absolute_url()


def test_a_guest_reading_a_work_all_day_counts_once(story):
    visitor = guest()

    visitor.get(story.get_absolute_url())
    visitor.get(chapter_url(story, 2))
    visitor.get(chapter_url(story, 3))
    visitor.get(f"{story.get_absolute_url()}?view_full_work=true")

    assert hits(story) == 1


def test_another_guest_counts_again(story):
    guest().get(story.get_absolute_url())
    guest(ip="198.51.100.4").get(story.get_absolute_url())
    guest(agent="Another browser").get(story.get_absolute_url())

    assert hits(story) == 3


def test_the_same_guest_counts_again_the_next_day(story, monkeypatch):
    visitor = guest()
    visitor.get(story.get_absolute_url())
    set_clock(monkeypatch, NOON + timedelta(hours=11, minutes=59))  # 23:59 the same UTC day
    visitor.get(story.get_absolute_url())
    assert hits(story) == 1

    set_clock(monkeypatch, NOON + timedelta(hours=12, minutes=1))  # 00:01 the next day
    visitor.get(story.get_absolute_url())

    assert hits(story) == 2


def test_a_logged_in_reader_counts_once_whatever_their_address(story, reader_client, reader):
    reader_client.get(story.get_absolute_url(), REMOTE_ADDR="198.51.100.1")
    reader_client.get(chapter_url(story, 2), REMOTE_ADDR="198.51.100.2")
    other_browser = Client()
    other_browser.force_login(reader)
    other_browser.get(story.get_absolute_url())

    assert hits(story) == 1


def test_authors_reading_their_own_work_never_count(story, author_client):
    author_client.get(story.get_absolute_url())
    author_client.get(chapter_url(story, 2))

    assert hits(story) == 0


def test_a_coauthor_never_counts_either(story):
    coauthor = UserFactory(username="coauthor")
    story.authors.add(coauthor)
    client = Client()
    client.force_login(coauthor)

    client.get(story.get_absolute_url())

    assert hits(story) == 0


def test_a_draft_never_counts(author, author_client):
    draft = make_story(author=author, post=False)

    author_client.get(draft.get_absolute_url())

    assert hits(draft) == 0


def test_a_head_request_is_not_a_hit(story):
    guest().head(story.get_absolute_url())

    assert hits(story) == 0


def test_the_adult_content_warning_is_not_a_hit(author):
    story = make_story(author=author, rating="explicit")
    visitor = guest()

    warning = visitor.get(story.get_absolute_url())
    assert hits(story) == 0
    visitor.get(f"{story.get_absolute_url()}?view_adult=true")

    assert "adult content" in warning.content.decode().lower()
    assert hits(story) == 1


@pytest.mark.usefixtures("page_cache_off")  # measures rendering, not the shared page cache
def test_a_repeat_view_costs_the_same_queries_as_the_first_and_neither_writes(story, django_assert_num_queries):
    guest().get(story.get_absolute_url())  # warm per-process caches (content types, templates)
    visitor = guest(ip="198.51.100.9")
    with CaptureQueriesContext(connection) as first:
        visitor.get(story.get_absolute_url())

    with django_assert_num_queries(len(first.captured_queries)) as again:
        visitor.get(story.get_absolute_url())

    statements = [query["sql"].split()[0] for query in first.captured_queries + again.captured_queries]
    assert set(statements) == {"SELECT"}
    assert pending_hits(story.pk) == 2


def test_counting_a_hit_costs_no_query(story, rf, django_assert_num_queries):
    request = rf.get(story.get_absolute_url(), REMOTE_ADDR=GUEST_IP)
    request.user = AnonymousUser()
    story = Story.objects.for_reading().get(pk=story.pk)  # as the views fetch it, authors and all

    with django_assert_num_queries(0):
        assert services.count_hit(request, story) is True
        assert services.count_hit(request, story) is False


def test_the_work_page_shows_the_flushed_hits(story):
    guest().get(story.get_absolute_url())
    guest(ip="198.51.100.4").get(story.get_absolute_url())
    assert '<dd class="hits">0</dd>' in guest(ip="198.51.100.4").get(story.get_absolute_url()).content.decode()

    call_command("flush_hits", verbosity=0)

    page = guest(ip="198.51.100.5").get(story.get_absolute_url()).content.decode()
    assert '<dd class="hits">2</dd>' in page


def test_flush_hits_moves_every_pending_count_in_one_update(author, django_assert_num_queries):
    stories = [make_story(author=author, title=f"Work {n}") for n in range(5)]
    for number, story in enumerate(stories):
        for visitor in range(number + 1):
            guest(ip=f"198.51.100.{visitor}").get(story.get_absolute_url())

    with django_assert_num_queries(1):
        moved = flush_hits()

    assert moved == 1 + 2 + 3 + 4 + 5
    assert [story.hit_count for story in Story.objects.filter(pk__in=[s.pk for s in stories]).order_by("pk")] == [
        1,
        2,
        3,
        4,
        5,
    ]
    assert all(pending_hits(story.pk) == 0 for story in stories)


def test_flushing_twice_never_counts_a_hit_twice(story):
    guest().get(story.get_absolute_url())
    flush_hits()

    assert flush_hits() == 0
    story.refresh_from_db()
    assert story.hit_count == 1


def test_a_hit_counted_after_a_flush_waits_for_the_next_one(story):
    guest().get(story.get_absolute_url())
    flush_hits()
    guest(ip="198.51.100.4").get(story.get_absolute_url())

    assert pending_hits(story.pk) == 1
    assert hits(story) == 2


def test_flush_hits_with_nothing_pending_writes_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert flush_hits() == 0


def test_the_command_says_how_many_hits_it_moved(story, capsys):
    guest().get(story.get_absolute_url())

    call_command("flush_hits")

    assert capsys.readouterr().out.strip() == "Moved 1 hit."


def test_a_deleted_work_s_pending_hits_are_dropped_quietly(story):
    guest().get(story.get_absolute_url())
    Story.objects.filter(pk=story.pk).delete()

    assert flush_hits() == 1  # taken off the cache; no row left to add them to


def test_no_raw_address_is_kept_in_the_cache_or_the_database(story, reader_client):
    guest().get(story.get_absolute_url())
    guest().get(chapter_url(story, 2))
    flush_hits()

    keys = list(caches[DEFAULT_CACHE_ALIAS]._cache.keys())
    assert any(":hits:seen:" in key for key in keys)
    assert not any(GUEST_IP in key for key in keys)
    assert not any(GUEST_IP in str(value) for value in caches[DEFAULT_CACHE_ALIAS]._cache.values())
    assert not any(GUEST_IP in str(row) for row in Story.objects.values_list())


def test_behind_a_proxy_the_forwarded_address_tells_guests_apart(story, settings):
    settings.BEHIND_PROXY = True
    guest(ip="10.0.0.1").get(story.get_absolute_url(), HTTP_X_FORWARDED_FOR="203.0.113.1")
    guest(ip="10.0.0.1").get(story.get_absolute_url(), HTTP_X_FORWARDED_FOR="203.0.113.2")
    guest(ip="10.0.0.1").get(story.get_absolute_url(), HTTP_X_FORWARDED_FOR="203.0.113.2")

    assert hits(story) == 2


# With the local-memory cache each process flushes its own counts.


def test_a_process_with_a_local_cache_flushes_once_its_pending_hits_pass_the_threshold(story, settings):
    settings.HITS_FLUSH_IN_PROCESS = True
    for number in range(FLUSH_THRESHOLD - 1):
        guest(ip=f"198.51.{number // 250}.{number % 250}").get(story.get_absolute_url())
    story.refresh_from_db()
    assert story.hit_count == 0

    guest(ip="203.0.113.250").get(story.get_absolute_url())

    story.refresh_from_db()
    assert story.hit_count == FLUSH_THRESHOLD


def test_a_process_with_a_local_cache_flushes_a_minute_after_its_first_pending_hit(story, settings, monkeypatch):
    settings.HITS_FLUSH_IN_PROCESS = True
    guest().get(story.get_absolute_url())
    set_clock(monkeypatch, NOON + timedelta(seconds=59))
    guest().get(story.get_absolute_url())
    story.refresh_from_db()
    assert story.hit_count == 0

    set_clock(monkeypatch, NOON + timedelta(seconds=61))
    guest().get(story.get_absolute_url())  # the same visitor: not a hit, but the flush is due

    story.refresh_from_db()
    assert story.hit_count == 1


def test_the_local_memory_cache_flushes_in_process_unless_told_otherwise(settings):
    del settings.HITS_FLUSH_IN_PROCESS

    assert services._flushes_in_process() is True


# On Redis, as in production: the pending count and the dirty set in one pipeline.


@pytest.mark.allowed_to_skip(reason="needs the Redis server production uses (REDIS_URL, or 127.0.0.1:6379)")
def test_on_redis_each_visitor_counts_once_and_the_flush_empties_the_dirty_set(story, redis_cache):
    for address in ("198.51.100.1", "198.51.100.2", "198.51.100.2"):
        guest(ip=address).get(story.get_absolute_url())
    other = make_story(author=story.authors.get(), title="Another")
    guest().get(other.get_absolute_url())
    assert pending_hits(story.pk) == 2
    assert redis_cache.smembers(caches[DEFAULT_CACHE_ALIAS].make_and_validate_key(services.DIRTY_SET)) == {
        str(story.pk).encode(),
        str(other.pk).encode(),
    }

    assert flush_hits() == 3
    assert flush_hits() == 0

    assert Story.objects.get(pk=story.pk).hit_count == 2
    assert pending_hits(story.pk) == 0
    assert not redis_cache.exists(caches[DEFAULT_CACHE_ALIAS].make_and_validate_key(services.DIRTY_SET))


@pytest.mark.allowed_to_skip(reason="needs the Redis server production uses (REDIS_URL, or 127.0.0.1:6379)")
def test_on_redis_a_failed_flush_loses_no_hit(story, redis_cache, monkeypatch):
    guest().get(story.get_absolute_url())

    def broken(counts):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "_add_to_hit_counts", broken)
    with pytest.raises(RuntimeError):
        flush_hits()
    monkeypatch.undo()
    monkeypatch.setattr(services, "clock", lambda: NOON)

    assert flush_hits() == 1
    assert Story.objects.get(pk=story.pk).hit_count == 1


@pytest.mark.allowed_to_skip(reason="needs the Redis server production uses (REDIS_URL, or 127.0.0.1:6379)")
def test_on_redis_a_first_view_is_marked_and_counted_in_one_round_trip(story, redis_cache, redis_round_trips):
    visitor = guest(ip="198.51.100.7")
    visitor.get(story.get_absolute_url())
    counting = [trip for trip in redis_round_trips if b"hits:seen:" in trip or b"hits:pending:" in trip]

    assert len(counting) == 1
    assert b"hits:seen:" in counting[0] and b"hits:pending:" in counting[0]
    assert pending_hits(story.pk) == 1

    visitor.get(story.chapters.order_by("position").last().get_absolute_url())  # the same visitor, the same day
    guest(ip="198.51.100.8").get(story.get_absolute_url())

    assert pending_hits(story.pk) == 2
    assert flush_hits() == 2
    assert Story.objects.get(pk=story.pk).hit_count == 2
