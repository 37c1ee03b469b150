"""The quickstart as a newcomer meets it (issue #16, item 11): `make run PORT=...` on an empty
SQLite file, with nothing else set, migrates, loads the demo, prints its accounts and serves on that
port; the newcomer opens it on a phone and on a desktop and logs in with the printed account.
(archive/core/tests/test_quickstart.py checks the Makefile's and the README's words.)"""

import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import TIMEOUT_MS
from tests.browser.viewports import VIEWPORTS

ROOT = Path(__file__).resolve().parents[2]
INSTALLED = ".venv/.installed"  # the Makefile's mark of an installed venv (VENV defaults to .venv)
START_SECONDS = 180  # migrate and load the demo on a slow machine


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def quickstart(tmp_path):
    """`make run` on a free port, as a newcomer's shell has it: no DJANGO_*, DATABASE_URL or
    REDIS_URL set (the database is a fresh file here instead of ./db.sqlite3). Yields the address
    and the log."""
    if shutil.which("make") is None or not (ROOT / INSTALLED).exists():
        pytest.skip("needs make and the installed .venv (make install)")
    port = free_port()
    env = {name: value for name, value in os.environ.items() if not name.startswith(("DJANGO_", "DATABASE_", "REDIS_"))}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path}/db.sqlite3"
    log = tmp_path / "make-run.log"
    with log.open("w") as output:
        # -o: the venv counts as installed, so the test never reaches for the package index.
        server = subprocess.Popen(  # noqa: S603 - our own Makefile
            ["make", "-o", INSTALLED, "run", f"PORT={port}"],  # noqa: S607 - make from the PATH, as a user runs it
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so the server it starts stops with it
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            assert server.poll() is None, f"make run stopped:\n{log.read_text()}"
            assert time.monotonic() < deadline, f"make run did not serve within {START_SECONDS} s:\n{log.read_text()}"
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)  # noqa: S310 - our own local server
                break
            except OSError:
                time.sleep(0.5)
        yield base, log
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def test_make_run_serves_the_demo_on_the_port_given_to_a_phone_and_a_desktop(browser, quickstart):
    base, log = quickstart
    printed = log.read_text()
    username, password = re.search(r"username '(quillfeather)', password '([^']+)'", printed).groups()

    for name, size in VIEWPORTS.items():
        context = browser.new_context(base_url=base, viewport=size)
        context.set_default_timeout(TIMEOUT_MS)
        try:
            page = context.new_page()
            page.goto("/")
            expect(page.locator(".story-card").first).to_be_visible()
            if name == "phone":
                page.locator("details.menu-toggle > summary").click()
            page.get_by_role("navigation", name="Site").get_by_role("link", name="Log in").click()
            page.get_by_label("Username").fill(username)
            page.get_by_label("Password").fill(password)
            page.get_by_role("button", name="Log in").click()

            if name == "phone":
                page.locator("details.menu-toggle > summary").click()
            page.get_by_role("navigation", name="Site").get_by_role("link", name="Dashboard").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Your dashboard")
            expect(page.locator(".story-card").first).to_be_visible()  # the demo author's works
        finally:
            context.close()
