"""The key pages are accessible and valid HTML.

axe-core (node_modules/axe-core) runs in Chromium on each page and must find nothing serious or
critical; the Nu Html Checker (node_modules/vnu-jar, run with Java) must find no errors in the HTML
each page serves. `npm ci` installs both (`make test` does); without them these tests skip, and
under CI=true that skip fails the run (archive/core/tests/tools.py).
"""

from urllib.parse import urlencode

import pytest
from django.test import Client
from playwright.sync_api import Page, expect

from archive.accounts.tests.factories import UserFactory
from archive.bookmarks.services import create_bookmark
from archive.comments.services import post_comment
from archive.core.tests.tools import AXE, needs_axe, needs_vnu, nu_messages
from archive.publishing.services import add_chapter, update_chapter
from archive.stories.tests.factories import make_story
from archive.tags.models import Tag
from tests.browser.conftest import session_cookie
from tests.browser.viewports import PHONE

FANDOM = "The Walking Dead"
# What a reader sees, and what an author sees posting: the pages the issue names.
KEY_PAGES = [
    "front",
    "work",
    "chapter",
    "entire work",
    "tag works",
    "search",
    "post form",
    "bookmarks",
    "exclusions",
    "muted",
]
# axe's impact levels are minor, moderate, serious and critical; the last two fail.
BLOCKING_IMPACTS = {"serious", "critical"}


