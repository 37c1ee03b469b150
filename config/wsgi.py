import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

# Everything loaded so far lives as long as the process: keep the garbage collector from
# walking it on every full collection (long pauses on list pages otherwise).
gc.freeze()
