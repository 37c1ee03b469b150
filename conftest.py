import os

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection
from django.test import Client

from archive.accounts.tests.factories import UserFactory, logged_in

# Under CI a skipped test is a failed one: a missing Chromium, Java, epubcheck or npm must not turn
# the browser, accessibility, EPUB or FanFicFare checks into a quiet "s". `.ci/run` installs them.
IN_CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def pytest_configure(config):
    config.addinivalue_line("markers", "allowed_to_skip(reason): may skip even under CI=true, for the reason given")


def may_skip_in_ci(node) -> bool:
    """A test may still skip under CI when it says why (`allowed_to_skip(reason=...)`), or when it
    needs PostgreSQL (`postgres_only`) and the suite runs on another database."""
    allowed = node.get_closest_marker("allowed_to_skip")
    if allowed is not None and (allowed.kwargs.get("reason") or allowed.args):
        return True
    return node.get_closest_marker("postgres_only") is not None and connection.vendor != "postgresql"


def fail_skip_in_ci(report, node) -> None:
    if not (IN_CI and report.skipped) or hasattr(report, "wasxfail") or may_skip_in_ci(node):
        return
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    if node.get_closest_marker("allowed_to_skip"):
        reason += " (allowed_to_skip needs a reason=...)"
    report.outcome = "failed"
    report.longrepr = f"CI=true allows no skips, and this one skipped: {reason.removeprefix('Skipped: ')}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    fail_skip_in_ci(report, item)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector):
    # A whole module skipped while it is imported (pytest.importorskip, allow_module_level).
    report = yield
    fail_skip_in_ci(report, collector)
    return report


def pytest_collection_modifyitems(config, items):
    """`@pytest.mark.postgres_only(reason=...)` skips a test, saying why, when the tests run on SQLite.

    Only for what truly needs PostgreSQL: everything the archive does runs on both databases.
    A skip is not a failure, so a CI run of the suite on SQLite passes with these skipped.
    """
    if django_settings.DATABASES["default"]["ENGINE"] in ("django.db.backends.postgresql", "archive.core.postgresql"):
        return
    for item in items:
        if marker := item.get_closest_marker("postgres_only"):
            reason = marker.kwargs.get("reason") or (marker.args[0] if marker.args else "")
            item.add_marker(pytest.mark.skip(reason=f"PostgreSQL only: {reason}"))


@pytest.fixture(autouse=True)
def _fast_and_collectstatic_free(settings):
    """Tests need neither collectstatic's manifest nor a slow password hash."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _shared_page_cache(settings):
    """The shared page cache is on in every test, as in production (with Redis): a test that
    changes something and reads a logged-out page again proves the cache showed the change. So are
    kept fragments: the test's process is the only one, so its cache is shared by all it runs."""
    settings.PAGE_CACHE = True
    settings.FRAGMENT_CACHE = True


@pytest.fixture
def redis_cache(settings):
    """The default cache on the Redis server production uses (REDIS_TEST_URL, database 9 of the
    local server by default), emptied before and after; the test is skipped where none answers
    (mark it `allowed_to_skip`). Yields a client of that database, for what the cache API hides."""
    import redis as redis_py
    from django.core.cache import caches

    url = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/9")
    client = redis_py.Redis.from_url(url)
    try:
        client.ping()
    except redis_py.exceptions.ConnectionError:
        pytest.skip("no Redis server answers")
    settings.CACHES = {"default": {"BACKEND": "archive.caching.redis.RedisCache", "LOCATION": url, "KEY_PREFIX": "t"}}
    caches["default"].clear()
    yield client
    caches["default"].clear()


@pytest.fixture
def redis_round_trips(monkeypatch):
    """Every command sent to Redis from here on, as sent: one item a round trip (a pipeline is one)."""
    from redis.connection import AbstractConnection

    sent: list[bytes] = []
    send = AbstractConnection.send_packed_command

    def recording(self, command, check_health=True):
        sent.append(b"".join(command) if isinstance(command, list) else command)
        return send(self, command, check_health)

    monkeypatch.setattr(AbstractConnection, "send_packed_command", recording)
    return sent


@pytest.fixture
def page_cache_off(settings):
    """For a test that measures what rendering a page costs (its queries): nothing is kept, neither
    pages (a logged-out repeat would be answered from the cache) nor fragments (kept cards skip
    their authors' and tags' queries), so every request renders all of it. `archive/caching`,
    `test_cards.py` and `test_fragments.py` prove what is kept."""
    settings.PAGE_CACHE = False
    settings.FRAGMENT_CACHE = False


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache, so rate-limit counts never carry over between tests."""
    cache.clear()


@pytest.fixture
def author(db):
    return UserFactory(username="author")


@pytest.fixture
def reader(db):
    return UserFactory(username="reader")


@pytest.fixture
def wrangler(db):
    """A staff user, who may wrangle tags."""
    return UserFactory(username="wrangler", is_staff=True)


@pytest.fixture
def author_client(author) -> Client:
    """A client logged in as `author`; independent of `client` and `reader_client`."""
    return logged_in(author)


@pytest.fixture
def reader_client(reader) -> Client:
    return logged_in(reader)
