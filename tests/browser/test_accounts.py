"""The account pages with JavaScript off, as a reader who forgot their password or is leaving
meets them, and each page checked by axe-core and the Nu Html Checker."""

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from playwright.sync_api import expect

from archive.accounts.models import User
from archive.accounts.services import confirmation_token
from archive.accounts.tests.factories import PASSWORD, UserFactory
from archive.core.tests.tools import AXE, needs_axe, needs_vnu, nu_messages
from archive.stories.models import Story
from archive.stories.tests.factories import make_story
from tests.browser.conftest import session_cookie
from tests.browser.test_accessibility import BLOCKING_IMPACTS, describe_violations

pytestmark = pytest.mark.django_db(transaction=True)

NEW_PASSWORD = "a-brand-new-passphrase-77"


def test_a_forgotten_password_is_reset_from_the_mailed_link_without_javascript(no_js_page, mailoutbox):
    UserFactory(username="carol", email="carol@example.org")
    page = no_js_page()
    page.goto("/users/login")
    page.get_by_role("link", name="Forgotten your password?").click()
    page.get_by_label("E-mail address or username").fill("carol")
    page.get_by_role("button", name="Reset password").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()

    link = re.search(r"http://[^/\s]+(/users/password/edit/\S+)", mailoutbox[0].body).group(1)
    page.goto(link)
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set new password").click()
    expect(page.get_by_role("heading", name="Your password is changed")).to_be_visible()

    page.get_by_role("link", name="Log in").first.click()
    page.get_by_label("Username").fill("carol")
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out carol")).to_be_visible()


def test_an_author_leaves_and_orphans_their_work_without_javascript(no_js_page):
    ann = UserFactory(username="ann")
    story = make_story(author=ann, title="Left Behind")
    page = no_js_page(ann)
    page.goto("/preferences")
    page.get_by_role("link", name="Delete your account").click()
    page.get_by_label("Orphan them").check()
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account").click()

    expect(page.get_by_text("The account ann is deleted.")).to_be_visible()
    page.goto(story.get_absolute_url())
    expect(page.locator("h2.title")).to_contain_text("Left Behind")
    expect(page.get_by_role("link", name="orphan_account")).to_be_visible()
    assert not User.objects.filter(username="ann").exists()
    assert Story.objects.get(pk=story.pk).authors.get().username == "orphan_account"


def account_pages() -> tuple[User, dict[str, str]]:
    ann = UserFactory(username="ann", email_verified=False)
    make_story(author=ann, title="Ann's Work")
    reset = (
        f"/users/password/edit/{urlsafe_base64_encode(force_bytes(ann.pk))}/{default_token_generator.make_token(ann)}"
    )
    return ann, {
        "forgotten password": "/users/password/new",
        "reset sent": "/users/password/sent",
        "new password": reset,
        "change password": "/users/ann/change_password",
        "change e-mail": "/users/ann/change_email",
        "confirm e-mail": f"/users/confirm_email/{confirmation_token(user=ann, address='ann@new.example')}",
        "preferences, unconfirmed": "/preferences",
        "delete account": "/users/ann/delete",
    }


@needs_axe
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_account_pages_have_no_serious_or_critical_axe_violations(browser, live_server, theme):
    ann, pages = account_pages()
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    context.add_cookies([session_cookie(ann, live_server.url)])
    page = context.new_page()
    page.add_init_script(f"localStorage.setItem('reader-theme', '{theme}')")
    for name, url in pages.items():
        assert page.goto(url).ok, name
        page.evaluate(AXE.read_text())
        results = page.evaluate("() => axe.run()")
        blocking = [v for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]
        assert not blocking, f"axe-core on {name} ({url}, {theme} theme):\n{describe_violations(blocking)}"
    context.close()


@needs_vnu
def test_the_account_pages_are_valid_html(db, tmp_path):
    ann, pages = account_pages()
    client = Client()
    client.force_login(ann)
    files = []
    for name, url in pages.items():
        response = client.get(url, follow=True)
        assert response.status_code == 200, name
        files.append(tmp_path / f"{name.replace(' ', '-').replace(',', '')}.html")
        files[-1].write_bytes(response.content)

    messages = nu_messages(files)
    errors = [f"{m.get('url', '').rsplit('/', 1)[-1]}: {m['message']} {m.get('extract', '')!r}" for m in messages]
    assert not errors, "The Nu Html Checker found errors:\n" + "\n".join(errors)
