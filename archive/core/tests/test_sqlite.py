"""SQLite, the quickstart database, with more than one writer: both wait their turn and succeed.

A request that reads and then writes (most of them) used to fail with "database is locked" when
another wrote at the same moment: SQLite's default transactions take the write lock only at the
first write, and two readers can't both upgrade. config/settings.py starts every transaction
with the write lock (IMMEDIATE), runs in WAL mode (readers never wait for the writer) and gives
a writer time to wait. These tests commit for real, from threads with their own connections.
"""

import threading
import time

import pytest
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection, connections, transaction

from archive.stories.models import Story
from archive.stories.tests.factories import make_story
from archive.tags.models import Tag

pytestmark = pytest.mark.django_db(transaction=True)


def sqlite_only(test):
    """About SQLite's own settings: nothing to check on PostgreSQL, even under CI=true."""
    reason = "about SQLite's own settings"
    return pytest.mark.allowed_to_skip(reason=reason)(
        pytest.mark.skipif(connection.vendor != "sqlite", reason=reason)(test)
    )


def _at_once(count: int, work) -> list[object]:
    barrier = threading.Barrier(count, timeout=10)
    results: list[object] = [None] * count

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = work(index)
        except Exception as error:  # noqa: BLE001 - handed back to the test
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_writers_that_read_first_both_succeed():
    def read_then_write(index: int) -> Tag:
        with transaction.atomic():
            seen = Tag.objects.count()
            time.sleep(0.2)  # both are inside their transactions, having read, before either writes
            return Tag.objects.create(name=f"Writer {index} saw {seen}", kind=Tag.Kind.FREEFORM)

    results = _at_once(2, read_then_write)

    assert all(isinstance(result, Tag) for result in results), results
    assert Tag.objects.count() == 2


def test_many_writers_at_once_all_succeed():
    def write(index: int) -> Tag:
        return Tag.objects.create(name=f"Tag {index}", kind=Tag.Kind.FREEFORM)

    results = _at_once(8, write)

    assert all(isinstance(result, Tag) for result in results), results


@sqlite_only
def test_sqlite_runs_in_wal_mode_and_waits_for_a_busy_writer():
    with connection.cursor() as cursor:
        journal_mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
        busy_timeout = cursor.execute("PRAGMA busy_timeout").fetchone()[0]

    assert journal_mode == "wal"
    assert busy_timeout >= 5_000
    assert connection.transaction_mode == "IMMEDIATE"


@sqlite_only
@pytest.mark.django_db
def test_works_from_before_sqlite_had_search_documents_get_them_at_the_next_migrate(client):
    story = make_story(title="The Lighthouse Keeper")
    Story.objects.filter(pk=story.pk).update(search_vector=None)
    assert b"The Lighthouse Keeper" not in client.get("/works/search", {"q": "lighthouse"}).content

    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")

    assert b"The Lighthouse Keeper" in client.get("/works/search", {"q": "lighthouse"}).content
