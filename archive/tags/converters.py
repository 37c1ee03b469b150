"""Tag names in URLs, escaped the Archive of Our Own's way so fans' links and tools carry over.

"/", "&", ".", "?" and "#" cannot stand in a path segment as they are; each becomes a "*x*"
sequence. "*" is not allowed in tag names, so the escaping is reversible.
"""

ESCAPES = [("/", "*s*"), ("&", "*a*"), (".", "*d*"), ("?", "*q*"), ("#", "*h*")]


def escape_tag(name: str) -> str:
    for char, escaped in ESCAPES:
        name = name.replace(char, escaped)
    return name


def unescape_tag(value: str) -> str:
    for char, escaped in ESCAPES:
        value = value.replace(escaped, char)
    return value


class TagNameConverter:
    regex = r"[^/]+"

    def to_python(self, value: str) -> str:
        return unescape_tag(value)

    def to_url(self, value: str) -> str:
        return escape_tag(str(value))
