"""Production configuration: the settings `.env.example` describes pass `check --deploy`, and
gunicorn, whitenoise, the cache and the database are set up as README's "Running in production" says.

The settings are read in a fresh process, as gunicorn would, since they come from the environment
at import time.
"""

import json
import multiprocessing
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client

ROOT = Path(__file__).resolve().parents[3]
ENV_EXAMPLE = ROOT / ".env.example"
# Variables the process manager or the shell provides, not the archive.
NOT_OURS = {"PATH", "HOME", "DJANGO_SETTINGS_MODULE"}


def example_environment() -> dict[str, str]:
    """The variables .env.example sets, as a shell reads them (`set -a; . /etc/archive/env`)."""
    names = [line.split("=", 1)[0] for line in ENV_EXAMPLE.read_text().splitlines() if re.match(r"[A-Z_]+=", line)]
    script = f'set -a; . "{ENV_EXAMPLE}"; set +a; for name in {" ".join(names)}; do'
    script += ' printf "%s=%s\\0" "$name" "${!name}"; done'
    result = subprocess.run(  # noqa: S603 - our file
        ["/bin/bash", "--noprofile", "--norc", "-c", script], env={}, capture_output=True, text=True, check=True
    )
    assert result.stderr == ""
    return dict(pair.split("=", 1) for pair in result.stdout.split("\0") if pair)


def systemd_environment() -> dict[str, str]:
    """The variables .env.example sets, as systemd's EnvironmentFile reads them: `NAME=value` lines,
    `#` only at a line's start, the value whole to the end of the line (its outer quotes removed)."""
    env = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, value = line.split("=", 1)
        env[name] = value[1:-1] if len(value) > 1 and value[0] == value[-1] == '"' else value
    return env


def production_environment(**overrides: str) -> dict[str, str]:
    env = {**example_environment(), "DJANGO_SECRET_KEY": secrets.token_urlsafe(50), **overrides}
    return {"PATH": os.environ["PATH"], **{name: value for name, value in env.items() if value is not None}}


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False)  # noqa: S603


def production_settings(*names: str, **env_overrides: str) -> dict:
    code = (
        "import json, django; django.setup(); from django.conf import settings;"
        f"print(json.dumps({{name: getattr(settings, name) for name in {list(names)!r}}}, default=str))"
    )
    env = {**production_environment(**env_overrides), "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = run([sys.executable, "-c", code], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_check_deploy_finds_nothing_to_warn_about_with_the_example_production_environment():
    result = run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_environment()
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stderr


def test_check_deploy_warns_when_the_workers_would_not_share_a_cache():
    env = production_environment()
    del env["REDIS_URL"]

    result = run([sys.executable, "manage.py", "check", "--deploy"], env)

    assert "core.W001" in result.stderr
    assert "REDIS_URL" in result.stderr


def test_check_deploy_warns_about_an_insecure_setup():
    env = production_environment(DJANGO_HTTPS="0", DJANGO_HSTS_SECONDS="0", DJANGO_SECURE_COOKIES="0")

    result = run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)

    assert result.returncode != 0
    for check in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check in result.stderr


def test_env_example_reads_the_same_in_systemd_and_in_a_shell():
    """deploy/README.md has it copied to /etc/archive/env for both: a comment after a value would be
    part of the value for systemd, and an unquoted space or `<` a command for the shell."""
    from_shell = example_environment()

    assert systemd_environment() == from_shell
    assert from_shell["DJANGO_DEBUG"] == "0"
    assert from_shell["DEFAULT_FROM_EMAIL"] == "Open Fic Archive <noreply@archive.example.org>"
    assert all("#" not in value for value in from_shell.values())


def test_env_example_lists_every_variable_the_settings_and_gunicorn_read():
    sources = (ROOT / "config" / "settings.py").read_text() + (ROOT / "gunicorn.conf.py").read_text()
    read = set(
        re.findall(r"""(?:environ\.get|env_bool|env_list|environ\[|env=)\(?\s*["']([A-Z][A-Z0-9_]+)["']""", sources)
    )

    assert read - NOT_OURS - set(example_environment()) == set()
    assert {"REDIS_URL", "DJANGO_HSTS_PRELOAD", "WEB_CONCURRENCY"} <= read


