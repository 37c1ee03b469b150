"""What a tag name means: its matching key, and for relationships, its kind and characters.

On fan archives "A/B" is a romantic relationship and "A & B" a platonic one, by convention.
The order of the names and the spacing around them don't make a different ship, so
"Daryl Dixon/Carol Peletier" and "Carol Peletier / Daryl Dixon" share one key.
"""

import re
from dataclasses import dataclass

ROMANTIC = "romantic"
PLATONIC = "platonic"

_SEPARATOR = re.compile(r"\s*(/|&)\s*")
_SPACES = re.compile(r"\s+")


def tidy(name: str) -> str:
    """A name as stored: outer spaces trimmed, inner runs of spaces made one."""
    return _SPACES.sub(" ", name).strip()


@dataclass(frozen=True)
class Ship:
    kind: str  # ROMANTIC or PLATONIC
    characters: tuple[str, ...]

    @property
    def key(self) -> str:
        joiner = "/" if self.kind == ROMANTIC else "&"
        return joiner.join(sorted(name.casefold() for name in self.characters))


def parse_relationship(name: str) -> Ship | None:
    """The ship a relationship tag names, or None when it names no two characters.

    Any "/" makes it romantic ("A/B & C" is a romance with a friend in it); otherwise " & "
    makes it platonic. Empty names ("A/") don't count.
    """
    parts = [tidy(part) for part in _SEPARATOR.split(name)]
    separators = parts[1::2]
    characters = tuple(dict.fromkeys(part for part in parts[0::2] if part))
    if len(characters) < 2 or not separators:
        return None
    return Ship(ROMANTIC if "/" in separators else PLATONIC, characters)


def match_key(name: str, *, relationship: bool = False) -> str:
    """The key two names share when they are the same tag."""
    if relationship:
        ship = parse_relationship(name)
        if ship:
            return ship.key
    return tidy(name).casefold()
