"""Full-text search on PostgreSQL: one weighted tsvector per work.

"/" and "&" become spaces first: PostgreSQL's parser would read "Hades/Persephone" as one
file-path word, and a reader searching "Persephone" must find the ship.

Title weighs most (A); authors and tags, canonical names included, next (B); then the summary
(C) and the notes (D). The column stays empty on SQLite, the quickstart database, which searches with
a plainer match (archive/search/).
"""

from django.db import connection

CONFIG = "simple"  # no stemming: the archive is written in every language

_REFRESH = f"""
UPDATE stories_story AS s SET search_vector =
    setweight(to_tsvector('{CONFIG}', translate(s.title, '/&', '  ')), 'A')
    || setweight(to_tsvector('{CONFIG}', coalesce((
        SELECT string_agg(u.username, ' ') FROM stories_story_authors a
        JOIN accounts_user u ON u.id = a.user_id WHERE a.story_id = s.id), '')), 'B')
    || setweight(to_tsvector('{CONFIG}', translate(coalesce((
        SELECT string_agg(concat_ws(' ', t.name, c.name), ' ') FROM stories_storytag l
        JOIN tags_tag t ON t.id = l.tag_id LEFT JOIN tags_tag c ON c.id = t.merger_id
        WHERE l.content_object_id = s.id), ''), '/&', '  ')), 'B')
    || setweight(to_tsvector('{CONFIG}', s.summary), 'C')
    || setweight(to_tsvector('{CONFIG}', s.notes || ' ' || s.end_notes), 'D')
"""  # noqa: S608 - a constant; ids travel as parameters


def refresh_search_index(story_ids=None) -> None:
    """Rebuild the search vectors of these works (all works when None). PostgreSQL only."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        if story_ids is None:
            cursor.execute(_REFRESH)
        else:
            cursor.execute(_REFRESH + " WHERE s.id = ANY(%s)", [list(story_ids)])
