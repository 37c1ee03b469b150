"""Security headers, cookies and password hashing, as a browser or an attacker sees them."""

import re
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, identify_hasher

from archive.accounts.models import User
from archive.accounts.tests.factories import PASSWORD, UserFactory
from archive.stories.tests.factories import make_story
from config import settings as project_settings

pytestmark = pytest.mark.django_db

TEMPLATES = Path(project_settings.BASE_DIR) / "templates"


def csp_directives(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    directives = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


@pytest.mark.parametrize("url", ["/", "/users/login", "/works/search"])
def test_every_page_has_a_content_security_policy_that_runs_only_our_own_scripts(client, url):
    directives = csp_directives(client.get(url))

    script_sources = directives.get("script-src", directives["default-src"])
    assert script_sources == ["'self'"]
    assert "'unsafe-inline'" not in directives.get("style-src", [])
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]


def test_a_work_page_keeps_the_policy_and_the_other_protective_headers(client, author):
    story = make_story(author=author, body="<p>Hello <img src='https://example.org/a.png' alt='a'></p>")

    response = client.get(story.get_absolute_url())

    assert response.status_code == 200
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert "https:" in csp_directives(response)["img-src"]  # images in chapter text may live elsewhere
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_no_template_has_an_inline_script_an_event_handler_or_a_style_attribute():
    # What the policy would block: <script> without src, on*="" handlers, javascript: URLs, style="".
    forbidden = re.compile(
        r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|=\s*[\"']?\s*javascript:|\sstyle\s*=",
        re.IGNORECASE,
    )
    comment = re.compile(r"{#.*?#}|{% comment %}.*?{% endcomment %}", re.DOTALL)
    offenders = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path in TEMPLATES.rglob("*.html")
        for match in forbidden.finditer(comment.sub("", path.read_text()))
    ]
    assert offenders == []


def test_hsts_is_sent_over_https_once_enabled(client, settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True

    response = client.get("/", secure=True)

    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_no_hsts_while_it_is_off(client, settings):
    settings.SECURE_HSTS_SECONDS = 0

    assert "Strict-Transport-Security" not in client.get("/", secure=True).headers


def test_plain_http_is_redirected_to_https_when_enabled(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/works/search?q=dragons")

    assert response.status_code == 301
    assert response.headers["Location"] == "https://testserver/works/search?q=dragons"


def test_under_production_settings_the_session_and_csrf_cookies_are_secure_and_http_only(client, settings):
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    UserFactory(username="carol")

    form = client.get("/users/login", secure=True)
    logged_in = client.post("/users/login", {"username": "carol", "password": PASSWORD}, secure=True)

    assert logged_in.status_code == 302
    csrf, session = form.cookies["csrftoken"], logged_in.cookies["sessionid"]
    for cookie in (csrf, session):
        assert cookie["secure"] is True
        assert cookie["httponly"] is True
        assert cookie["samesite"] == "Lax"


def test_signing_up_stores_the_password_as_an_argon2_hash(client, settings):
    # conftest.py swaps in MD5 for speed; here the project's own hashers apply.
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    password = "pomegranate-seeds-in-winter"

    client.post(
        "/users/signup",
        {"username": "persephone", "email": "p@example.org", "password1": password, "password2": password},
    )

    user = User.objects.get(username="persephone")
    assert identify_hasher(user.password).algorithm == "argon2"
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password(password)


def test_an_older_password_hash_is_upgraded_to_argon2_at_the_next_log_in(client, settings):
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    user = UserFactory(username="hades")
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "saltsaltsalt")
    user.save(update_fields=["password"])

    client.post("/users/login", {"username": "hades", "password": PASSWORD})

    user.refresh_from_db()
    assert identify_hasher(user.password).algorithm == "argon2"


@pytest.mark.parametrize(
    ("password", "complaint"),
    [
        ("short1", "This password is too short"),
        ("password123", "This password is too common"),
        ("4815162342108", "This password is entirely numeric"),
        ("persephone-underworld", "The password is too similar to the username"),
    ],
)
def test_sign_up_refuses_weak_passwords(client, password, complaint):
    response = client.post(
        "/users/signup",
        {"username": "persephone-underworld", "email": "", "password1": password, "password2": password},
    )

    assert response.status_code == 200
    assert complaint in response.content.decode()
    assert not User.objects.exists()


def test_healthz_answers_ok_after_asking_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response.headers["Cache-Control"]
