"""Notifications are background jobs: the request that posts only queues one, whatever the number
of readers who will hear of it; a worker (here a real one, against Redis) sends each e-mail once."""

import os
import time
from contextlib import contextmanager

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive.accounts.models import User
from archive.accounts.tests.factories import logged_in
from archive.core.models import OutgoingEmail
from archive.notifications.models import Kind, Notification, Subscription
from archive.notifications.services import subscribe
from archive.stories.tests.factories import make_story
from config.celery import app as celery_app

BROKER_URL = os.environ.get("CELERY_TEST_BROKER_URL", "redis://127.0.0.1:6379/13")
QUEUE = "archive"


def forget_connections() -> None:
    celery_app.close()
    celery_app.__dict__.pop("amqp", None)  # its producer pool outlives close()


@contextmanager
def jobs_sent_to(url: str):
    """Queue jobs to the broker at `url`, as production does, instead of running them here."""
    conf = celery_app.conf  # the app read Django's CELERY_ settings once; these are its keys
    saved = conf.CELERY_BROKER_URL, conf.CELERY_TASK_ALWAYS_EAGER
    forget_connections()  # made to another broker
    conf.CELERY_BROKER_URL, conf.CELERY_TASK_ALWAYS_EAGER = url, False
    try:
        yield
    finally:
        forget_connections()
        conf.CELERY_BROKER_URL, conf.CELERY_TASK_ALWAYS_EAGER = saved


@pytest.fixture
def broker():
    """A real Redis broker, emptied before and after."""
    client = redis.Redis.from_url(BROKER_URL)
    client.flushdb()
    with jobs_sent_to(BROKER_URL):
        yield client
    client.flushdb()


def subscribers(story, how_many: int) -> None:
    password = make_password(None)
    readers = User.objects.bulk_create(
        User(username=f"follower{n}", email=f"follower{n}@example.org", email_verified=True, password=password)
        for n in range(how_many)
    )
    Subscription.objects.bulk_create(Subscription(user=reader, story=story) for reader in readers)


def post_chapter(client, story, django_capture_on_commit_callbacks) -> int:
    """Post a chapter through the form, running what waits for the commit; returns the queries."""
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/works/{story.pk}/chapters/new", {"title": "Next", "body": "<p>And then.</p>", "action": "post"}
        )
    assert response.status_code == 302
    return len(queries)


def test_posting_to_a_work_with_thousands_of_subscribers_costs_the_request_what_posting_to_none_does(
    broker, author, author_client, django_capture_on_commit_callbacks
):
    quiet = make_story(author=author, title="Nobody Follows This")
    followed = make_story(author=author, title="Everybody Follows This")
    subscribers(followed, 2000)

    for story in (quiet, followed):  # warm: a work's first new chapter loads more
        post_chapter(author_client, story, django_capture_on_commit_callbacks)
    queued_before = broker.llen(QUEUE)
    alone = post_chapter(author_client, quiet, django_capture_on_commit_callbacks)
    crowded = post_chapter(author_client, followed, django_capture_on_commit_callbacks)

    assert crowded == alone
    assert broker.llen(QUEUE) == queued_before + 2  # one job a post, not one per reader
    # Nothing was told in the request: the worker will.
    assert not Notification.objects.filter(kind=Kind.NEW_CHAPTER).exists()
    assert not OutgoingEmail.objects.exists()
    assert mail.outbox == []


def test_with_the_broker_down_the_job_runs_in_the_request_and_nothing_is_lost(
    settings, author, reader, django_capture_on_commit_callbacks
):
    story = make_story(author=author)
    subscribe(user=reader, story=story)
    with jobs_sent_to("redis://127.0.0.1:9/0"):  # nothing listens there
        post_chapter(logged_in(author), story, django_capture_on_commit_callbacks)

    assert Notification.objects.filter(recipient=reader, kind=Kind.NEW_CHAPTER).count() == 1
    [email] = mail.outbox
    assert email.to == [reader.email]


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_tells_every_subscriber_once_by_inbox_and_e_mail(broker, author, author_client):
    story = make_story(author=author, title="The Long Road")
    subscribers(story, 250)  # three e-mail batches

    with start_worker(celery_app, perform_ping_check=False, shutdown_timeout=30, loglevel="WARNING"):
        response = author_client.post(
            f"/works/{story.pk}/chapters/new", {"title": "Next", "body": "<p>And then.</p>", "action": "post"}
        )
        assert response.status_code == 302
        wait_until(lambda: OutgoingEmail.objects.filter(sent_at__isnull=False).count() == 250)

    assert Notification.objects.filter(kind=Kind.NEW_CHAPTER).count() == 250
    assert sorted(address for email in mail.outbox for address in email.to) == sorted(
        f"follower{n}@example.org" for n in range(250)
    )
    assert broker.llen(QUEUE) == 0


def wait_until(condition, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the worker did not finish in time"
        time.sleep(0.1)
