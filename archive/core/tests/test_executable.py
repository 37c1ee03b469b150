"""The stored-XSS checker (executable.py) finds what runs, and nothing in what is escaped."""

import html

import pytest

from archive.core.tests.executable import css_runs_code, html_findings, is_dangerous_url, xml_findings
from archive.core.tests.payloads import PAYLOADS


def page(body: str) -> str:
    return (
        f'<!DOCTYPE html><html><head><script src="/static/js/app.js" defer></script></head><body>{body}</body></html>'
    )


def test_every_payload_escaped_as_text_runs_nothing():
    for index, payload in enumerate(PAYLOADS):
        escaped = html.escape(payload)
        assert html_findings(page(f'<p title="{escaped}">{escaped}</p><textarea>{escaped}</textarea>')) == [], index


def test_most_payloads_shown_as_markup_would_run():
    running = [payload for payload in PAYLOADS if html_findings(page(payload))]

    assert len(running) >= 200


@pytest.mark.parametrize(
    "markup",
    [
        "<script>alert(1)</script>",
        '<script src="https://evil.example/x.js"></script>',
        '<script src="/static/js/app.js">alert(1)</script>',
        "<svg><script>alert(1)</script></svg>",
        "<img src=x onerror=alert(1)>",
        "<svg/onload=alert(1)>",
        '<a href="&#x6A;avascript:alert(1)">x</a>',
        '<a href=" java\tscript:alert(1)">x</a>',
        '<a href="VBScript:x">x</a>',
        '<a href="data:text/html,x">x</a>',
        '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
        '<form action="https://evil.example/"><button>x</button></form>',
        '<button formaction="https://evil.example/">x</button>',
        "<iframe src=https://example.org></iframe>",
        "<object data=x></object>",
        "<embed src=x>",
        '<base href="https://evil.example/">',
        '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
        '<div style="width:expression(alert(1))">x</div>',
        '<p style="x:\\65 xpression(alert(1))">x</p>',
        "<style>@import 'x.css';</style>",
        '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
        "<svg><style><img src=x onerror=alert(1)></style></svg>",
        '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
        '<iframe srcdoc="&lt;b&gt;x"></iframe>',
    ],
)
def test_the_checker_finds_what_would_run(markup):
    assert html_findings(page(markup))


@pytest.mark.parametrize(
    "markup",
    [
        '<a href="https://example.org/" rel="nofollow">javascript:alert(1)</a>',
        '<img src="https://example.org/a.png" alt="onerror=alert(1)">',
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>",
        '<form method="post" action="/works/new"><input type="hidden" name="csrfmiddlewaretoken" value="t"></form>',
        '<form method="get" class="search-form"><input name="q"></form>',
        '<p style="color: red">x</p>',
    ],
)
def test_the_checker_lets_harmless_markup_pass(markup):
    assert html_findings(page(markup)) == []


def test_a_finding_names_the_payload_marker_before_it():
    (finding,) = html_findings(page("<p>⟦3⟧ fine</p><p title='⟦4⟧'><img src=x onerror=alert(1)></p><p>⟦5⟧</p>"))

    assert finding.marker == 4
    assert "onerror" in finding.construct


def test_atom_html_content_is_checked_as_the_page_a_feed_reader_shows():
    feed = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>&lt;script&gt;alert(1)&lt;/script&gt;</title>
<summary type="html">&lt;img src=x onerror=alert(2)&gt;</summary>
<link href="javascript:alert(3)"/></entry></feed>"""

    findings = xml_findings(feed, "feed")

    assert len(findings) == 2
    assert {"onerror" in str(finding) or "javascript:" in str(finding) for finding in findings} == {True}


def test_urls_and_css_are_normalised_before_they_are_judged():
    assert is_dangerous_url("\x01 JaVa\nScRipt:alert(1)")
    assert not is_dangerous_url("https://example.org/javascript:")
    assert css_runs_code("background: u\\72 l(x)")
    assert css_runs_code("x: expr/**/ession(1)")
    assert not css_runs_code("color: red; font-weight: bold")
