"""Each work's search document: a weighted tsvector on PostgreSQL, weighted plain text on SQLite.

"/" and "&" become spaces first: PostgreSQL's parser would read "Hades/Persephone" as one
file-path word, and a reader searching "Persephone" must find the ship.

Title weighs most (A); authors and tags, canonical names included, next (B); then the summary
(C) and the notes (D). SQLite, the quickstart database, keeps the same sections as text in the
same column: the words of each, lowercased, one space apart, with a mark no word holds after
each section, so archive/discovery/text.py finds words in a row and knows which section they are in.
"""

import html
import re
from collections import defaultdict
from collections.abc import Iterable

from django.db import connection

CONFIG = "simple"  # no stemming: the archive is written in every language

_REFRESH = f"""
UPDATE stories_story AS s SET search_vector =
    setweight(to_tsvector('{CONFIG}', translate(s.title, '/&', '  ')), 'A')
    || setweight(to_tsvector('{CONFIG}', coalesce((
        SELECT string_agg(u.username, ' ' ORDER BY a.id) FROM stories_story_authors a
        JOIN accounts_user u ON u.id = a.user_id WHERE a.story_id = s.id), '')), 'B')
    || setweight(to_tsvector('{CONFIG}', translate(coalesce((
        SELECT string_agg(concat_ws(' ', t.name, c.name), ' ' ORDER BY l.id) FROM stories_storytag l
        JOIN tags_tag t ON t.id = l.tag_id LEFT JOIN tags_tag c ON c.id = t.merger_id
        WHERE l.content_object_id = s.id), ''), '/&', '  ')), 'B')
    || setweight(to_tsvector('{CONFIG}', s.summary), 'C')
    || setweight(to_tsvector('{CONFIG}', s.notes || ' ' || s.end_notes), 'D')
"""  # noqa: S608 - a constant; ids travel as parameters
# Both string_aggs are ordered so a work's document is a function of its rows alone: unordered,
# the token positions followed whichever plan PostgreSQL chose, and a rebuild that changed nothing
# (a tag made canonical) wrote a different vector than the work's own save did.


# SQLite: the marks after the title (A), the authors and tags (B) and the summary (C); and the
# weight of a match in each section, PostgreSQL's default weights for A, B, C and D.
SECTION_ENDS = (" # ", " $ ", " % ")
SECTION_WEIGHTS = (1.0, 0.4, 0.2, 0.1)
BATCH = 500

_WORD = re.compile(r"[^\W_]+")
_HTML_TAG = re.compile(r"<[^>]*>")


def search_document(title: str, names: Iterable[str], summary: str, notes: str) -> str:
    """A work's SQLite search document; `names` are its authors' and its tags' (HTML in the others)."""
    sections = [title, " ".join(names), summary, notes]
    words = [" ".join(_WORD.findall(html.unescape(_HTML_TAG.sub(" ", text)).lower())) for text in sections]
    return " " + "".join(f"{section}{end}" for section, end in zip(words, [*SECTION_ENDS, " "], strict=True))


def _refresh_sqlite(story_ids) -> None:
    from archive.stories.models import Story, StoryTag

    if story_ids is None:
        story_ids = list(Story.objects.order_by("pk").values_list("pk", flat=True))
    story_ids = list(story_ids)
    for start in range(0, len(story_ids), BATCH):
        batch = story_ids[start : start + BATCH]
        names = defaultdict(list)
        writers = Story.authors.through.objects.filter(story_id__in=batch).order_by("pk")
        for story_id, username in writers.values_list("story_id", "user__username"):
            names[story_id].append(username)
        links = StoryTag.objects.filter(content_object_id__in=batch).order_by("pk")
        for story_id, name, canonical in links.values_list("content_object_id", "tag__name", "tag__merger__name"):
            names[story_id].extend([name, canonical or ""])
        rows = Story.objects.filter(pk__in=batch).values_list("pk", "title", "summary", "notes", "end_notes")
        documents = [
            (search_document(title, names[pk], summary, f"{notes} {end_notes}"), pk)
            for pk, title, summary, notes, end_notes in rows
        ]
        with connection.cursor() as cursor:
            cursor.executemany("UPDATE stories_story SET search_vector = %s WHERE id = %s", documents)


def refresh_search_index(story_ids=None) -> None:
    """Rebuild the search documents of these works (all works when None)."""
    if connection.vendor != "postgresql":
        _refresh_sqlite(story_ids)
        return
    with connection.cursor() as cursor:
        if story_ids is None:
            cursor.execute(_REFRESH)
        else:
            cursor.execute(_REFRESH + " WHERE s.id = ANY(%s)", [list(story_ids)])
