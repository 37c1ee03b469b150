"""The database health check (archive/core/postgresql/base.py): a kept connection is checked
by its socket, without a round trip, and one the server has closed is found unusable."""

import time

import pytest
from django.db import connection, connections
from django.test import Client

from archive.stories.tests.factories import make_story

pytestmark = [
    pytest.mark.postgres_only(reason="the health check is the PostgreSQL backend's"),
    pytest.mark.django_db(transaction=True),
]


def test_a_healthy_idle_connection_is_usable_without_asking_the_server():
    connection.ensure_connection()
    calls = []
    real_cursor = connection.connection.cursor
    connection.connection.cursor = lambda *args, **kwargs: calls.append(args) or real_cursor(*args, **kwargs)
    try:
        assert connection.is_usable() is True
    finally:
        connection.connection.cursor = real_cursor

    assert calls == []  # no SELECT 1


def test_a_connection_the_server_closed_is_not_usable_and_the_next_request_reconnects(author):
    story = make_story(author=author, title="After the Restart")
    connection.ensure_connection()
    other = connections.create_connection("default")  # a second session, as an admin's would be
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [connection.connection.info.backend_pid])
    finally:
        other.close()
    deadline = time.monotonic() + 5
    while connection.is_usable() and time.monotonic() < deadline:  # the server's word arrives
        time.sleep(0.05)

    assert connection.is_usable() is False

    connection.close_if_unusable_or_obsolete()  # what Django does as a request starts
    assert "After the Restart" in Client().get(story.get_absolute_url()).content.decode()
