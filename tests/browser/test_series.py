"""Series in the browser: an author makes one while posting two works, with and without
JavaScript; a reader walks it with the previous and next links on a phone and a desktop; the
series pages pass axe-core and the Nu Html Checker."""

import pytest
from django.test import Client
from playwright.sync_api import Page, expect

from archive.accounts.tests.factories import UserFactory
from archive.core.tests.tools import AXE, needs_axe, needs_vnu, nu_messages
from archive.series.models import Series
from archive.series.services import add_work, create_series
from archive.stories.tests.factories import make_story
from tests.browser.test_accessibility import BLOCKING_IMPACTS, describe_violations

pytestmark = pytest.mark.django_db(transaction=True)


def post_work(page: Page, title: str, *, new_series: str = "", series: str = "", part: str = "") -> None:
    page.goto("/works/new")
    page.get_by_role("textbox", name="Title", exact=True).fill(title)
    page.get_by_label("No Archive Warnings Apply").check()
    page.get_by_label("Fandoms").fill("Greek Mythology")
    page.get_by_label("Chapter text").fill(f"The text of {title}.")
    if series:
        page.get_by_label("Add to one of your series").select_option(label=series)
    if new_series:
        page.get_by_label("…or to a new series titled").fill(new_series)
    if part:
        page.get_by_label("Part number").fill(part)
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.get_by_text("Your work was posted.")).to_be_visible()


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_an_author_makes_a_series_while_posting_two_works(browser, live_server, javascript):
    from tests.browser.conftest import session_cookie

    author = UserFactory(username="quill")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=javascript)
    context.add_cookies([session_cookie(author, live_server.url)])
    page = context.new_page()

    post_work(page, "The Descent", new_series="Katabasis")
    expect(page.locator("dd.series")).to_contain_text("Part 1 of Katabasis")
    post_work(page, "The Prologue", series="Katabasis", part="1")
    expect(page.locator("dd.series span.position")).to_have_text("Part 1 of Katabasis")
    page.locator("dd.series").get_by_role("link", name="Next Work →").click()
    expect(page.locator("h2.title")).to_contain_text("The Descent")
    expect(page.locator("dd.series span.position")).to_have_text("Part 2 of Katabasis")

    page.locator("dd.series").get_by_role("link", name="Katabasis").click()
    expect(page.get_by_role("heading", name="Katabasis", level=1)).to_be_visible()
    cards = page.locator("li.story-card h3 > a")
    expect(cards).to_have_text(["The Prologue", "The Descent"])
    context.close()


def test_a_reader_walks_a_series_with_the_previous_and_next_links(sized_page: Page):
    author = UserFactory(username="quill")
    series = create_series(creator=author, title="Katabasis", summary="<p>Down and back.</p>")
    for title in ("Descent", "Bargain", "Return"):
        add_work(series=series, story=make_story(author=author, title=title))
    page = sized_page

    page.goto(series.get_absolute_url())
    expect(page.get_by_text("Down and back.")).to_be_visible()
    page.get_by_role("link", name="Descent").click()
    meta = page.locator("dd.series")
    expect(meta.locator("span.position")).to_have_text("Part 1 of Katabasis")
    expect(meta.get_by_role("link", name="← Previous Work")).to_have_count(0)
    meta.get_by_role("link", name="Next Work →").click()
    expect(page.locator("h2.title")).to_contain_text("Bargain")
    meta.get_by_role("link", name="Next Work →").click()
    expect(page.locator("h2.title")).to_contain_text("Return")
    expect(meta.get_by_role("link", name="Next Work →")).to_have_count(0)
    meta.get_by_role("link", name="← Previous Work").click()
    expect(meta.locator("span.position")).to_have_text("Part 2 of Katabasis")
    link = meta.get_by_role("link", name="Next Work →")
    expect(link).to_be_in_viewport() if page.viewport_name == "desktop" else link.scroll_into_view_if_needed()
    box = link.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"], "the link is on the screen"


def series_pages() -> tuple[object, dict[str, str]]:
    author = UserFactory(username="quill")
    works = [make_story(author=author, title=title) for title in ("Descent", "Bargain")]
    series = create_series(creator=author, title="Katabasis", summary="<p>Down and back.</p>", notes="<p>Notes.</p>")
    for work in works:
        add_work(series=series, story=work)
    return author, {
        "series page": series.get_absolute_url(),
        "work in a series": works[1].get_absolute_url(),
        "edit series": f"/series/{series.pk}/edit",
        "delete series": f"/series/{series.pk}/delete",
        "author's series": "/users/quill/series",
        "edit work with series": f"/works/{works[0].pk}/edit",
        "new work with series": "/works/new",
        "bookmark series": f"/series/{series.pk}/bookmark",
    }


@needs_axe
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_series_pages_have_no_serious_or_critical_axe_violations(browser, live_server, theme):
    from tests.browser.conftest import session_cookie

    author, pages = series_pages()
    for who in ("guest", "author"):
        context = browser.new_context(base_url=live_server.url, bypass_csp=True)
        if who == "author":
            context.add_cookies([session_cookie(author, live_server.url)])
        page = context.new_page()
        page.add_init_script(f"localStorage.setItem('reader-theme', '{theme}')")
        for name, url in pages.items():
            if who == "guest" and name not in {"series page", "work in a series", "author's series"}:
                continue
            assert page.goto(url).ok, name
            page.evaluate(AXE.read_text())
            results = page.evaluate("() => axe.run()")
            blocking = [v for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]
            assert not blocking, f"axe-core on {name} ({url}, {who}, {theme}):\n{describe_violations(blocking)}"
        context.close()


@needs_vnu
def test_the_series_pages_are_valid_html(db, tmp_path):
    author, pages = series_pages()
    Series.objects.get()  # made
    files = []
    for who, client in (("guest", Client()), ("author", Client())):
        if who == "author":
            client.force_login(author)
        for name, url in pages.items():
            response = client.get(url, follow=True)
            assert response.status_code == 200, (who, name)
            files.append(tmp_path / f"{who}-{name.replace(' ', '-').replace(chr(39), '')}.html")
            files[-1].write_bytes(response.content)

    messages = nu_messages(files)
    errors = [f"{m.get('url', '').rsplit('/', 1)[-1]}: {m['message']} {m.get('extract', '')!r}" for m in messages]
    assert not errors, "The Nu Html Checker found errors:\n" + "\n".join(errors)