def build_archive() -> dict[str, tuple[str, object | None]]:
    """A small archive, and each key page's URL with the user who opens it (None: logged out)."""
    author = UserFactory(username="quill")
    reader = UserFactory(username="lantern")
    story = make_story(
        author=author,
        title="Walker Season",
        fandoms=[FANDOM],
        characters=["Carol Peletier", "Daryl Dixon"],
        relationships=["Carol Peletier/Daryl Dixon"],
        main_characters=["Daryl Dixon"],  # marked main: its star and hidden "(main)" are checked too
        freeforms=["Slow Burn"],
        summary="<p>Two survivors and a long winter.</p>",
        notes="<p>For everyone who waited.</p>",
        end_notes="<p>Thank you for reading.</p>",
        body="The prison gates stood open.",
    )
    first = story.chapters.get()
    update_chapter(
        chapter=first,
        fields={"notes": "<p>Set after season three.</p>", "end_notes": "<p>More soon.</p>"},
    )
    second = add_chapter(
        story=story,
        fields={
            "title": "North",
            "notes": "<p>The road trip.</p>",
            "end_notes": "<p>Almost there.</p>",
            "body": "<p>They drove north until the fuel ran out.</p>",
        },
        post=True,
    )
    post_comment(chapter=second, user=reader, body="The fuel running out was perfect.")
    other = make_story(title="Prison Days", fandoms=[FANDOM], characters=["Carol Peletier", "Rick Grimes"])
    create_bookmark(user=reader, story=story, note="<p>Read it every winter.</p>", tags=["comfort", "reread"])
    create_bookmark(user=reader, story=other, private=True)

    search = urlencode({"characters": "Carol Peletier, Daryl Dixon"})
    return {
        "front": ("/", None),
        "work": (story.get_absolute_url(), None),
        "chapter": (second.get_absolute_url(), reader),  # with its comment, and the form to add one
        "entire work": (f"{story.get_absolute_url()}?view_full_work=true", None),
        "tag works": (Tag.objects.get(name="Carol Peletier").get_absolute_url(), None),
        "search": (f"/works/search?{search}", None),
        "post form": ("/works/new", author),
        # Their own, with a public and a private bookmark, their tags and the folded filters.
        "bookmarks": ("/users/lantern/bookmarks", reader),
        # Saved exclusions in preferences (with the reader's notification settings), and muting.
        "exclusions": ("/preferences", reader),
        "muted": ("/users/lantern/muted", reader),
    }


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['impact']}: {violation['id']} - {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"]:
            lines.append(f"    {node['target']}: {node['failureSummary']}".replace("\n", " "))
    return "\n".join(lines)


def assert_no_blocking_axe_violations(browser, live_server, user, pages: dict[str, str], theme: str) -> None:
    """axe-core on each of `user`'s pages ({name: url}) in `theme` finds nothing serious or critical."""
    # axe is injected as an inline script, which the site's Content-Security-Policy rightly refuses.
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    context.add_cookies([session_cookie(user, live_server.url)])
    page = context.new_page()
    page.add_init_script(f"localStorage.setItem('reader-theme', '{theme}')")
    for name, url in pages.items():
        assert page.goto(url).ok
        page.evaluate(AXE.read_text())  # not a <script> tag, which the Content-Security-Policy would block
        results = page.evaluate("() => axe.run()")
        blocking = [v for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]
        assert not blocking, f"axe-core on {name} ({url}, {theme} theme):\n{describe_violations(blocking)}"
    context.close()


def assert_valid_html(user, pages: dict[str, str], tmp_path) -> None:
    """The Nu Html Checker finds no errors in `user`'s pages ({name: url}) as served, in one run."""
    client = Client()
    client.force_login(user)
    files = {}
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        path = tmp_path / f"{name.replace(' ', '-')}.html"
        path.write_bytes(response.content)
        files[path.name] = f"{name} ({url})"
    messages = nu_messages(tmp_path / name for name in files)
    errors = [describe_error(m, files) for m in messages if m["type"] in {"error", "non-document-error"}]
    assert not errors, "The Nu Html Checker found errors:\n" + "\n".join(errors)


def describe_error(message: dict, pages: dict[str, str]) -> str:
    file_name = message.get("url", "").rsplit("/", 1)[-1]
    where = f"{pages.get(file_name, file_name)} line {message.get('lastLine')}"
    return f"{where}: {message['message']}\n    {message.get('extract', '')!r}"


@needs_axe
@pytest.mark.parametrize("theme", ["light", "sepia", "dark"])
@pytest.mark.parametrize("name", KEY_PAGES)
def test_a_key_page_has_no_serious_or_critical_axe_violations(page: Page, log_in, name, theme):
    url, user = build_archive()[name]
    if user:
        log_in(user)
    # The reader's theme, as static/js/reader-settings.js applies it from localStorage.
    page.add_init_script(f"localStorage.setItem('reader-theme', '{theme}')")
    response = page.goto(url)
    assert response.ok, f"{url} answered {response.status}"
    page.evaluate(AXE.read_text())  # not a <script> tag, which the Content-Security-Policy would block

    results = page.evaluate("() => axe.run()")

    blocking = [v for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"axe-core on {name} ({url}, {theme} theme):\n{describe_violations(blocking)}"


@needs_vnu
def test_the_key_pages_are_valid_html(db, tmp_path):
    # The HTML as served, before any script touches it; one checker run for every page (the JVM
    # starts once).
    files = {}
    for name, (url, user) in build_archive().items():
        client = Client()
        if user:
            client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        if name == "search":  # the results list is checked too, not just the form
            assert b'class="story-card"' in response.content
        path = tmp_path / f"{name.replace(' ', '-')}.html"
        path.write_bytes(response.content)
        files[path.name] = f"{name} ({url})"

    messages = nu_messages(tmp_path / name for name in files)

    errors = [describe_error(m, files) for m in messages if m["type"] in {"error", "non-document-error"}]
    assert not errors, "The Nu Html Checker found errors:\n" + "\n".join(errors)


def open_phone_menu(page: Page, log_in, theme: str = "light") -> None:
    """A logged-in reader's header menu, opened on a phone, on a work's page."""
    url, reader = build_archive()["chapter"]
    log_in(reader)
    page.set_viewport_size(PHONE)
    page.add_init_script(f"localStorage.setItem('reader-theme', '{theme}')")
    assert page.goto(url).ok
    page.locator("details.menu-toggle > summary").click()
    expect(page.get_by_role("navigation", name="Site").get_by_role("link", name="Inbox")).to_be_visible()


@needs_axe
@pytest.mark.parametrize("theme", ["light", "sepia", "dark"])
def test_the_open_phone_menu_has_no_serious_or_critical_axe_violations(page: Page, log_in, theme):
    open_phone_menu(page, log_in, theme)
    page.evaluate(AXE.read_text())

    results = page.evaluate("() => axe.run()")

    blocking = [v for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"axe-core on the open phone menu ({theme} theme):\n{describe_violations(blocking)}"


@needs_vnu
def test_the_open_phone_menu_is_valid_html(page: Page, log_in, tmp_path):
    # The document as the phone has it once the menu is open and the scripts have run.
    open_phone_menu(page, log_in)
    path = tmp_path / "phone-menu.html"
    path.write_text("<!DOCTYPE html>\n" + page.evaluate("document.documentElement.outerHTML"), encoding="utf-8")

    messages = nu_messages([path])

    errors = [describe_error(m, {path.name: "the open phone menu"}) for m in messages]
    assert not errors, "The Nu Html Checker found errors:\n" + "\n".join(errors)
