"""The subscribe button, the reader's own part of work, tag and author pages
(archive/caching/reader_parts.py): one query a button, none for a guest, and none on a work page
whose bookmark box asked already; kept in the cache a minute under the reader's account version
(archive/accounts/kept.py), which subscribing and unsubscribing move."""

from django.contrib.auth import get_user_model
from django.db import connection
from django.http import HttpRequest

from archive.accounts.kept import for_account
from archive.caching.reader_parts import remembered
from archive.notifications.models import Subscription
from archive.notifications.templatetags.subscriptions import button_context
from archive.series.models import Series
from archive.stories.models import Story
from archive.tags.models import Tag

TEMPLATE = "notifications/subscribe_button.html"


def subscribe_button(request: HttpRequest, items: list[tuple]) -> list[str]:
    """Each item (from `{% subscribe_button %}`): what kind of thing, its id (a tag's canonical
    one), its key in the button's address, and whether no one may subscribe here (a draft, or the
    reader's own work)."""
    user = request.user
    html = []
    for kind, pk, key, off in items:
        if off == "1" or not user.is_authenticated or (kind == "author" and int(pk) == user.pk):
            html.append("")
            continue
        if kind == "story":
            what, description = {"story": Story(pk=int(pk))}, "new chapters of this work"
        elif kind == "tag":
            what, description = {"tag": Tag(pk=int(pk), name=key)}, f"new works tagged {key}"
        elif kind == "series":
            what, description = {"series": Series(pk=int(pk), title=key)}, f"new works in the series {key}"
        else:
            what, description = {"author": get_user_model()(pk=int(pk), username=key)}, f"new works by {key}"
        shown = {"show": True, "description": description, "next": request.get_full_path()}
        is_subscribed = getattr(request, _KNOWN, {}).get((kind, int(pk)))
        if is_subscribed is None:
            is_subscribed = _kept_subscribed(user, kind, int(pk))
        html.append(
            remembered("subscribe", TEMPLATE, {**shown, **button_context(user, **what, is_subscribed=is_subscribed)})
        )
    return html


# What parts filled before this one learnt of the reader's subscriptions: the bookmark box's query
# tells the work's (archive/bookmarks/reader_parts.py, filled first: caching/reader_parts.PARTS).
_KNOWN = "_known_subscriptions"


def remember_subscription(request: HttpRequest, story_id: int, subscribed: bool) -> None:
    """Another part's query said whether this request's reader subscribes to the work."""
    if not hasattr(request, _KNOWN):
        setattr(request, _KNOWN, {})
    getattr(request, _KNOWN)["story", story_id] = subscribed


def _state_key(user_id: int, kind: str, pk: int) -> str:
    return f"subscribed:{user_id}:{kind}:{pk}"


def state_keys(request: HttpRequest, items: list[tuple]) -> list[str]:
    """The cache keys `subscribe_button` reads for these items: none for a work's, which the
    bookmark box filled before it tells."""
    user = request.user
    if not user.is_authenticated or getattr(user, "account_token", None) is None:
        return []
    return [_state_key(user.pk, kind, int(pk)) for kind, pk, _, off in items if off != "1" and kind != "story"]


def _kept_subscribed(user, kind: str, pk: int) -> bool:
    """`_subscribed`, kept under the account's version (archive/accounts/kept.py)."""
    return for_account(user, _state_key(user.pk, kind, pk), lambda: _subscribed(user, kind, pk))


def _subscribed(user, kind: str, pk: int) -> bool:
    """`services.subscribed` for a tag's canonical id. Raw SQL: on every logged-in reader's work,
    tag and author page, where building it through the ORM cost four times as long as running it."""
    column = {"story": "story_id", "tag": "tag_id", "author": "author_id", "series": "series_id"}[kind]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {Subscription._meta.db_table} WHERE user_id = %s AND {column} = %s LIMIT 1",  # noqa: S608
            [user.pk, pk],
        )
        return cursor.fetchone() is not None
