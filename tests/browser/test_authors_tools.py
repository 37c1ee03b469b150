"""Manage chapters and Preview (#12) in a browser, on a phone and a desktop: reordering with
position numbers and no script, with Move up / Move down from the keyboard, and by dragging;
previewing a new work and then posting it; and axe-core and the Nu Html Checker on both pages."""

import re

import pytest
from django.test import Client
from playwright.sync_api import Page, expect

from archive.accounts.tests.factories import UserFactory
from archive.core.tests.tools import AXE, needs_axe, needs_vnu, nu_messages
from archive.stories.models import Story
from archive.stories.tests.factories import make_story, work_form_data
from tests.browser.conftest import session_cookie
from tests.browser.test_accessibility import BLOCKING_IMPACTS, describe_violations
from tests.browser.viewports import VIEWPORTS

pytestmark = pytest.mark.django_db(transaction=True)


def titles(story: Story) -> list[str]:
    return [chapter.title or "One" for chapter in story.chapters.order_by("position")]


def four_chapters():
    author = UserFactory(username="quill")
    return author, make_story(author=author, title="Four Doors", chapters=4)


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_chapters_are_reordered_by_typing_positions_without_javascript(no_js_page, viewport):
    author, story = four_chapters()
    page = no_js_page(author)
    page.set_viewport_size(VIEWPORTS[viewport])
    page.goto(story.get_absolute_url())
    page.get_by_role("link", name="Manage chapters").click()

    page.get_by_label("Position of Chapter 4: Part 4").fill("1")
    page.get_by_role("button", name="Update positions").click()

    expect(page.locator("ul.messages")).to_have_text("The chapters are in their new order.")
    expect(page.get_by_label("Position of Chapter 1: Part 4")).to_have_value("1")
    assert titles(story) == ["Part 4", "One", "Part 2", "Part 3"]
    page.goto(f"{story.get_absolute_url()}?view_full_work=true")
    expect(page.locator("nav.toc li").first).to_have_text("Chapter 1: Part 4")


def test_a_stale_page_is_refused_without_javascript(no_js_page):
    author, story = four_chapters()
    page = no_js_page(author)
    page.goto(f"/works/{story.pk}/chapters/manage")
    story.chapters.get(title="Part 3").delete()  # another tab, meanwhile (positions 1, 2, 4)

    page.get_by_label("Position of Chapter 2: Part 2").fill("1")
    page.get_by_role("button", name="Update positions").click()

    expect(page.get_by_role("alert")).to_contain_text("nothing was saved")
    assert titles(story) == ["One", "Part 2", "Part 4"]


def test_move_up_and_down_buttons_reorder_from_the_keyboard(sized_page: Page, log_in):
    page = sized_page
    author, story = four_chapters()
    log_in(author)
    page.goto(f"/works/{story.pk}/chapters/manage")

    up = page.get_by_role("button", name="Move up: Chapter 3: Part 3")
    up.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # focus stays on the moved chapter's button
    expect(page.locator("[data-reorder-status]")).to_have_text("Chapter 3: Part 3 is now at position 1 of 4.")
    expect(page.get_by_role("button", name="Move up: Chapter 3: Part 3")).to_be_disabled()
    expect(page.get_by_label("Position of Chapter 3: Part 3")).to_have_value("1")
    expect(page.get_by_label("Position of Chapter 1")).to_have_value("2")
    expect(page.get_by_role("button", name="Move down: Chapter 4: Part 4")).to_be_disabled()  # at the end already
    page.get_by_role("button", name="Update positions").click()

    expect(page.locator("ul.messages")).to_have_text("The chapters are in their new order.")
    assert titles(story) == ["Part 3", "One", "Part 2", "Part 4"]


def test_a_chapter_is_dragged_to_its_new_place(sized_page: Page, log_in):
    page = sized_page
    author, story = four_chapters()
    log_in(author)
    page.goto(f"/works/{story.pk}/chapters/manage")
    rows = page.locator(".chapter-row")

    target = rows.nth(2).bounding_box()
    # Dropped on the lower half of the third row: after it.
    rows.nth(0).locator(".chapter-name").drag_to(rows.nth(2), target_position={"x": 10, "y": target["height"] - 4})

    expect(page.locator(".chapter-row .chapter-name")).to_have_text(
        ["Chapter 2: Part 2", "Chapter 3: Part 3", "Chapter 1", "Chapter 4: Part 4"]
    )
    expect(page.get_by_label("Position of Chapter 1")).to_have_value("3")
    page.get_by_role("button", name="Update positions").click()
    expect(page.locator("ul.messages")).to_have_text("The chapters are in their new order.")
    assert titles(story) == ["Part 2", "Part 3", "One", "Part 4"]


