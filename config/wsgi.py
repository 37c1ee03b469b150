import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

# gunicorn loads this once and forks its workers from it (preload_app): what they would each do
# on their first requests (URLconf, templates, the Redis client's import) is done here instead.
from archive.core.warm import before_fork  # noqa: E402 - needs the apps get_wsgi_application() set up

before_fork()

# Everything loaded so far lives as long as the process: keep the garbage collector from
# walking it on every full collection (long pauses on list pages otherwise).
gc.freeze()
