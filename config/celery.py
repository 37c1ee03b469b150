"""The Celery application: background jobs (notification fan-out, e-mail, hit flushing).

Tasks live in each app's `tasks.py` and are found by `autodiscover_tasks`. Settings come from
Django's, prefixed `CELERY_` (config/settings.py). Without `CELERY_BROKER_URL` every task runs
in the process that queues it, once the transaction that queued it commits (archive/core/jobs.py),
which is all `make run` needs; `make worker` starts a worker and beat against the broker.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("archive")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