def test_production_settings_keep_cookies_secure_and_connections_persistent():
    values = production_settings(
        "DEBUG",
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_HTTPONLY",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_PROXY_SSL_HEADER",
        "DATABASES",
        "CACHES",
        "STORAGES",
        "PASSWORD_HASHERS",
    )

    assert values["DEBUG"] is False
    for name in ("SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_SECURE", "CSRF_COOKIE_HTTPONLY"):
        assert values[name] is True, name
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] == 31_536_000
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    database = values["DATABASES"]["default"]
    assert database["ENGINE"] == "archive.core.postgresql"  # Django's, with a health check by socket
    assert database["CONN_MAX_AGE"] == 60
    assert database["CONN_HEALTH_CHECKS"] is True
    assert values["CACHES"]["default"] == {
        "BACKEND": "archive.caching.redis.RedisCache",  # Django's, one client per pool
        "LOCATION": example_environment()["REDIS_URL"],
    }
    assert values["STORAGES"]["staticfiles"]["BACKEND"] == "archive.core.storage.StaticFilesStorage"
    assert values["PASSWORD_HASHERS"][0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_the_redis_client_reads_replies_in_c():
    """hiredis, which redis-py uses whenever it is installed: every page served from the cache
    makes at least one round trip, and parsing its reply in Python cost a sixth more CPU."""
    from redis._parsers import _HiredisParser
    from redis.connection import DefaultParser

    assert DefaultParser is _HiredisParser


def test_without_redis_each_process_caches_in_its_own_memory():
    values = production_settings("CACHES", REDIS_URL=None)

    assert values["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


@pytest.mark.parametrize(
    ("redis_url", "kept"), [(None, False), ("redis://127.0.0.1:6379/0", True)], ids=["no Redis", "Redis"]
)
def test_pages_and_fragments_are_kept_by_default_only_where_every_worker_shares_the_cache(redis_url, kept):
    """In each worker's own memory, a chapter posted or a tag renamed in one worker would not move
    the versions another keeps its pages, cards and works' indexes under: they would go stale."""
    values = production_settings(
        "PAGE_CACHE", "FRAGMENT_CACHE", REDIS_URL=redis_url, ARCHIVE_PAGE_CACHE=None, ARCHIVE_FRAGMENT_CACHE=None
    )

    assert values == {"PAGE_CACHE": kept, "FRAGMENT_CACHE": kept}


def test_gunicorn_runs_as_many_workers_as_the_cpus_allow_with_a_timeout_and_an_access_log():
    env = {"PATH": os.environ["PATH"]}
    result = run([str(Path(sys.executable).parent / "gunicorn"), "--print-config", "config.wsgi"], env)
    assert result.returncode == 0, result.stderr
    config = dict(re.findall(r"^(\w+)\s+= (.*)$", result.stdout, re.MULTILINE))

    assert config["workers"] == str(multiprocessing.cpu_count() * 2 + 1)
    assert config["timeout"] == "30"
    assert config["accesslog"] == "-"
    assert config["preload_app"] == "True"
    assert (config["max_requests"], config["max_requests_jitter"]) == ("20000", "2000")


def test_the_app_gunicorn_forks_its_workers_from_has_its_urls_templates_and_redis_client_ready():
    """What each worker would otherwise load on its first pages (130 ms of CPU for a chapter) is
    loaded once before the fork, without opening a connection the workers would share."""
    code = """
import json, sys
import config.wsgi
from django.db import connections
from django.template import engines
loader = engines["django"].engine.template_loaders[0]
print(json.dumps({
    "modules": [name for name in ("config.urls", "archive.chapters.views", "redis") if name in sys.modules],
    "templates": sorted(name for name in ("chapters/work_detail.html", "base.html", "stories/story_list.html")
                        if name in loader.get_template_cache),
    "connections": [alias for alias in connections if connections[alias].connection is not None],
}))
"""
    env = {**production_environment(), "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = run([sys.executable, "-c", code], env)
    assert result.returncode == 0, result.stderr

    assert json.loads(result.stdout) == {
        "modules": ["config.urls", "archive.chapters.views", "redis"],
        "templates": ["base.html", "chapters/work_detail.html", "stories/story_list.html"],
        "connections": [],
    }


def test_static_files_are_served_hashed_compressed_and_cached_for_a_year_or_more(settings, tmp_path, db):
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "archive.core.storage.StaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    url = static("css/archive.css")

    response = Client().get(url, HTTP_ACCEPT_ENCODING="gzip")  # a new client loads whitenoise afresh

    assert re.fullmatch(r"/static/css/archive\.[0-9a-f]{12}\.css", url)
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    max_age = int(re.search(r"max-age=(\d+)", response.headers["Cache-Control"]).group(1))
    assert max_age >= 365 * 24 * 3600
    assert "immutable" in response.headers["Cache-Control"]
    assert f'href="{url}"' in Client().get("/").content.decode()


def test_a_static_files_address_is_the_manifests_and_a_missing_file_is_an_error_each_time(settings, tmp_path):
    """The storage keeps each address it worked out (archive/core/storage.py): the same as
    whitenoise's own, and never an address for a file the manifest lacks."""
    from whitenoise.storage import CompressedManifestStaticFilesStorage

    from archive.core.storage import StaticFilesStorage

    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "archive.core.storage.StaticFilesStorage"}}
    call_command("collectstatic", interactive=False, verbosity=0)
    storage, plain = StaticFilesStorage(), CompressedManifestStaticFilesStorage()

    for name in ("css/archive.css", "js/reader.js", "favicon.svg", "css/archive.css"):
        assert storage.url(name) == plain.url(name)
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("css/not-collected.css")


def test_e_mails_can_go_to_files_in_a_folder_instead_of_a_mail_server(tmp_path):
    env = {
        **production_environment(
            DJANGO_EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend", EMAIL_FILE_PATH=str(tmp_path)
        ),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    code = (
        "import django; django.setup(); from django.core.mail import send_mail;"
        "send_mail('New chapter', 'Text', None, ['reader@example.org'])"
    )

    result = run([sys.executable, "-c", code], env)

    assert result.returncode == 0, result.stderr
    [sent] = list(tmp_path.iterdir())
    assert "Subject: New chapter" in sent.read_text()
