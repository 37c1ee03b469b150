"""No stored payload fires in a real browser: a work, its comments, tags and its author's profile
carry fifty of the corpus's nastiest payloads, and opening their pages opens no alert, confirm or
prompt. The page's Content-Security-Policy is bypassed, so what is tested is our escaping and
sanitizing, not the policy that would stand behind them.
"""

from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

from archive.accounts.tests.factories import UserFactory
from archive.chapters.models import Chapter
from archive.core.tests.executable import html_findings
from archive.core.tests.payloads import EVERY, PAYLOADS, batch_text, pack, pack_prose, tag_payloads
from archive.stories.models import Story
from archive.stories.tests.factories import work_form_data
from archive.tags.models import Tag
from tests.browser.conftest import TIMEOUT_MS

pytestmark = pytest.mark.django_db(transaction=True)

SELECTION_SIZE = 50


def nastiest(count: int = SELECTION_SIZE) -> list[int]:
    """Payloads that run when a page shows them as markup, spread over the whole corpus."""
    running = [index for index in EVERY if html_findings(f"<body>{PAYLOADS[index]}</body>")]
    step = max(len(running) // count, 1)
    return running[::step][:count]


@pytest.fixture
def watched(browser, live_server):
    """A page without CSP, that talks to nobody but the live server, and records every dialog."""
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    context.set_default_timeout(TIMEOUT_MS)
    context.route(
        "**/*",
        lambda route: route.continue_() if route.request.url.startswith(live_server.url) else route.abort(),
    )
    page = context.new_page()
    page.dialogs = []

    def record(dialog) -> None:
        page.dialogs.append(f"{dialog.type}: {dialog.message} on {page.url}")
        dialog.dismiss()

    page.on("dialog", record)
    yield page
    context.close()


# Resolves once the next frame is drawn and the task queued after it has run: by then every
# handler a payload could set off (an image's error, autofocus, a toggle, a hover) has had its turn.
SETTLED = "() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)))"


def settle(page) -> None:
    page.evaluate(SETTLED)


def visit(page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("load")
    # Handlers that need a reader: hover across the page, move the focus along.
    size = page.viewport_size or {"width": 1280, "height": 720}
    for y in range(0, size["height"], 60):
        page.mouse.move(size["width"] / 2, y)
    for _ in range(8):
        page.keyboard.press("Tab")
    settle(page)


def test_no_payload_on_a_work_its_comments_tags_search_or_profile_opens_a_dialog(watched):
    selection = nastiest()
    assert len(selection) >= 45
    author = UserFactory(username="payload_author")
    writer = Client()
    writer.force_login(author)
    titles = pack(selection, 255)
    prose = pack_prose(selection, 5_000)
    short_tags = tag_payloads()[:10]
    response = writer.post(
        "/works/new",
        work_form_data(
            title=batch_text(titles[0]),
            summary=batch_text(pack_prose(selection, 1_250)[0]),
            notes=batch_text(prose[0]),
            end_notes=batch_text(prose[-1]),
            fandoms=", ".join(PAYLOADS[index] for index in short_tags),
            freeforms=", ".join(f"{PAYLOADS[index]} a" for index in short_tags),
            comment_permission="everyone",
            **{
                "chapter-title": batch_text(titles[-1]),
                "chapter-notes": batch_text(prose[0]),
                "chapter-end_notes": batch_text(prose[-1]),
                "chapter-body": "Findme. " + " ".join(batch_text(batch) for batch in prose),
            },
        ),
    )
    assert response.status_code == 302
    story = Story.objects.get()
    chapter = Chapter.objects.get(story=story)
    comments_url = f"/works/{story.pk}/chapters/{chapter.pk}/comments"
    reader = Client()
    reader.force_login(UserFactory(username="payload_reader"))
    assert reader.post(comments_url, {"body": batch_text(selection)}).status_code == 302
    for name in pack(selection, 100)[:10]:
        guest = {"guest_name": batch_text(name), "guest_email": "guest@example.org", "body": "Lovely."}
        assert Client().post(comments_url, guest).status_code == 302
    profile = {
        "display_name": batch_text(pack(selection, 100)[0]),
        "pronouns": batch_text(pack(selection, 50)[0]),
        "about": batch_text(prose[0]),
        "website": "https://example.org/",
    }
    assert writer.post("/profile/edit", profile).status_code == 302
    tag = Tag.objects.get(name=PAYLOADS[short_tags[0]])

    for url in [
        story.get_absolute_url(),
        f"{story.get_absolute_url()}?view_full_work=true",
        f"/works/{story.pk}/chapters/{chapter.pk}",
        comments_url,
        f"/works/{story.pk}/navigate",
        reverse("stories:tag_works", args=[tag.name]),
        tag.get_absolute_url(),
        f"/works/search?{urlencode({'q': 'Findme'})}",
        f"/works/search?{urlencode({'q': PAYLOADS[selection[0]]})}",
        "/users/payload_author/profile",
        "/users/payload_author/works",
        "/",
    ]:
        visit(watched, url)

    assert watched.dialogs == []


def test_the_selection_would_open_dialogs_if_a_page_showed_it_as_markup(watched, live_server):
    """The control: the same payloads, unescaped, do fire in this browser, and the watch sees it."""
    watched.goto(f"{live_server.url}/")
    fired = 0
    for index in nastiest():
        before = len(watched.dialogs)
        watched.set_content(f"<!DOCTYPE html><html><body>{PAYLOADS[index]}</body></html>")
        settle(watched)
        fired += len(watched.dialogs) > before

    assert fired >= 25
