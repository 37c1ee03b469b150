from django.db import transaction
from django.http import QueryDict

from archive.search.alerts import alert_index
from archive.search.models import SavedSearch, normalized_query
from archive.tags.models import Tag

MAX_SAVED_SEARCHES = 100  # a reader's; each is checked against every new work


class SavedSearchError(Exception):
    """A search that can't be saved (too many already)."""


@transaction.atomic
def save_search(*, user, name: str, query: str, tag: Tag | None = None, alerts: bool = True) -> SavedSearch:
    """Keep a search (from the search page, or `tag`'s works page) under a name."""
    if SavedSearch.objects.filter(user=user).count() >= MAX_SAVED_SEARCHES:
        raise SavedSearchError(
            f"You have {MAX_SAVED_SEARCHES} saved searches, the most there can be: delete one to save this."
        )
    saved = SavedSearch.objects.create(
        user=user, name=name, tag=tag, query=normalized_query(QueryDict(query)), alerts=alerts
    )
    alert_index(saved)
    return saved


def update_saved_search(*, saved: SavedSearch, name: str, alerts: bool) -> SavedSearch:
    saved.name, saved.alerts = name, alerts
    saved.save(update_fields=["name", "alerts"])
    return saved


def delete_saved_search(*, saved: SavedSearch) -> None:
    saved.delete()
