"""The key pages are accessible and valid HTML.

axe-core (node_modules/axe-core) runs in Chromium on each page and must find nothing serious or
critical; the Nu Html Checker (node_modules/vnu-jar, run with Java) must find no errors in the HTML
each page serves. `npm ci` installs both (`make test` does); without them these tests skip, and
under CI=true that skip fails the run (archive/core/tests/tools.py).
"""

import json
import subprocess
from urllib.parse import urlencode

import pytest
from django.test import Client
from playwright.sync_api import Page

from archive.accounts.tests.factories import UserFactory
from archive.chapters.services import add_chapter, update_chapter
from archive.comments.services import post_comment
from archive.core.tests.tools import AXE, JAVA, VNU, needs_axe, needs_vnu
from archive.stories.tests.factories import make_story
from archive.tags.models import Tag

FANDOM = "The Walking Dead"
# What a reader sees, and what an author sees posting: the pages the issue names.
KEY_PAGES = ["front", "work", "chapter", "entire work", "tag works", "search", "post form"]
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
    make_story(title="Prison Days", fandoms=[FANDOM], characters=["Carol Peletier", "Rick Grimes"])

    search = urlencode({"characters": "Carol Peletier, Daryl Dixon"})
    return {
        "front": ("/", None),
        "work": (story.get_absolute_url(), None),
        "chapter": (second.get_absolute_url(), reader),  # with its comment, and the form to add one
        "entire work": (f"{story.get_absolute_url()}?view_full_work=true", None),
        "tag works": (Tag.objects.get(name="Carol Peletier").get_absolute_url(), None),
        "search": (f"/works/search?{search}", None),
        "post form": ("/works/new", author),
    }


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['impact']}: {violation['id']} - {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"]:
            lines.append(f"    {node['target']}: {node['failureSummary']}".replace("\n", " "))
    return "\n".join(lines)


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

    result = subprocess.run(  # noqa: S603 - our own jar and files
        [JAVA, "-jar", str(VNU), "--errors-only", "--format", "json", "--stdout", *(str(tmp_path / f) for f in files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    try:
        messages = json.loads(result.stdout)["messages"]
    except ValueError:
        pytest.fail(f"The Nu Html Checker gave no report (exit status {result.returncode}):\n{result.stderr}")
    errors = [describe_error(m, files) for m in messages if m["type"] in {"error", "non-document-error"}]
    assert not errors, "The Nu Html Checker found errors:\n" + "\n".join(errors)
    assert result.returncode == 0, result.stderr  # it exits 1 on errors; 0 with none
