"""Tag names in URLs, escaped the Archive of Our Own's way so fans' links and tools carry over.

"/", "&", ".", "?" and "#" cannot stand in a path segment as they are; each becomes a "*x*"
sequence. "*" is not allowed in tag names, so the escaping is reversible.
"""

import re

ESCAPES = {"/": "*s*", "&": "*a*", ".": "*d*", "?": "*q*", "#": "*h*"}
_UNESCAPES = {escaped[1]: char for char, escaped in ESCAPES.items()}
_ESCAPED = re.compile(r"\*([sadqh])\*")
_ESCAPABLE = re.compile("[" + re.escape("".join(ESCAPES)) + "]")


def escape_tag(name: str) -> str:
    return _ESCAPABLE.sub(lambda match: ESCAPES[match[0]], name)


def unescape_tag(value: str) -> str:
    # One left-to-right pass: in "p*d*s*d*" the "*s*" in the middle is not an escape.
    return _ESCAPED.sub(lambda match: _UNESCAPES[match[1]], value)


class TagNameConverter:
    # No tag name holds a control character (the tag field strips them), and PostgreSQL refuses a
    # NUL in a query: such a URL names no tag.
    regex = r"[^/\x00-\x1f\x7f]+"

    def to_python(self, value: str) -> str:
        return unescape_tag(value)

    def to_url(self, value: str) -> str:
        return escape_tag(str(value))
