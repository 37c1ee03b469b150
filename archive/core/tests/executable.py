"""Does a response hold anything a browser or an e-reader would run? For the stored-XSS tests.

Pages are parsed the way browsers parse them (html5lib implements the HTML standard's parser,
foreign SVG and MathML content included), XML (feeds, OPDS, EPUB files) the way feed readers
and e-readers do, and the parsed tree is searched for executable constructs: scripts other than
our own static files, on* attributes, javascript:/vbscript:/data: URLs, frames, plug-ins,
<base>, meta refresh, forms that post anywhere but to us, and scripting CSS. Each finding names
the last payload marker (⟦n⟧) that came before it in the document, which says which payload,
and so which field, let it through.
"""

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from xml.etree import ElementTree  # noqa: S405 - parses our own responses, in tests

import html5lib
from django.urls import Resolver404, resolve

MARKER = re.compile(r"⟦(\d+)⟧")

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "background", "poster", "data", "codebase", "dynsrc",
                  "lowsrc", "code", "archive", "cite", "ping", "icon", "manifest", "longdesc",
                  "xlink:href"}  # fmt: skip
BAD_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:", "mocha:")
FORBIDDEN_ELEMENTS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal", "isindex",
                      "handler", "listener",
                      # Raw text to a browser that runs scripts, markup to html5lib (which parses as
                      # one that doesn't): never in our pages, so never trusted to hold only text.
                      "noscript", "noembed", "noframes", "xmp", "plaintext"}  # fmt: skip
SCRIPTING_CSS = ("expression(", "javascript:", "vbscript:", "@import", "url(", "-moz-binding", "behavior:")
# Whitespace and C0 controls: browsers drop them at a URL's ends and tabs and newlines anywhere in it.
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_CSS_HEX_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})[ \t\n\r\f]?")
_CSS_ESCAPE = re.compile(r"\\(.)", re.DOTALL)


@dataclass(frozen=True)
class Finding:
    where: str  # the response or file
    construct: str  # what would run
    marker: int | None  # the last payload marker before it

    def __str__(self) -> str:
        after = f"after payload ⟦{self.marker}⟧" if self.marker is not None else "before any payload marker"
        return f"{self.where}: {self.construct} ({after})"


def local_name(name: str) -> str:
    """`{http://www.w3.org/2000/svg}script` -> `script`; xlink's href keeps its prefix."""
    if name.startswith("{http://www.w3.org/1999/xlink}"):
        return "xlink:" + name.rsplit("}", 1)[1].lower()
    return name.rsplit("}", 1)[-1].lower()


def is_dangerous_url(value: str) -> bool:
    return _URL_NOISE.sub("", value).lower().startswith(BAD_SCHEMES)


def css_runs_code(css: str) -> bool:
    text = _CSS_COMMENT.sub("", css)
    text = _CSS_HEX_ESCAPE.sub(lambda match: chr(min(int(match.group(1), 16), 0x10FFFF) or 0xFFFD), text)
    text = _CSS_ESCAPE.sub(r"\1", text)
    text = _URL_NOISE.sub("", text).lower()
    return any(sign.replace(" ", "") in text for sign in SCRIPTING_CSS)


def _is_our_url(url: str) -> bool:
    """A path on this site that one of our views answers (a form of ours posts there)."""
    if not url.startswith("/") or url.startswith("//"):
        return False
    try:
        resolve(url.split("?", 1)[0].split("#", 1)[0])
    except Resolver404:
        return False
    return True


