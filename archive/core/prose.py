"""Prose in, safe HTML out.

Authors paste plain text (from Word, Google Docs, a phone) or a small subset of HTML. Plain text
becomes paragraphs; HTML is cleaned with nh3 to an allowlist fit for fiction. Whatever the input,
the characters themselves (curly quotes, dashes, ellipses, any script) pass through untouched.
"""

import html
import re

import nh3

ALLOWED_TAGS = {
    "p", "br", "em", "strong", "i", "b", "u", "s", "sup", "sub", "blockquote", "hr",
    "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "a", "abbr", "small", "span",
    "ruby", "rt", "rp", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption",
    "img", "div", "del", "ins", "cite", "q", "dl", "dt", "dd", "center",
}  # fmt: skip
_DIRECTIONAL = {"lang", "dir"}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start", "type"},
    **dict.fromkeys(("span", "p", "div", "blockquote", "q", "li"), _DIRECTIONAL),
}
URL_SCHEMES = {"http", "https", "mailto"}

_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>")
_BLOCK = re.compile(r"<(p|div|br|blockquote|h[2-6]|ul|ol|table|hr)\b", re.IGNORECASE)
_BLANK_LINE = re.compile(r"\n[ \t\u00a0]*\n+")


def _keep_attribute(element: str, attribute: str, value: str) -> str | None:
    # Images load from the reader's browser: only over https, never mixed content or data: URLs.
    if element == "img" and attribute == "src" and not value.lower().startswith("https://"):
        return None
    return value


def _paragraphs(text: str) -> str:
    paragraphs = (block.strip("\n") for block in _BLANK_LINE.split(text))
    return "".join(f"<p>{block.replace(chr(10), '<br>')}</p>" for block in paragraphs if block.strip())


def looks_like_html(text: str) -> bool:
    return bool(_TAG.search(text))


# Control characters (a bell, a form feed pasted from an old document, C1 codes from a mangled
# encoding) have no place in prose, and XML (feeds, OPDS, EPUB) can't hold them or the two
# noncharacters U+FFFE and U+FFFF; tabs and newlines stay. The one list, for pages and XML alike.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def strip_controls(text: str) -> str:
    """Plain text (a title, a tag, a query) without the characters pages and XML can't use."""
    return _CONTROLS.sub("", text or "")


def _nh3(fragment: str) -> str:
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_keep_attribute,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow",
        strip_comments=True,
    )


def sanitize_html(fragment: str) -> str:
    """The one way HTML from a user becomes safe to show: control characters out, then nh3.

    Whatever transforms user HTML (storing it, a feed adding a line to a summary) ends here, and
    nothing transforms the result. nh3 writes a character reference out as the character, so
    `href="java&#1;script:..."` comes out with a raw control character in it: no scheme to a
    browser, but an XML writer must drop it, and `javascript:` would be left. So a result that
    holds one is cleaned once more; nh3 writes no character references, so that pass leaves none,
    and the result is free of them: no later step has a reason to change it. (It comes trimmed,
    too: a fragment's ends are text, never inside a tag.)
    """
    cleaned = _nh3(strip_controls(fragment))
    if _CONTROLS.search(cleaned):
        cleaned = _nh3(strip_controls(cleaned))
    return cleaned.strip()


def clean_prose(raw: str) -> str:
    """Return the safe HTML to store for what the author typed or pasted."""
    text = strip_controls(raw).replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return ""
    if not looks_like_html(text):
        text = _paragraphs(html.escape(text, quote=False))
    elif not _BLOCK.search(text):
        # Inline HTML without any structure ("I <em>knew</em> it.\n\nNext day...") still has
        # the author's paragraphs in its blank lines.
        text = _paragraphs(text)
    return sanitize_html(text)


_BREAKING_TAG = re.compile(
    r"</?(p|br|div|blockquote|hr|h[2-6]|ul|ol|li|table|tr|td|th|caption|dt|dd|img|rt|rp)\b[^>]*>", re.IGNORECASE
)


def html_to_text(fragment: str) -> str:
    """Visible text of a stored fragment, for word counts and plain-text excerpts."""
    spaced = _BREAKING_TAG.sub(" ", fragment or "")
    return html.unescape(nh3.clean(spaced, tags=set(), attributes={}))


# Han ideographs, kana and CJK punctuation-free ranges count one word per character.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")
# A word: letters or digits, joined by apostrophes or hyphens ("don't", "well-known", "’tis").
_WORD = re.compile(r"[^\W_]+(?:['’\-‐‑][^\W_]+)*")


def count_words(fragment: str) -> int:
    text = html_to_text(fragment)
    cjk = len(_CJK.findall(text))
    return cjk + len(_WORD.findall(_CJK.sub(" ", text)))
