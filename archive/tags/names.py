"""What a tag name means: its matching key, and for relationships, its kind and characters.

On fan archives "A/B" is a romantic relationship and "A & B" a platonic one, by convention.
The order of the names and the spacing around them don't make a different ship, so
"Daryl Dixon/Carol Peletier" and "Carol Peletier / Daryl Dixon" share one key.
"""

import hashlib
import re
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

ROMANTIC = "romantic"
PLATONIC = "platonic"

# Case-folding can make a name longer ("ß" is "ss", "ﬃ" is "ffi"): a key past its column's length
# keeps its beginning and ends with a hash of the whole, so it fits and still tells tags apart.
MAX_KEY_LENGTH = 255
_DIGEST_LENGTH = 64

_SEPARATOR = re.compile(r"\s*(/|&)\s*")
_SPACES = re.compile(r"\s+")


def tidy(name: str) -> str:
    """A name as stored: outer spaces trimmed, inner runs of spaces made one."""
    return _SPACES.sub(" ", name).strip()


@dataclass(frozen=True)
class Ship:
    kind: str  # ROMANTIC or PLATONIC
    characters: tuple[str, ...]
    separators: tuple[str, ...] = field(default=(), compare=False)

    @property
    def key(self) -> str:
        names = [name.casefold() for name in self.characters]
        if len(set(self.separators)) > 1:
            # "A/B & C" (a couple and their friend) keeps its shape: only uniform ships reorder.
            parts = [names[0]]
            for separator, name in zip(self.separators, names[1:], strict=False):
                parts += [separator, name]
            return "".join(parts)
        joiner = "/" if self.kind == ROMANTIC else "&"
        return joiner.join(sorted(names))


def parse_relationship(name: str) -> Ship | None:
    """The ship a relationship tag names, or None when it names no two characters.

    Any "/" makes it romantic ("A/B & C" is a romance with a friend in it); otherwise " & "
    makes it platonic. Empty names ("A/") don't count.
    """
    parts = [tidy(part) for part in _SEPARATOR.split(name)]
    separators = tuple(parts[1::2])
    if not separators or any(not part for part in parts[0::2]):
        return None
    characters = tuple(dict.fromkeys(parts[0::2]))
    if len(characters) < 2:
        return None
    return Ship(ROMANTIC if "/" in separators else PLATONIC, characters, separators)


def fitted(key: str, length: int = MAX_KEY_LENGTH) -> str:
    """`key` if it fits in `length` characters; else its beginning and a hash of all of it."""
    if len(key) <= length:
        return key
    return f"{key[: length - _DIGEST_LENGTH - 1]}#{hashlib.sha256(key.encode()).hexdigest()}"


def match_key(name: str, *, relationship: bool = False) -> str:
    """The key two names share when they are the same tag."""
    ship = parse_relationship(name) if relationship else None
    return fitted(ship.key if ship else tidy(name).casefold())


def breakable(name: str) -> SafeString:
    """The name as HTML that may wrap after each "/" and "&" (a long ship breaks between its
    characters, not inside one's name). The name is escaped first: only our <wbr> is markup."""
    return mark_safe(escape(name).replace("/", "/<wbr>").replace("&amp;", "&amp;<wbr>"))  # noqa: S308 - escaped
