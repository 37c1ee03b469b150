"""Queueing background jobs: every task the archive runs goes through `after_commit` or `queue`.

A job is queued once the transaction that asked for it commits, so a rolled-back post sends
nothing and the task reads what was committed. With a broker (`CELERY_BROKER_URL`) the request
only pushes a message (one Redis round trip) and `make worker` runs it; without one, or when the
broker cannot be reached, the task runs here and now, so nothing is lost and the quickstart needs
no worker. Tasks take ids, never model instances, and look again at what they are given: by the
time one runs, the work may have been deleted or drafted.
"""

import logging

from celery import Task
from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def queue(task: Task, **kwargs) -> None:
    """Run `task(**kwargs)` in the background, or here if the broker is down."""
    try:
        task.apply_async(kwargs=kwargs)
    except OperationalError:
        logger.exception("The broker is unreachable: running %s in the request", task.name)
        task.apply(kwargs=kwargs, throw=True)


def after_commit(task: Task, **kwargs) -> None:
    """Queue `task(**kwargs)` once the current transaction commits (at once outside of one).

    Robust: what the transaction did is committed, so a job that fails when it runs in the
    request (no broker) is logged, never turned into an error page for the reader.
    """
    transaction.on_commit(lambda: queue(task, **kwargs), robust=True)
