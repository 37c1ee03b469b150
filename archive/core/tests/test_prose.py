import pytest

from archive.core.prose import clean_prose, count_words, sanitize_html, strip_controls


def test_plain_text_becomes_paragraphs_and_line_breaks():
    assert clean_prose("One.\nStill one.\n\nTwo.") == "<p>One.<br>Still one.</p><p>Two.</p>"


def test_windows_line_endings_and_extra_blank_lines_make_one_paragraph_break():
    assert clean_prose("One.\r\n\r\n\r\nTwo.") == "<p>One.</p><p>Two.</p>"


def test_typography_and_scripts_survive_unchanged():
    text = "“Well…” she said — ‘it’s naïve’. 我爱你. مرحبا. Ελλάδα."
    assert clean_prose(text) == f"<p>{text}</p>"


def test_plain_text_angle_brackets_are_shown_not_parsed():
    assert clean_prose("I <3 you & him") == "<p>I &lt;3 you &amp; him</p>"


def test_allowed_html_is_kept():
    html = (
        '<p><em>a</em> <strong>b</strong> <span lang="ja" dir="ltr">c</span></p>'
        "<blockquote>d</blockquote><hr><h2>e</h2>"
    )
    assert clean_prose(html) == html


def test_inline_html_without_paragraphs_is_paragraphed():
    assert clean_prose("I <em>knew</em>.\n\nThen.") == "<p>I <em>knew</em>.</p><p>Then.</p>"


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        '<img src="https://x.test/a.png" onerror="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        '<svg onload="alert(1)"></svg>',
        "<style>body{display:none}</style>",
        '<iframe src="https://evil.test"></iframe>',
        '<p style="background:url(javascript:alert(1))">x</p>',
    ],
)
def test_nothing_executable_survives(payload):
    cleaned = clean_prose(payload).lower()
    for bad in ("<script", "onerror", "onload", "javascript:", "<style", "<iframe", "style="):
        assert bad not in cleaned


def test_links_get_nofollow():
    assert clean_prose('<p><a href="https://example.org">x</a></p>') == (
        '<p><a href="https://example.org" rel="nofollow">x</a></p>'
    )


def test_images_only_over_https():
    assert "src" not in clean_prose('<p><img src="http://example.org/a.png" alt="a"></p>')
    assert 'src="https://example.org/a.png"' in clean_prose('<p><img src="https://example.org/a.png" alt="a"></p>')


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("<p>Hello world</p>", 2),
        ("<p>Don’t stop — it’s well-known.</p>", 4),
        ("<p>我爱你</p>", 3),
        ("<p>Three… dots… here</p>", 3),
        ("<p>a<br>b</p><p>c</p>", 3),
        ("", 0),
    ],
)
def test_words_count_as_a_reader_would(text, words):
    assert count_words(text) == words


def test_control_characters_are_dropped_but_tabs_and_newlines_stay():
    assert clean_prose("Ring\x07 the bell.\x0c\n\nNext\tpage.") == "<p>Ring the bell.</p><p>Next\tpage.</p>"


# Every character a reference can stand for that strip_controls drops: C0, DEL, C1, U+FFFE, U+FFFF.
DROPPED = [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0), 0xFFFE, 0xFFFF]


@pytest.mark.parametrize("code", DROPPED, ids=hex)
def test_sanitized_html_holds_no_character_that_a_later_step_would_drop(code):
    fragment = f'<a href="java&#{code};script:alert(1)" title="a&#x{code:x};b">x&#{code};y</a>'

    for sanitized in (sanitize_html(fragment), clean_prose(fragment)):
        # Nothing left for an XML writer to strip, so nothing it could turn into `javascript:`.
        assert strip_controls(sanitized) == sanitized
        assert "javascript:" not in sanitized.lower()
        assert sanitize_html(sanitized) == sanitized
