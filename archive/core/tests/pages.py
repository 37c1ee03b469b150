"""Reading pages the way a reader does, for tests: which works a list shows, in order."""

import re

_CARD = re.compile(r'<li class="story-card" id="work_(\d+)"')


def listed_ids(response) -> list[int]:
    """The works on a list page, top to bottom."""
    return [int(pk) for pk in _CARD.findall(response.content.decode())]


def found(response) -> set[int]:
    return set(listed_ids(response))
