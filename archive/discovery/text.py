"""Free-text search: weights, phrases and prefixes, with PostgreSQL's full text or SQLite's plain text.

A search uses its first MAX_TERMS terms (the page says how many more were left out), and its
conditions and rank are flat lists, not a tree one level deeper per word: a deep tree overflows
Python's recursion while compiling, and SQLite refuses one past a depth of 1,000.

On SQLite each work's search document (archive/discovery/search_index.py) is its words, lowercased,
in sections of falling weight; a word, phrase or prefix is found where its words stand in a row,
and a match weighs what the first section holding it weighs, as PostgreSQL's weights do.
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchQueryField, SearchRank
from django.db import connection
from django.db.models import Case, F, FloatField, Func, Q, QuerySet, Value, When
from django.db.models.functions import StrIndex
from django.db.models.lookups import LessThan

from archive.discovery.search_index import CONFIG, SECTION_ENDS, SECTION_WEIGHTS

MAX_TERMS = 32

_TERM = re.compile(r'["“”]([^"“”]+)["“”]|(\S+)')
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True)
class Term:
    kind: str  # "phrase" (quoted words), "prefix" (word*) or "word"
    value: str


def _all_terms(text: str) -> list[Term]:
    terms = []
    for phrase, word in _TERM.findall(text):
        if phrase:
            words = " ".join(_WORD.findall(phrase))
            if words:
                terms.append(Term("phrase", words))
        elif word.endswith("*"):
            terms.extend(Term("prefix", part) for part in _WORD.findall(word))
        elif _WORD.search(word):
            # Whole, so the search parser reads it as the index did ("S.H.I.E.L.D.", "2.5").
            terms.append(Term("word", word.replace("/", " ").replace("&", " ")))
    return terms


def _terms(text: str) -> list[Term]:
    return _all_terms(text)[:MAX_TERMS]


def has_terms(text: str) -> bool:
    """Whether the text holds anything to search for (not just punctuation)."""
    return bool(_terms(text))


def left_out(text: str) -> int:
    """How many terms past MAX_TERMS the search leaves out."""
    return max(0, len(_all_terms(text)) - MAX_TERMS)


class AllOf(SearchQuery):
    """Every one of these queries, as one flat `(a && b && c)`."""

    template = "(%(expressions)s)"
    arg_joiner = " && "

    def __init__(self, queries: list[SearchQuery]):
        Func.__init__(self, *queries, output_field=SearchQueryField())
        self.config, self.invert = None, False


def _postgres_query(terms: list[Term]) -> SearchQuery:
    parts = []
    for term in terms:
        if term.kind == "phrase":
            parts.append(SearchQuery(term.value, config=CONFIG, search_type="phrase"))
        elif term.kind == "prefix":
            # Only word characters reach the raw query: nothing here can break its syntax.
            parts.append(SearchQuery(f"{term.value.lower()}:*", config=CONFIG, search_type="raw"))
        else:
            parts.append(SearchQuery(term.value, config=CONFIG, search_type="plain"))
    return parts[0] if len(parts) == 1 else AllOf(parts)


def _needles(terms: list[Term]) -> list[str]:
    """What each term looks for in a SQLite search document: its words in a row."""
    needles = []
    for term in terms:
        if term.kind == "prefix":
            needles.append(f" {term.value.lower()}")
        elif term.kind == "phrase":
            needles.append(f" {' '.join(_WORD.findall(term.value.lower()))} ")
        else:
            # "Hades Persephone" (from "Hades/Persephone") is two words; "S.H.I.E.L.D." is one, in parts.
            needles.extend(f" {' '.join(_WORD.findall(part))} " for part in term.value.lower().split())
    return [needle for needle in needles if needle.strip()]


class _Sum(Func):
    template = "(%(expressions)s)"
    arg_joiner = " + "
    output_field = FloatField()


def _sqlite_rank(needles: list[str]) -> Func:
    """The sum, over the needles, of the weight of the first section each is found in."""
    ends = [StrIndex("search_vector", Value(end)) for end in SECTION_ENDS]
    section_weights = list(zip(ends, SECTION_WEIGHTS[:-1], strict=True))
    weights = []
    for needle in needles:
        found_at = StrIndex("search_vector", Value(needle))
        weights.append(
            Case(
                *[When(LessThan(found_at, end), then=Value(weight)) for end, weight in section_weights],
                default=Value(SECTION_WEIGHTS[-1]),
                output_field=FloatField(),
            )
        )
    return _Sum(*weights)


def match_text(works: QuerySet, text: str, *, rank: bool = False) -> QuerySet:
    """Works matching every term; with `rank`, annotated with a `rank` (title weighs most)."""
    terms = _terms(text)
    if not terms:
        return works
    if connection.vendor == "postgresql":
        query = _postgres_query(terms)
        works = works.filter(search_vector=query)
        return works.annotate(rank=SearchRank(F("search_vector"), query)) if rank else works
    needles = _needles(terms)
    works = works.filter(*[Q(search_vector__contains=needle) for needle in needles])
    return works.annotate(rank=_sqlite_rank(needles)) if rank else works


def text_query(text: str) -> SearchQuery | None:
    """The PostgreSQL query `match_text` runs for this text; None without terms or on SQLite."""
    terms = _terms(text)
    return _postgres_query(terms) if terms and connection.vendor == "postgresql" else None


def match_title(works: QuerySet, title: str) -> QuerySet:
    words = _WORD.findall(title)[:MAX_TERMS]
    return works.filter(*[Q(title__icontains=word) for word in words]) if words else works
