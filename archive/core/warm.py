"""What every worker would otherwise do on its first requests, done once before gunicorn forks.

gunicorn loads the app in its master (`preload_app`) and forks the workers from it, and it forks
a new one each time a worker is recycled (`max_requests`). Django imports the URLconf (and with it
every view), the cache's Redis client and each template on first use: in a fresh worker the first
chapter page cost 130 ms of CPU against 7 for the next ones, most of it imports. Done here, in the
master, each worker starts with them, shared with the master until written to.

Nothing here touches the database or the cache's server: a connection opened before the fork would
be shared by every worker.
"""

import importlib
import logging
from pathlib import Path

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.redis import RedisCache
from django.template import TemplateSyntaxError, engines
from django.urls import get_resolver
from django.utils.module_loading import import_string

TEMPLATE_SUFFIXES = {".html", ".txt", ".xml"}

logger = logging.getLogger(__name__)


def before_fork() -> None:
    _urls()
    _cache_client()
    _templates()
    _named_functions()


def _urls() -> None:
    """The URLconf, every view module it names, and the resolver's tables for reverse()."""
    resolver = get_resolver()
    resolver.reverse_dict  # noqa: B018 - filling it is the point


def _cache_client() -> None:
    """The cache backend's client library (redis-py takes 60 ms to import), not a connection."""
    if isinstance(caches[DEFAULT_CACHE_ALIAS], RedisCache):
        importlib.import_module("redis")


def _templates() -> None:
    """Every template of the project, compiled into the cached loader of its engine."""
    root = Path(settings.BASE_DIR).resolve()
    for engine in engines.all():
        for folder in map(Path, engine.template_dirs):
            folder = folder.resolve()
            if not folder.is_relative_to(root) or "site-packages" in folder.parts:
                continue  # Django's and third parties' templates: compiled when first used
            for path in sorted(folder.rglob("*")):
                if path.suffix in TEMPLATE_SUFFIXES:
                    name = path.relative_to(folder).as_posix()
                    try:
                        engine.get_template(name)
                    except TemplateSyntaxError:
                        # The page that uses it says so where it is used; the others still start.
                        logger.exception("Template %s does not compile", name)


def _named_functions() -> None:
    """What the settings and the page cache name by dotted path and import on first use: the
    templates' context processors and the functions that fill a reader's parts of a kept page."""
    from archive.caching.reader_parts import KEYS, PARTS

    for engine in engines.all():
        engine.engine.template_context_processors  # noqa: B018 - importing them is the point
    for path in [*PARTS.values(), *KEYS.values()]:
        import_string(path)
