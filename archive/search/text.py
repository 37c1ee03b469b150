"""Free-text search: PostgreSQL full text with weights, phrases and prefixes; a plain match on SQLite."""

import re
from functools import reduce
from operator import and_

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Q, QuerySet

from archive.stories.search_index import CONFIG

_TERM = re.compile(r'["“”]([^"“”]+)["“”]|(\S+)')
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def _terms(text: str) -> list[tuple[str, str]]:
    """("phrase", words) for quoted text, ("prefix", word) for word*, ("word", word) otherwise."""
    terms = []
    for phrase, word in _TERM.findall(text):
        if phrase:
            words = " ".join(_WORD.findall(phrase))
            if words:
                terms.append(("phrase", words))
        elif word.endswith("*"):
            terms.extend(("prefix", part) for part in _WORD.findall(word))
        elif _WORD.search(word):
            # Whole, so the search parser reads it as the index did ("S.H.I.E.L.D.", "2.5").
            terms.append(("word", word.replace("/", " ").replace("&", " ")))
    return terms


def has_terms(text: str) -> bool:
    """Whether the text holds anything to search for (not just punctuation)."""
    return bool(_terms(text))


def _query(terms: list[tuple[str, str]]) -> SearchQuery:
    parts = []
    for kind, value in terms:
        if kind == "phrase":
            parts.append(SearchQuery(value, config=CONFIG, search_type="phrase"))
        elif kind == "prefix":
            # Only word characters reach the raw query: nothing here can break its syntax.
            parts.append(SearchQuery(f"{value.lower()}:*", config=CONFIG, search_type="raw"))
        else:
            parts.append(SearchQuery(value, config=CONFIG, search_type="plain"))
    return reduce(and_, parts)


def match_text(works: QuerySet, text: str, *, rank: bool = False) -> QuerySet:
    """Works matching every term; with `rank`, annotated with a `rank` (title weighs most)."""
    terms = _terms(text)
    if not terms:
        return works
    if connection.vendor == "postgresql":
        query = _query(terms)
        works = works.filter(search_vector=query)
        return works.annotate(rank=SearchRank(F("search_vector"), query)) if rank else works
    # SQLite: every word in the title, summary or notes.
    words = [word for _, value in terms for word in value.split()]
    conditions = [Q(title__icontains=word) | Q(summary__icontains=word) | Q(notes__icontains=word) for word in words]
    return works.filter(*conditions)


def match_title(works: QuerySet, title: str) -> QuerySet:
    words = _WORD.findall(title)
    return works.filter(*[Q(title__icontains=word) for word in words]) if words else works
