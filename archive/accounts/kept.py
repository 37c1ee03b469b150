"""The logged-in reader's account row, kept in the cache: every page of theirs loads it.

Each request of a logged-in reader loads their account (their name, saved exclusions, history
switch) and their unread count for the header: a query, on a page otherwise served from the
kept copy (archive/caching) with none. So the row is kept in the cache with the count, under the
account's version (`versions.account`), and read with it in one round trip.

What moves that version, at once and again when the change commits (versions.changed):
- any save or deletion of the account (the receivers below): a changed password, a deactivated
  account, new exclusions, a renamed reader;
- a notification made, marked read or recounted by the services that do so (archive/notifications);
- their bookmarks, reading lists and subscriptions (whose box a work page shows).
A notification that goes with the work or comment it is about (a cascade) is the one change no
service names: the count can show it up to `KEPT_SECONDS` after, as a kept row lives no longer.

Only where the cache is shared (`PAGE_CACHE`, on with Redis), as the page cache: a worker's own
memory would go on trusting a row another worker changed (a password changed there).

The password hash is never kept. The row comes back with it deferred, and with the session hash
Django checks every request against (an HMAC of the password under the secret key, as the session
itself holds); code that reads the password loads it then, and saving such a user leaves it alone.
"""

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from archive.caching import deferred, versions

logger = logging.getLogger(__name__)

KEPT_SECONDS = 60


def _key(user_id: int) -> str:
    return f"account-row:{user_id}"


def kept_user(model, user_id: int, names: list[str]):
    """The kept account (an instance of `model` with its password deferred), and the account
    version's token: (None, token) when none is kept under it (the token is None when the
    cache keeps nothing at all)."""
    if not getattr(settings, "PAGE_CACHE", False):  # only where the cache is shared, as the page cache
        return None, None
    version_names = [versions.account(user_id)]
    version_keys = versions.lookup_keys(version_names)
    try:
        found = cache.get_many([_key(user_id), *version_keys])
        token = versions.completed(version_names, [found.get(version_keys[0])])[0]
    except Exception:  # a cache that is down keeps nothing: the account is read from the database
        logger.exception("could not read the kept account %s", user_id)
        return None, None
    kept = found.get(_key(user_id))
    if kept is None or kept[0] != token:
        return None, token
    _, values, session_hash, unread = kept
    user = model.from_db(connection.alias, _kept_names(names), values)
    user.kept_session_auth_hash = session_hash
    user.unread_count_on_load = unread
    user.account_token = token  # what else is kept under the account's version is checked against it
    return user, token


def keep(user, token: str | None, names: list[str], values: list) -> None:
    """Keep the account read from the database (`values` of `names`, as the ORM gives them) under
    the token its version held before the row was read."""
    if token is None:
        return
    user.account_token = token
    kept_names = _kept_names(names)
    by_name = dict(zip(names, values, strict=True))
    row = [by_name[name] for name in kept_names]
    try:
        kept = (token, row, user.get_session_auth_hash(), user.unread_count_on_load)
        deferred.keep({_key(user.pk): kept}, KEPT_SECONDS)
    except Exception:
        logger.exception("could not keep the account %s", user.pk)


def for_account(user, key: str, read: Callable[[], object]):
    """`read()`, a reader's own state, kept at `key` for `KEPT_SECONDS` under the account's version
    as read with their account (`user.account_token`), which every change of that state moves; read
    from the database every time for an account not kept. The cache is asked through
    `reader_parts.cached`, so a page's parts read their keys in one round trip."""
    from archive.caching.reader_parts import cached

    token = getattr(user, "account_token", None)
    if token is None:
        return read()
    found = cached(key)
    if found is not None and found[0] == token:
        return found[1]
    value = read()
    deferred.keep({key: (token, value)}, KEPT_SECONDS)
    return value


def _kept_names(names: list[str]) -> list[str]:
    return [name for name in names if name != "password"]


def _account_saved(sender, instance, **kwargs) -> None:
    if instance.pk is not None:
        versions.changed(account_ids=[instance.pk])


def _notification_saved(sender, instance, **kwargs) -> None:
    versions.changed(account_ids=[instance.recipient_id])


def _owned_saved(sender, instance, **kwargs) -> None:
    versions.changed(account_ids=[instance.user_id])


def connect() -> None:
    """Saving an account, a notification, a bookmark, a reading list or a subscription one at a
    time (the services, the admin) moves the account's version, and so does deleting an account:
    the only work these receivers do (archive/accounts/apps.py). What is written in bulk or
    deleted otherwise, the services that do it say themselves."""
    from django.contrib.auth import get_user_model
    from django.db.models.signals import post_delete, post_save

    from archive.bookmarks.models import Bookmark, ReadingList
    from archive.notifications.models import Notification, Subscription

    user_model = get_user_model()
    post_save.connect(_account_saved, sender=user_model, dispatch_uid="kept-account-saved")
    post_delete.connect(_account_saved, sender=user_model, dispatch_uid="kept-account-deleted")
    post_save.connect(_notification_saved, sender=Notification, dispatch_uid="kept-account-notified")
    for model in (Bookmark, ReadingList, Subscription):
        post_save.connect(_owned_saved, sender=model, dispatch_uid=f"kept-account-{model._meta.model_name}")
