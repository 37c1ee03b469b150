"""Stored prose fragments written out as XHTML that EPUB readers and epubcheck accept."""

from xml.etree import ElementTree

import pytest

from archive.core.prose import strip_controls
from archive.downloads.xhtml import ProseWriter

epub_prose = ProseWriter(base_url="https://archive.example/", keep_images=False)
html_prose = ProseWriter(base_url="https://archive.example/", keep_images=True)


def parses_as_xml(markup: str) -> bool:
    ElementTree.fromstring(f'<div xmlns="http://www.w3.org/1999/xhtml">{markup}</div>')  # noqa: S314 - our output
    return True


@pytest.mark.parametrize(
    ("stored", "written"),
    [
        pytest.param("<p>a&nbsp;b&hellip; &amp; &lt;c&gt;</p>", "<p>a\u00a0b… &amp; &lt;c&gt;</p>", id="entities"),
        pytest.param("<p>one<br>two</p><hr>", "<p>one<br/>two</p><hr/>", id="void elements"),
        pytest.param("<p>“Curly” ‘quotes’ — 東京 مرحبا</p>", "<p>“Curly” ‘quotes’ — 東京 مرحبا</p>", id="characters"),
        pytest.param(
            "<em><p>one</p><p>two</p></em>",
            '<em><span class="block p">one</span><span class="block p">two</span></em>',
            id="paragraphs in emphasis",
        ),
        pytest.param("<span><div>x</div></span>", '<span><span class="block div">x</span></span>', id="div in span"),
        pytest.param("<ul>loose<li>item</li></ul>", "<ul><li>loose</li><li>item</li></ul>", id="text in a list"),
        pytest.param("<li>stray</li>", '<div class="li">stray</div>', id="item outside a list"),
        pytest.param("<dl><dd>d</dd><dt>t</dt></dl>", "<dl><dt></dt><dd>d</dd><dt>t</dt><dd></dd></dl>", id="terms"),
        pytest.param(
            "<dl><dt><h2>Term</h2></dt><dd>d</dd></dl>",
            '<dl><dt><span class="block h2">Term</span></dt><dd>d</dd></dl>',
            id="heading in a term",
        ),
        pytest.param("<center>* * *</center>", '<div class="center">* * *</div>', id="center"),
        pytest.param("<ruby>no reading</ruby>", "<span>no reading</span>", id="ruby without rt"),
        pytest.param(
            "<ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp></ruby>",
            "<ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp></ruby>",
            id="ruby",
        ),
        pytest.param(
            "<table><tr><td>x</td></tr><caption>c</caption></table>",
            "<table><caption>c</caption><tbody><tr><td>x</td></tr></tbody></table>",
            id="caption first",
        ),
        pytest.param(
            '<p dir="sideways" lang="not a tag">x</p><ol start="x" type="q"><li>y</li></ol>',
            "<p>x</p><ol><li>y</li></ol>",
            id="invalid attribute values",
        ),
        pytest.param("bad \x0b\x01 characters\ufffe", "bad  characters", id="characters XML forbids"),
    ],
)
def test_stored_html_is_written_as_well_formed_valid_xhtml(stored, written):
    assert epub_prose(stored) == written
    assert parses_as_xml(written)


@pytest.mark.parametrize(
    ("href", "written"),
    [
        ("https://example.org/a?b=1&c=2", "https://example.org/a?b=1&amp;c=2"),
        ("/works/3", "https://archive.example/works/3"),
        ("https://example.org/a b", "https://example.org/a%20b"),
        ("https://example.org/ü", "https://example.org/%C3%BC"),
        ("mailto:author@example.org", "mailto:author@example.org"),
    ],
)
def test_links_are_absolute_and_escaped(href, written):
    assert epub_prose(f'<a href="{href}">x</a>') == f'<a href="{written}" rel="nofollow">x</a>'


@pytest.mark.parametrize(
    "href",
    [
        "#anchor",
        "javascript:alert(1)",
        "ftp://example.org/file",
        # A control character hiding the scheme, stored raw (before prose.sanitize_html) or by reference.
        "java\x01script:alert(1)",
        "java&#1;script:alert(1)",
        "vb&#x7f;script:alert(1)",
    ],
)
def test_links_that_lead_nowhere_from_a_file_lose_their_address(href):
    assert epub_prose(f'<a href="{href}">x</a>') == "<a>x</a>"


def test_an_epub_links_to_an_image_instead_of_loading_it():
    stored = '<p><img src="https://example.org/a.png" alt="A map"> <a href="https://x.org"><img src="https://example.org/b.png"></a></p>'

    assert epub_prose(stored) == (
        '<p><a href="https://example.org/a.png" class="image">[Image: A map]</a> '
        '<a href="https://x.org" rel="nofollow">[Image]</a></p>'
    )


def test_the_html_file_keeps_images_over_https_only():
    stored = (
        '<img src="https://example.org/a.png" alt="A" width="20" height="x">'
        '<img src="http://example.org/b.png" alt="B">'
    )

    assert html_prose(stored) == '<img src="https://example.org/a.png" alt="A" width="20"/>B'


def test_scripts_styles_and_handlers_never_survive_even_if_stored():
    stored = '<p onclick="x()">a<script>alert(1)</script><style>p{}</style><iframe src="https://x"></iframe></p>'

    assert epub_prose(stored) == "<p>a</p>"


def test_plain_strings_lose_only_what_xml_cannot_hold():
    assert strip_controls("Title\x00 with “quotes” & <tags>\x1f") == "Title with “quotes” & <tags>"
