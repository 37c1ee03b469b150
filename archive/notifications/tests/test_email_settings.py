"""E-mail goes to the console in development or without a mail server, over SMTP once one is set."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
CONSOLE = "django.core.mail.backends.console.EmailBackend"
SMTP = "django.core.mail.backends.smtp.EmailBackend"


def email_settings(**env: str) -> list[str]:
    """The settings a fresh process reads from this environment (settings are read once per process)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("EMAIL_", "DJANGO_EMAIL", "DEFAULT_FROM"))}
    script = (
        "from config import settings as s; "
        "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER, s.EMAIL_USE_TLS, s.DEFAULT_FROM_EMAIL)"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", script],
        env={**clean, "DJANGO_SECRET_KEY": "x", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.split()


def test_without_a_mail_server_e_mails_print_to_the_console():
    assert email_settings(DJANGO_DEBUG="0")[0] == CONSOLE


def test_in_development_e_mails_print_to_the_console_even_with_a_mail_server():
    assert email_settings(DJANGO_DEBUG="1", EMAIL_HOST="smtp.example.org")[0] == CONSOLE


@pytest.mark.parametrize("tls", ["1", "0"])
def test_in_production_e_mails_go_over_smtp_as_the_environment_says(tls):
    assert email_settings(
        DJANGO_DEBUG="0",
        EMAIL_HOST="smtp.example.org",
        EMAIL_PORT="2525",
        EMAIL_HOST_USER="archive",
        EMAIL_HOST_PASSWORD="secret",
        EMAIL_USE_TLS=tls,
        DEFAULT_FROM_EMAIL="archive@example.org",
    ) == [SMTP, "smtp.example.org", "2525", "archive", str(tls == "1"), "archive@example.org"]
