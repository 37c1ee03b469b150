"""gunicorn settings for `make serve`; each can be overridden from the environment (.env.example).

Sync workers, each holding one persistent database connection (CONN_MAX_AGE), sized from the
CPU count as gunicorn's documentation suggests. The app is loaded once before forking
(`preload_app`), so the workers share its memory (config/wsgi.py freezes it for the collector).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
preload_app = True

# A request still running after `timeout` seconds is killed (and logged) rather than holding a
# worker; a reload or shutdown lets running requests finish for `graceful_timeout` seconds.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5

# Recycle workers now and then, staggered, so a slow leak can never grow without bound. Now and
# then: a worker serves a few hundred to a few thousand pages a second, and at 2,000 requests each
# one was replaced every second or two, its successor paying for its first pages again (p99 twice
# as long in `make perf`). What those first pages cost is mostly done in the master before the
# fork (archive/core/warm.py).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 10

# The workers' heartbeat files on a RAM disk where there is one: a slow disk stalls no worker.
if os.path.isdir("/dev/shm"):  # noqa: S108
    worker_tmp_dir = "/dev/shm"  # noqa: S108

# Access log on stdout, with the time each request took (microseconds, %(D)s); errors on stderr.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(D)sus'
