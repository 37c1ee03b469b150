"""Stored prose fragments as markup that is both well-formed XML and valid HTML5.

Chapters, notes and summaries are stored as nh3-cleaned HTML (archive/core/prose.py). That is safe
to show in a browser, but not XHTML: `<br>` is unclosed, `&nbsp;` is an entity XML doesn't know,
and HTML parsing keeps nestings that the content models forbid (`<em><p>`, `<span><div>`, text
straight inside `<ul>`, `<center>`), which epubcheck reports as errors. So every fragment is cleaned
again with the same allowlist (whatever is stored, no script gets through), parsed into a small
tree, mended to the content models and written out with self-closed void elements, quoted
attributes and no entities but XML's own. The result is valid in the EPUB's XHTML and in the
HTML download alike.

The first step is `sanitize_html`, whose output holds no control character; the last is the writer,
which writes only allowlisted elements and attributes and checks each link's scheme on exactly the
text it writes, so no step in between can turn an allowed link into a dangerous one.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote, urljoin, urlsplit

from archive.core.prose import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, URL_SCHEMES, sanitize_html, strip_controls

VOID = {"br", "hr", "img"}
HEADINGS = {"h2", "h3", "h4", "h5", "h6"}
# Elements whose content must be phrasing content (text and inline elements).
PHRASING_ONLY = HEADINGS | {
    "p", "span", "em", "strong", "i", "b", "u", "s", "sup", "sub",
    "abbr", "small", "cite", "q", "ruby", "rt", "rp",
}  # fmt: skip
# Elements allowed in phrasing content; `a`, `del` and `ins` take their parent's content model.
PHRASING = (PHRASING_ONLY - HEADINGS - {"p", "rt", "rp"}) | {"br", "img", "a", "del", "ins"}
# Elements that only make sense inside a given parent.
PARENTS = {
    "li": {"ul", "ol"},
    "dt": {"dl"},
    "dd": {"dl"},
    "rt": {"ruby"},
    "rp": {"ruby"},
    "caption": {"table"},
    "thead": {"table"},
    "tbody": {"table"},
    "tfoot": {"table"},
    "tr": {"table", "thead", "tbody", "tfoot"},
    "td": {"tr"},
    "th": {"tr"},
}
TABLE_ORDER = {"caption": 0, "thead": 1, "tbody": 2, "tr": 2, "tfoot": 3}

_LANGUAGE_TAG = re.compile(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*")
_INTEGER = re.compile(r"-?[0-9]{1,9}")
_COUNT = re.compile(r"[0-9]{1,4}")
_VALID_VALUES = {
    "dir": {"ltr", "rtl", "auto"},
    "type": {"1", "a", "A", "i", "I"},
    "scope": {"row", "col", "rowgroup", "colgroup"},
}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list["Element | str"] = field(default_factory=list)


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("div")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            return
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack[-1].tag == tag:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


@dataclass(frozen=True)
class _Place:
    """Where an element stands: what its parent is, and what content its ancestors allow."""

    parent: str = "div"
    phrasing: bool = False
    in_link: bool = False
    in_caption: bool = False
    in_term: bool = False  # a dt or th, where no heading may stand


@dataclass(frozen=True)
class ProseWriter:
    """Writes stored fragments for one download.

    `base_url` makes the author's relative links absolute (a file has no site to be relative to);
    `keep_images` is off for EPUB, whose readers may not fetch remote images (epubcheck calls a
    remote image an error), so there an image becomes a link to it.
    """

    base_url: str
    keep_images: bool = True

    def __call__(self, fragment: str) -> str:
        if not fragment or not fragment.strip():
            return ""
        builder = _TreeBuilder()
        builder.feed(sanitize_html(fragment))
        builder.close()
        children = self._mend_children(builder.root, _Place())
        return "".join(_serialize(child) for child in children)

    # Mending: each element is fixed for where it stands, then its children for what it is.

    def _mend_children(self, parent: Element, place: _Place) -> list["Element | str"]:
        mended = []
        for child in parent.children:
            if isinstance(child, str):
                mended.append(child)
            else:
                mended.extend(self._mend(child, place))
        if parent.tag in {"ul", "ol"}:
            return _wrap_strays(mended, allowed={"li"}, wrapper="li")
        if parent.tag == "dl":
            return _pair_terms(_wrap_strays(mended, allowed={"dt", "dd"}, wrapper="dd"))
        if parent.tag in {"table", "thead", "tbody", "tfoot", "tr"}:
            parts = [child for child in mended if isinstance(child, Element)]
            if parent.tag == "table":
                parts.sort(key=lambda part: TABLE_ORDER.get(part.tag, 2))
            return parts
        return mended

    def _mend(self, element: Element, place: _Place) -> list["Element | str"]:
        tag = element.tag
        if tag == "img":
            return self._image(element, in_link=place.in_link)
        attrs = _valid_attributes(element)
        if tag == "a":
            attrs = self._link_attributes(attrs)
        if tag == "center":
            tag, attrs = "div", {**attrs, "class": "center"}
        if (tag in PARENTS and place.parent not in PARENTS[tag]) or (tag == "table" and place.in_caption):
            tag, attrs = "div", {"class": element.tag}
        if tag == "ruby" and not any(isinstance(child, Element) and child.tag == "rt" for child in element.children):
            tag, attrs = "span", {}
        blocked = place.phrasing and tag not in PHRASING and not (tag in {"rt", "rp"} and place.parent == "ruby")
        if blocked or (place.in_term and tag in HEADINGS):
            # A block where only inline content may stand (`<em><p>`), or a heading in a term: keep
            # the text and the look (the stylesheet shows `span.block` as a block), lose the element.
            if tag == "hr":
                return [Element("br")]
            tag, attrs = "span", {"class": f"block {element.tag}"}
        mended = Element(tag, attrs)
        if tag not in VOID:
            inner = _Place(
                parent=tag,
                phrasing=place.phrasing or tag in PHRASING_ONLY,
                in_link=place.in_link or tag == "a",
                in_caption=place.in_caption or tag == "caption",
                in_term=place.in_term or tag in {"dt", "th"},
            )
            mended.children = self._mend_children(Element(tag, children=element.children), inner)
        return [mended]

    def _image(self, element: Element, *, in_link: bool) -> list["Element | str"]:
        src = element.attrs.get("src", "")
        alt = element.attrs.get("alt", "")
        if not src.lower().startswith("https://"):
            return [alt] if alt else []
        if self.keep_images:
            attrs = {"src": _safe_url(src), "alt": alt}
            attrs |= {name: element.attrs[name] for name in ("width", "height") if _is_count(element.attrs.get(name))}
            return [Element("img", attrs)]
        label = f"[Image: {alt}]" if alt else "[Image]"
        if in_link:
            return [label]
        return [Element("a", {"href": _safe_url(src), "class": "image"}, [label])]

    def _link_attributes(self, attrs: dict[str, str]) -> dict[str, str]:
        href = attrs.pop("href", "").strip()
        if href and not href.startswith("#"):
            absolute = urljoin(self.base_url, href)
            if urlsplit(absolute).scheme.lower() in URL_SCHEMES:
                attrs["href"] = _safe_url(absolute)
                attrs["rel"] = "nofollow"
        return attrs


def _valid_attributes(element: Element) -> dict[str, str]:
    allowed = ALLOWED_ATTRIBUTES.get(element.tag, set())
    attrs = {}
    for name, value in element.attrs.items():
        if name not in allowed or name == "src":
            continue
        if name == "lang" and not _LANGUAGE_TAG.fullmatch(value):
            continue
        if name in _VALID_VALUES and value not in _VALID_VALUES[name]:
            continue
        if name == "start" and not _INTEGER.fullmatch(value):
            continue
        if name in {"colspan", "rowspan", "width", "height"} and not _is_count(value):
            continue
        if name == "colspan" and int(value) == 0:
            continue
        attrs[name] = value
    return attrs


def _is_count(value: str | None) -> bool:
    return bool(value) and bool(_COUNT.fullmatch(value))


def _safe_url(url: str) -> str:
    # Percent-encode what may not stand in a URL (spaces, quotes, non-ASCII), keep the rest.
    return quote(url, safe="!#$%&'()*+,/:;=?@[]~")


def _wrap_strays(children: list["Element | str"], *, allowed: set[str], wrapper: str) -> list["Element | str"]:
    """Put whatever stands where only `allowed` elements may into `wrapper` elements."""
    result: list[Element | str] = []
    stray: list[Element | str] = []

    def flush() -> None:
        if any(isinstance(item, Element) or item.strip() for item in stray):
            result.append(Element(wrapper, children=list(stray)))
        stray.clear()

    for child in children:
        if isinstance(child, Element) and child.tag in allowed:
            flush()
            result.append(child)
        else:
            stray.append(child)
    flush()
    return result


def _pair_terms(children: list["Element | str"]) -> list["Element | str"]:
    """A list of terms must start with a term and end with a description: add empty ones."""
    elements = [child for child in children if isinstance(child, Element)]
    if elements and elements[0].tag == "dd":
        children = [Element("dt"), *children]
    if elements and elements[-1].tag == "dt":
        children = [*children, Element("dd")]
    return children


def _escape(text: str, *, quote_marks: bool = False) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;") if quote_marks else text


def _is_safe_url(name: str, value: str) -> bool:
    if name == "src":
        return value.lower().startswith("https://")
    return name != "href" or value.startswith("#") or urlsplit(value).scheme.lower() in URL_SCHEMES


def _serialize(node: "Element | str") -> str:
    if isinstance(node, str):
        return _escape(strip_controls(node))
    # The link check comes last, on the very text written: whatever happened to it before.
    values = {name: strip_controls(value) for name, value in node.attrs.items()}
    attrs = "".join(
        f' {name}="{_escape(value, quote_marks=True)}"' for name, value in values.items() if _is_safe_url(name, value)
    )
    if node.tag in VOID:
        return f"<{node.tag}{attrs}/>"
    inner = "".join(_serialize(child) for child in node.children)
    return f"<{node.tag}{attrs}>{inner}</{node.tag}>"
