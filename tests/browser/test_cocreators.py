"""Co-creators in the browser: an author invites someone by name, the invitee answers from their
inbox (on a phone and a desktop, and without JavaScript), a co-creator leaves; axe-core and the
Nu Html Checker on every co-creators page."""

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from archive.accounts.tests.factories import UserFactory
from archive.cocreators.services import invite_cocreator
from archive.core.tests.tools import AXE, needs_axe, needs_vnu, nu_messages
from archive.stories.models import Story
from archive.stories.tests.factories import make_story
from tests.browser.conftest import session_cookie
from tests.browser.test_accessibility import BLOCKING_IMPACTS, describe_violations

pytestmark = pytest.mark.django_db(transaction=True)


def authors_of(story: Story) -> list[str]:
    return sorted(story.authors.values_list("username", flat=True))


def test_an_author_invites_and_the_invitee_accepts_from_their_inbox(sized_page, context, log_in):
    page = sized_page
    ann, bea = UserFactory(username="ann"), UserFactory(username="bea")
    story = make_story(author=ann, title="Two Hands Writing")
    log_in(ann)
    page.goto(story.get_absolute_url())
    page.get_by_role("link", name="Co-creators").click()
    page.get_by_label("Invite a co-creator").fill("bea")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("bea is invited; they are credited once they accept.")).to_be_visible()
    assert authors_of(story) == ["ann"], "nobody is credited before accepting"

    context.clear_cookies()
    log_in(bea)
    page.goto("/")
    if page.viewport_name == "phone":
        page.get_by_text("Menu", exact=True).click()
    page.get_by_role("link", name=re.compile(r"^Inbox")).click()
    expect(page.get_by_text("ann invited you to be a co-creator of “Two Hands Writing”")).to_be_visible()
    page.get_by_role("button", name="Accept").click()

    expect(page.get_by_text("You are now a co-creator of “Two Hands Writing”.")).to_be_visible()
    byline = page.locator("#workskin .byline")
    expect(byline.get_by_role("link", name="ann")).to_be_visible()
    expect(byline.get_by_role("link", name="bea")).to_be_visible()
    expect(page.get_by_role("link", name="Edit work")).to_be_visible()
    assert authors_of(story) == ["ann", "bea"]


def test_inviting_and_declining_without_javascript(no_js_page):
    ann, bea = UserFactory(username="ann"), UserFactory(username="bea")
    story = make_story(author=ann, title="Quiet Offer")
    page = no_js_page(ann)
    page.goto(f"/works/{story.pk}/edit")
    page.get_by_role("link", name=re.compile("^Co-creators")).click()
    page.get_by_label("Invite a co-creator").fill("beatrix")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator("#id_username_error")).to_contain_text("There is no user named “beatrix”.")
    expect(page.get_by_label("Invite a co-creator")).to_have_value("beatrix")
    page.get_by_label("Invite a co-creator").fill("bea")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("button", name="Withdraw the invitation to bea")).to_be_visible()

    page = no_js_page(bea)
    page.goto("/inbox")
    page.get_by_role("button", name="ann invited you to be a co-creator of “Quiet Offer”").click()
    expect(page.get_by_role("heading", name="Co-create “Quiet Offer”?")).to_be_visible()
    page.get_by_role("button", name="Decline").click()

    expect(page.get_by_text("You declined the invitation to co-create “Quiet Offer”.")).to_be_visible()
    expect(page.get_by_text("ann invited you")).to_have_count(0)
    assert authors_of(story) == ["ann"]


def test_a_co_creator_removes_themselves_without_javascript(no_js_page):
    ann, bea = UserFactory(username="ann"), UserFactory(username="bea")
    story = make_story(author=ann, title="Parting Ways")
    story.authors.add(bea)
    page = no_js_page(bea)
    page.goto(f"/works/{story.pk}/co-creators")
    page.get_by_role("link", name="Remove me as co-creator…").click()
    page.get_by_role("button", name="Yes, remove me").click()

    expect(page.get_by_text("You are no longer a co-creator of “Parting Ways”.")).to_be_visible()
    page.goto(story.get_absolute_url())
    expect(page.locator("#workskin .byline").get_by_role("link")).to_have_text(["ann"])


def cocreator_pages() -> tuple[dict, dict[str, tuple[str, object]]]:
    ann, bea = UserFactory(username="ann"), UserFactory(username="bea")
    shared = make_story(author=ann, title="Shared Work", summary="<p>Two voices.</p>")
    shared.authors.add(UserFactory(username="cat"))
    invite_cocreator(story=shared, inviter=ann, username="bea")
    alone = make_story(author=ann, title="Ann Alone")
    draft = make_story(author=ann, title="Ann's Draft", post=False)
    invite_cocreator(story=draft, inviter=ann, username="bea")
    return {"ann": ann, "bea": bea}, {
        "co-creators": (f"/works/{shared.pk}/co-creators", ann),
        "leave": (f"/works/{shared.pk}/co-creators/leave", ann),
        "orphan": (f"/works/{alone.pk}/co-creators/leave", ann),
        "draft's only author": (f"/works/{draft.pk}/co-creators/leave", ann),
        "invitation": (f"/works/{shared.pk}/invitation", bea),
        "invitation to a draft": (f"/works/{draft.pk}/invitation", bea),
        "inbox with invitations": ("/inbox", bea),
    }


@needs_axe
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_co_creator_pages_have_no_serious_or_critical_axe_violations(browser, live_server, theme):
    users, pages = cocreator_pages()
    for name, (url, user) in pages.items():
        context = browser.new_context(base_url=live_server.url, bypass_csp=True)
        context.add_cookies([session_cookie(user, live_server.url)])
        page = context.new_page()
        page.add_init_script(f"localStorage.setItem('reader-theme', '{theme}')")
        assert page.goto(url).ok, name
        page.evaluate(AXE.read_text())
        results = page.evaluate("() => axe.run()")
        blocking = [v for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]
        assert not blocking, f"axe-core on {name} ({url}, {theme} theme):\n{describe_violations(blocking)}"
        context.close()


@needs_vnu
def test_the_co_creator_pages_are_valid_html(db, tmp_path):
    users, pages = cocreator_pages()
    files = []
    for name, (url, user) in pages.items():
        client = Client()
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, name
        files.append(tmp_path / (re.sub(r"\W+", "-", name) + ".html"))
        files[-1].write_bytes(response.content)
    # The co-creators page with an error next to the field.
    client = Client()
    client.force_login(users["ann"])
    response = client.post(pages["co-creators"][0], {"username": "nobody"})
    assert b"id_username_error" in response.content
    files.append(tmp_path / "co-creators-error.html")
    files[-1].write_bytes(response.content)

    messages = nu_messages(files)
    errors = [f"{m.get('url', '').rsplit('/', 1)[-1]}: {m['message']} {m.get('extract', '')!r}" for m in messages]
    assert not errors, "The Nu Html Checker found errors:\n" + "\n".join(errors)


def test_the_invite_field_suggests_usernames_as_the_author_types(page, log_in):
    ann = UserFactory(username="ann")
    for name in ("beatrix", "benedict", "carmen"):
        UserFactory(username=name)
    story = make_story(author=ann, title="Suggested")
    log_in(ann)
    page.goto(f"/works/{story.pk}/co-creators")

    page.get_by_label("Invite a co-creator").press_sequentially("be")

    options = page.locator("#id_username_suggestions option")
    expect(options).to_have_count(2)
    assert [options.nth(i).get_attribute("value") for i in range(2)] == ["beatrix", "benedict"]
