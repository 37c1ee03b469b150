"""The stored-XSS corpus (xss_payloads.txt), and how test_xss.py batches it into fields.

Each payload goes in behind a marker, ⟦n⟧, so a finding (see executable.py) names the payload
it came after.
"""

import re
from pathlib import Path

from archive.core.prose import clean_prose
from archive.tags.forms import FORBIDDEN
from archive.tags.models import MAX_TAG_LENGTH

_CONTROL = re.compile(r"\\x([01][0-9a-f])")


def load_payloads() -> list[str]:
    lines = Path(__file__).with_name("xss_payloads.txt").read_text(encoding="utf-8").splitlines()
    return [
        _CONTROL.sub(lambda match: chr(int(match.group(1), 16)), line)
        for line in lines
        if line.strip() and not line.startswith("# ")
    ]


PAYLOADS = load_payloads()
# Django's form fields refuse NUL characters outright (test_xss.py checks that); every other payload is posted.
WITH_NUL = [index for index in range(len(PAYLOADS)) if "\x00" in PAYLOADS[index]]
EVERY = [index for index in range(len(PAYLOADS)) if index not in WITH_NUL]


def marked(index: int) -> str:
    return f"⟦{index}⟧{PAYLOADS[index]}"


def batch_text(batch: list[int]) -> str:
    return " ".join(marked(index) for index in batch)


def pack(indices, limit: int) -> list[list[int]]:
    """Plain-text batches: as many marked payloads as fit in `limit` characters."""
    batches: list[list[int]] = []
    for index in indices:
        if len(marked(index)) > limit:
            continue
        if batches and len(batch_text([*batches[-1], index])) <= limit:
            batches[-1].append(index)
        else:
            batches.append([index])
    return batches


def pack_prose(indices, limit: int) -> list[list[int]]:
    """Prose batches: a payload starts a new batch when, after the one before it, the sanitizer
    would no longer see its marker (the one before swallowed it)."""
    batches: list[list[int]] = []
    for index in indices:
        if len(marked(index)) > limit:
            continue
        if batches:
            candidate = [*batches[-1], index]
            text = batch_text(candidate)
            cleaned = clean_prose(text)
            if len(text) <= limit and all(f"⟦{each}⟧" in cleaned for each in candidate):
                batches[-1].append(index)
                continue
        batches.append([index])
    return batches


def spread(batches: list[list[int]], count: int) -> list[str]:
    """`count` field values: the batches' texts, then empty."""
    return [batch_text(batches[number]) if number < len(batches) else "" for number in range(count)]


def tag_payloads() -> list[int]:
    """Payloads a tag may hold: the rest are refused by the tag field (test_xss.py checks that)."""
    return [
        index for index in EVERY if not FORBIDDEN.search(PAYLOADS[index]) and len(marked(index)) + 4 <= MAX_TAG_LENGTH
    ]