class _Walker:
    def __init__(self, where: str, *, html: bool) -> None:
        self.where = where
        self.html = html
        self.marker: int | None = None
        self.findings: list[Finding] = []

    def see(self, text: str | None) -> None:
        if text:
            markers = MARKER.findall(text)
            if markers:
                self.marker = int(markers[-1])

    def flag(self, construct: str) -> None:
        self.findings.append(Finding(self.where, construct, self.marker))

    def walk(self, element, *, in_head: bool = False, user_forms_ok: bool = False) -> None:
        if not isinstance(element.tag, str):  # a comment or processing instruction
            self.see(element.tail)
            return
        name = local_name(element.tag)
        attrs = {local_name(key): value for key, value in element.attrib.items()}
        for value in attrs.values():
            self.see(value)
        self.check(name, attrs, element, in_head=in_head)
        self.see(element.text)
        for child in element:
            self.walk(child, in_head=in_head or name == "head")
            self.see(child.tail)

    def check(self, name: str, attrs: dict[str, str], element, *, in_head: bool) -> None:
        shown = f"<{name}{''.join(f' {key}={value!r}' for key, value in attrs.items())}>"[:200]
        inner = "".join(element.itertext())
        if name == "script":
            ours = attrs.get("src", "").startswith("/static/") and not inner.strip()
            # In a page, `{http://www.w3.org/2000/svg}script` is an SVG script: never one of ours.
            if not ours or (self.html and element.tag != "script"):
                self.flag(f"script {shown} {inner[:80]!r}")
        if name in FORBIDDEN_ELEMENTS:
            self.flag(f"forbidden element {shown}")
        for key, value in attrs.items():
            if key.startswith("on"):
                self.flag(f"event handler {key} in {shown}")
            if key in URL_ATTRIBUTES and is_dangerous_url(value):
                self.flag(f"{key} URL {value[:80]!r} in {shown}")
            if key == "srcdoc":
                self.flag(f"srcdoc in {shown}")
            if key == "style" and css_runs_code(value):
                self.flag(f"scripting style {value[:80]!r} in {shown}")
            if key == "formaction" and not _is_our_url(value):
                self.flag(f"formaction to {value[:80]!r} in {shown}")
        if name == "style" and css_runs_code(inner):
            self.flag(f"scripting <style> {inner[:80]!r}")
        if name == "meta" and attrs.get("http-equiv", "").strip().lower() in {"refresh", "set-cookie"}:
            self.flag(f"meta {shown}")
        if name == "meta" and self.html and not in_head:
            self.flag(f"meta outside the head {shown}")
        if name == "link" and self.html and not in_head:
            self.flag(f"link outside the head {shown}")
        if name == "form":
            action = attrs.get("action")
            if action is not None and action != "" and not _is_our_url(action):
                self.flag(f"form posting to {action[:80]!r}")
            if not action and attrs.get("method", "get").lower() == "post" and not _has_csrf_field(element):
                self.flag(f"form without an action or a CSRF token {shown}")


def _has_csrf_field(form) -> bool:
    return any(
        local_name(field.tag) == "input" and field.get("name") == "csrfmiddlewaretoken"
        for field in form.iter()
        if isinstance(field.tag, str)
    )


def html_findings(markup: str, where: str = "page") -> list[Finding]:
    """What would run in `markup`, a whole page or a fragment, parsed as a browser parses it."""
    document = html5lib.parse(markup, treebuilder="etree", namespaceHTMLElements=False)
    walker = _Walker(where, html=True)
    walker.walk(document)
    return walker.findings


def xml_findings(text: str | bytes, where: str = "document") -> list[Finding]:
    """What would run in an XML document (Atom, OPDS, EPUB), and in the HTML its entries carry."""
    root = ElementTree.fromstring(text)  # noqa: S314 - our own response, in a test
    walker = _Walker(where, html=False)
    walker.walk(root)
    findings = walker.findings
    # Atom's type="html" content is escaped HTML a feed reader renders: check it as a page.
    for element in root.iter():
        if isinstance(element.tag, str) and element.get("type") == "html" and element.text:
            findings += html_findings(element.text, f"{where} <{local_name(element.tag)} type=html>")
    return findings


def epub_findings(content: bytes, where: str = "EPUB") -> Iterator[Finding]:
    """Every XML and XHTML file in an EPUB, read as an e-reader reads it and as a browser would."""
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        for name in book.namelist():
            if name.endswith((".xhtml", ".opf", ".ncx", ".xml")):
                text = book.read(name).decode()
                yield from xml_findings(text, f"{where} {name}")
                if name.endswith(".xhtml"):
                    yield from html_findings(text, f"{where} {name} (as HTML)")


def epub_xhtml_files(content: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        return [name for name in book.namelist() if name.endswith(".xhtml")]
