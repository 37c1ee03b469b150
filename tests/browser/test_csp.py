"""The Content-Security-Policy blocks nothing the archive itself serves.

The policy allows scripts, styles and fonts only from our own static files; an inline <script>,
an on*="" handler or a style="" attribute slipped into a template would be blocked (and break
the page) without any server-side test noticing. The browser reports each block as a
`securitypolicyviolation` event, which these tests collect on the key pages.
"""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_accessibility import KEY_PAGES, build_archive

COLLECT_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.__violations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"} at ${where}`);
});
"""


@pytest.mark.parametrize("name", KEY_PAGES)
def test_a_key_page_runs_without_a_single_content_security_policy_violation(page: Page, log_in, name):
    url, user = build_archive()[name]
    if user:
        log_in(user)
    page.add_init_script(COLLECT_VIOLATIONS)

    response = page.goto(url)
    page.wait_for_load_state("networkidle")

    assert response.ok
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert page.evaluate("window.__violations") == []


def test_the_tag_autocomplete_fetches_suggestions_under_the_policy(page: Page, log_in):
    _, author = build_archive()["post form"]
    log_in(author)
    page.add_init_script(COLLECT_VIOLATIONS)
    page.goto("/works/new")

    page.get_by_role("combobox", name="Characters", exact=True).press_sequentially("Car")

    expect(page.get_by_role("listbox").get_by_role("option", name="Carol Peletier")).to_be_visible()
    assert page.evaluate("window.__violations") == []
