"""make screenshots: the demo archive on a phone and a desktop, for the README.

Serves a fresh SQLite copy of the demo on a free local port, drives Debian's Chromium with
Playwright and writes docs/screenshots/<page>-<width>.png.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
SIZES = {"phone": (390, 844), "desktop": (1280, 900)}
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # fmt: skip


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str) -> None:
    for _ in range(100):
        try:
            urllib.request.urlopen(url, timeout=1)  # noqa: S310 - our own local server
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"The server at {url} did not start.")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DJANGO_DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp}/shots.sqlite3"}
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)  # noqa: S603
        subprocess.run([*manage, "load_demo"], env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
        port = free_port()
        server = subprocess.Popen([*manage, "runserver", f"127.0.0.1:{port}", "--noreload"], env=env)  # noqa: S603
        base = f"http://127.0.0.1:{port}"
        try:
            wait_for(base + "/healthz")
            shoot(base)
        finally:
            server.terminate()
            server.wait(timeout=10)


def shoot(base: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        page.goto(base + "/works/search?characters=Persephone")
        chapter = page.locator(".story-card .card-title a").first.get_attribute("href")
        pages = {
            "front": "/",
            "chapter": chapter,
            "search": "/works/search?characters=Sherlock+Holmes&character_mode=ships",
        }
        for size, (width, height) in SIZES.items():
            for name, path in pages.items():
                for theme in ("light", "dark") if name == "chapter" else ("light",):
                    context = browser.new_context(viewport={"width": width, "height": height})
                    context.add_init_script(f"localStorage.setItem('reader-theme', '{theme}')")
                    shot = context.new_page()
                    shot.goto(base + path)
                    suffix = "" if theme == "light" else "-dark"
                    shot.screenshot(path=OUT / f"{name}{suffix}-{size}.png")
                    context.close()
        browser.close()
    print(f"Screenshots written to {OUT.relative_to(ROOT)}/")


if __name__ == "__main__":
    main()
