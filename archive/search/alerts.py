"""Which saved searches a newly posted work matches: a fixed number of queries, however many
saved searches there are.

When a search is saved, `alert_index` stores what every match must carry: the filter and role
ids its include-filters (and a single rating) demand (`required_ids`, GIN-indexed) and, on
PostgreSQL, its words as a tsquery (`text_query`). When a work is first posted,
`saved_searches_matching` finds the candidates in ONE query: saved searches whose required ids
are all among the work's (`required_ids <@ work's ids`, served by the GIN index) and whose
words, if any, match the work's search document. The candidates are then confirmed by the
search itself (exclusions, ratings, language, length, title, author...), run on this one work:
one query per BATCH candidates, each candidate an EXISTS column. So the search page and the alert
can never disagree about what matches.
"""

from django.db import connection
from django.db.models import BooleanField, Exists, Q, TextField
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.http import QueryDict

from archive.discovery.filter_forms import WorkFilterForm
from archive.discovery.filtering import WorkFilter, filter_works, required_and_excluded_ids
from archive.discovery.text import text_query
from archive.search.forms import WorkSearchForm
from archive.search.models import SavedSearch
from archive.search.querying import searched_works, tags_named_in
from archive.stories.models import Story
from archive.tags.filtering import in_any_ship
from archive.tags.models import Tag

BATCH = 200  # distinct searches confirmed per query


def _wanted(*, tag: Tag | None, data: QueryDict, tags: dict[str, Tag] | None = None) -> tuple[WorkFilter, bool]:
    """The saved search's WorkFilter, and whether it names a tag no tag has (then nothing matches)."""
    if tag is not None:
        return WorkFilterForm(data).tag_filter(tag), False
    form = WorkSearchForm(data)
    wanted, unknown = form.search_filter(tags if tags is not None else tags_named_in(form.tag_keys()))
    return wanted, bool(unknown)


def alert_index(saved: SavedSearch) -> None:
    """Store what `saved_searches_matching` looks its candidates up by (the saved search is saved)."""
    data = saved.query_dict()
    wanted, _ = _wanted(tag=saved.tag, data=data)
    saved.required_ids, saved.excluded_ids = required_and_excluded_ids(wanted)
    words = text_query(data.get("q", "")) if saved.tag_id is None else None
    SavedSearch.objects.filter(pk=saved.pk).update(
        required_ids=saved.required_ids,
        excluded_ids=saved.excluded_ids,
        text_query=Cast(words, TextField()) if words is not None else "",
    )


def reindex_saved_searches(tag_ids) -> int:
    """Index again the saved searches whose stored ids name any of these tags (as themselves or as a
    character's roles), or that were saved from one's page: after wrangling changed what the tags
    mean (a synonym, a canonical tag, a merge), their names resolve to other ids. How many."""
    tag_ids = sorted(set(tag_ids))
    ids = sorted({*tag_ids, *(role for tag_id in tag_ids for role in in_any_ship(tag_id))})
    affected = SavedSearch.objects.filter(
        Q(required_ids__has_any=ids) | Q(excluded_ids__has_any=ids) | Q(tag_id__in=tag_ids)
    ).select_related("tag")
    count = 0
    for saved in affected.iterator(chunk_size=500):
        if saved.tag is not None and saved.tag.merger_id is not None:
            # Its page now redirects to the canonical tag's: so does the saved search.
            saved.tag = saved.tag.merger
            SavedSearch.objects.filter(pk=saved.pk).update(tag=saved.tag)
        alert_index(saved)
        count += 1
    return count


def saved_searches_matching(*, story_id: int, exclude_user_ids=()) -> list[SavedSearch]:
    """The saved searches, with alerts on and of active readers (not these), that this posted work
    matches, with their owners and notification preferences; oldest first."""
    story = Story.objects.filter(pk=story_id).only("filter_ids", "role_ids").first()
    if story is None:
        return []
    work_ids = [*story.filter_ids, *story.role_ids]
    candidates = (
        SavedSearch.objects.filter(alerts=True, user__is_active=True, required_ids__contained_by=work_ids)
        .exclude(excluded_ids__has_any=work_ids)
        .exclude(user__in=list(exclude_user_ids))
        .select_related("tag", "user__notification_preferences")
        .order_by("pk")
    )
    if connection.vendor == "postgresql":
        table, stories = SavedSearch._meta.db_table, Story._meta.db_table
        words = RawSQL(  # noqa: S611 - our tables, the id a parameter
            f"({table}.text_query = '' OR CAST({table}.text_query AS tsquery)"  # noqa: S608 - our tables
            f" @@ (SELECT search_vector FROM {stories} WHERE id = %s))",
            [story_id],
            output_field=BooleanField(),
        )
        candidates = candidates.alias(words_match=words).filter(words_match=True)
    # Readers save the same searches: each distinct one is read and confirmed once.
    by_search: dict[tuple, list[SavedSearch]] = {}
    for saved in candidates:
        by_search.setdefault((saved.tag_id, saved.query), []).append(saved)
    if not by_search:
        return []
    forms = {key: WorkSearchForm(group[0].query_dict()) for key, group in by_search.items() if key[0] is None}
    tags = tags_named_in({name for form in forms.values() for name in form.tag_keys()}) if forms else {}
    matched_keys = set()
    searches = list(by_search.items())
    for start in range(0, len(searches), BATCH):
        checks = {}
        for number, (key, group) in enumerate(searches[start : start + BATCH], start=start):
            works = Story.objects.filter(pk=story_id)
            if key in forms:
                works, wanted, unknown = searched_works(works, forms[key], tags)
            else:
                wanted, unknown = _wanted(tag=group[0].tag, data=group[0].query_dict())
            if not unknown:
                checks[f"search_{number}"] = Exists(filter_works(works, wanted).values("pk"))
        if checks:
            row = Story.objects.filter(pk=story_id).values(**checks).first() or {}
            matched_keys.update(searches[int(name.split("_")[1])][0] for name, found in row.items() if found)
    return sorted((saved for key in matched_keys for saved in by_search[key]), key=lambda saved: saved.pk)
