"""Read replicas: a web request reads from a replica, writes go to the primary, a visitor who just
wrote reads from the primary, and a replica that is down or behind is left out.

The "replica" here is a second connection to the test database (a replica is the primary's very
rows), so what is checked is where each query goes."""

import time

import pytest
from django.db import OperationalError, connections
from django.test.utils import CaptureQueriesContext

from archive.core import replicas
from archive.stories.models import Story
from archive.stories.tests.factories import make_story

REPLICA = "replica1"


# A second connection to the test database, as a replica is to its primary (a test mirror). Added
# before the test databases are set up, so that Django points it at the test database.
connections.settings.setdefault(REPLICA, {**connections.settings["default"], "TEST": {"MIRROR": "default"}})
pytestmark = [
    pytest.mark.django_db(transaction=True, databases=["default", REPLICA]),
    pytest.mark.postgres_only(reason="replicas are PostgreSQL streaming replicas, asked how far behind they are"),
]


@pytest.fixture
def replica(settings):
    """Reads of web requests may go to REPLICA: committed rows, so both connections see them."""
    settings.DATABASE_REPLICAS = [REPLICA]
    replicas._health.clear()
    try:
        yield REPLICA
    finally:
        connections[REPLICA].close()
        replicas._health.clear()


def queries_on_each(do) -> tuple[int, int]:
    """How many queries `do()` sends to the primary and to the replica."""
    with CaptureQueriesContext(connections["default"]) as primary, CaptureQueriesContext(connections[REPLICA]) as copy:
        do()
    return len(primary), len([query for query in copy if "pg_is_in_recovery" not in query["sql"]])


def test_a_readers_page_is_read_from_the_replica(replica, client, author):
    story = make_story(author=author, title="Read Me Anywhere")

    primary, copy = queries_on_each(lambda: client.get(story.get_absolute_url()))

    assert copy > 0
    assert primary == 0


def test_a_visitor_who_wrote_reads_from_the_primary_for_a_few_seconds(replica, reader_client, author, settings):
    story = make_story(author=author)
    chapter = story.chapters.get()

    response = reader_client.post(
        f"/works/{story.pk}/chapters/{chapter.pk}/comments", {"body": "First! And seen at once."}
    )
    assert response.status_code == 302
    assert float(response.cookies[replicas.PIN_COOKIE].value) > time.time()

    def read():
        assert "First! And seen at once." in reader_client.get(story.get_absolute_url()).content.decode()

    primary, copy = queries_on_each(read)
    assert (primary > 0, copy) == (True, 0)

    reader_client.cookies[replicas.PIN_COOKIE] = str(int(time.time()) - 1)  # the few seconds are over
    primary, copy = queries_on_each(read)
    assert copy > 0


def test_writes_and_reads_outside_of_a_request_go_to_the_primary(replica, author):
    primary, copy = queries_on_each(lambda: (make_story(author=author), Story.objects.count()))

    assert primary > 0
    assert copy == 0


@pytest.mark.parametrize("trouble", ["down", "behind"])
def test_a_replica_that_is_down_or_behind_is_left_out(replica, client, author, monkeypatch, trouble):
    story = make_story(author=author)

    def lag_seconds(alias):
        if trouble == "down":
            raise OperationalError("connection refused")
        return 60.0

    monkeypatch.setattr(replicas, "lag_seconds", lag_seconds)
    primary, copy = queries_on_each(lambda: client.get(story.get_absolute_url()))

    assert primary > 0
    assert copy == 0


def test_a_replica_failing_mid_request_is_left_out_at_once(replica):
    replicas.usable(REPLICA)
    connections[REPLICA].ensure_connection()
    for wrapper in connections[REPLICA].execute_wrappers:

        def failing(execute, sql, params, many, context, wrapper=wrapper):
            raise OperationalError("server closed the connection unexpectedly")

        with pytest.raises(OperationalError), connections[REPLICA].execute_wrapper(failing):
            # The replica's own wrapper sits outside the failing one, as around a dying server.
            with connections[REPLICA].cursor() as cursor:
                cursor.execute("SELECT 1")
        break

    assert replicas._health[REPLICA][0] is False