def test_an_author_previews_a_new_work_then_posts_it(sized_page: Page, log_in):
    page = sized_page
    log_in(UserFactory(username="quill"))
    page.goto("/works/new")
    page.get_by_role("textbox", name="Title", exact=True).fill("Sea Glass")
    page.get_by_label("Summary", exact=True).fill("Two sisters and a tide.")
    page.get_by_label("Rating").select_option(label="General Audiences")
    page.get_by_label("No Archive Warnings Apply").check()
    page.get_by_role("combobox", name="Fandoms").fill("Original Work")
    page.get_by_label("Chapter summary").fill("Where it starts.")
    page.get_by_label("Chapter text").fill("The tide went out.\n\nIt came back.")

    page.get_by_role("button", name="Preview").click()

    preview = page.locator(".preview-page")
    expect(page.get_by_role("heading", name="Preview of your new work")).to_be_visible()
    expect(preview.locator("h2.title")).to_have_text("Sea Glass")
    expect(preview.locator(".chapter .summary blockquote")).to_have_text("Where it starts.")
    expect(preview.locator(".userstuff[role=article] p")).to_have_text(["The tide went out.", "It came back."])
    assert not Story.objects.exists()
    # Every value is still in the form: change one and post.
    expect(page.get_by_label("Chapter text")).to_have_value("The tide went out.\n\nIt came back.")
    page.get_by_role("textbox", name="Title", exact=True).fill("Sea Glass, Again")
    page.get_by_role("button", name="Post", exact=True).click()

    expect(page.get_by_role("status")).to_have_text("Your work was posted.")
    expect(page.locator("h2.title")).to_have_text("Sea Glass, Again")
    story = Story.objects.get()
    assert not story.is_draft and story.chapters.get().summary == "<p>Where it starts.</p>"


def test_a_chapter_edit_is_previewed_and_updated_without_javascript(no_js_page):
    author = UserFactory(username="quill")
    story = make_story(author=author, title="Orchard", body="The apples were green.")
    chapter = story.chapters.get()
    page = no_js_page(author)
    page.goto(f"/works/{story.pk}/chapters/{chapter.pk}/edit")
    page.get_by_label("Chapter text").fill("The apples were red.")

    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".preview-page .userstuff[role=article]")).to_contain_text("The apples were red.")
    chapter.refresh_from_db()
    assert "green" in chapter.body

    page.get_by_role("button", name="Update").click()
    expect(page).to_have_url(re.compile(rf"/works/{story.pk}/chapters/{chapter.pk}$"))
    expect(page.locator("#chapters")).to_contain_text("The apples were red.")


def checked_pages(client: Client) -> dict[str, bytes]:
    """The manage page and each preview page, as served."""
    author = UserFactory(username="quill")
    story = make_story(author=author, title="Four Doors", chapters=3, summary="<p>Doors.</p>", end_notes="<p>Bye.</p>")
    chapter = story.chapters.order_by("position").last()
    client.force_login(author)
    chapter_data = {"title": "T", "summary": "S.", "notes": "N.", "end_notes": "E.", "body": "B.", "action": "preview"}
    edit_data = {
        k: v for k, v in work_form_data(title="Four Doors", end_notes="Bye.", action="preview").items()
        if not k.startswith("chapter-")
    }  # fmt: skip
    responses = {
        "manage chapters": client.get(f"/works/{story.pk}/chapters/manage"),
        "new work preview": client.post("/works/new", work_form_data(action="preview", **{"chapter-summary": "S."})),
        "new chapter preview": client.post(f"/works/{story.pk}/chapters/new", chapter_data),
        "chapter edit preview": client.post(f"/works/{story.pk}/chapters/{chapter.pk}/edit", chapter_data),
        "work edit preview": client.post(f"/works/{story.pk}/edit", edit_data),
    }
    for name, response in responses.items():
        assert response.status_code == 200, name
        assert name == "manage chapters" or b"preview-page" in response.content, name
    return {name: response.content for name, response in responses.items()}


@needs_vnu
def test_the_manage_and_preview_pages_are_valid_html(db, tmp_path):
    files = []
    for name, content in checked_pages(Client()).items():
        files.append(tmp_path / f"{name.replace(' ', '-')}.html")
        files[-1].write_bytes(content)

    messages = nu_messages(files)
    errors = [f"{m.get('url', '').rsplit('/', 1)[-1]}: {m['message']} {m.get('extract', '')!r}" for m in messages]
    assert not errors, "The Nu Html Checker found errors:\n" + "\n".join(errors)


@needs_axe
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_manage_and_preview_pages_have_no_serious_or_critical_axe_violations(browser, live_server, theme):
    author, story = four_chapters()
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    context.add_cookies([session_cookie(author, live_server.url)])
    page = context.new_page()
    page.add_init_script(f"localStorage.setItem('reader-theme', '{theme}')")
    chapter = story.chapters.order_by("position").last()
    for name, url in {
        "manage chapters": f"/works/{story.pk}/chapters/manage",
        "chapter edit preview": f"/works/{story.pk}/chapters/{chapter.pk}/edit",
        "work edit preview": f"/works/{story.pk}/edit",
    }.items():
        assert page.goto(url).ok, name
        if name.endswith("preview"):
            page.get_by_role("button", name="Preview").click()
            expect(page.locator(".preview-page")).to_be_visible()
        page.evaluate(AXE.read_text())
        results = page.evaluate("() => axe.run()")
        blocking = [v for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]
        assert not blocking, f"axe-core on {name} ({url}, {theme} theme):\n{describe_violations(blocking)}"
    context.close()
