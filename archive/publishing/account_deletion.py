"""Deleting an account, and what happens to everything it wrote and counted in.

A work's life cycle ends here too: the account's works are orphaned (the Archive of Our Own's
way: each stays, credited to `orphan_account`, with the name gone) or deleted, as the account
holder chooses. A work with other authors only loses this one, and drafts are deleted (nobody
else could post them). The account's comments stay, signed "(deleted account)"; its kudos,
bookmarks, reading lists, subscriptions, history, inbox, profile and blocks go, and every count
they fed is recounted, in the same transaction, their authors' inbox digests too ("3 readers left
kudos on ..."). Every page that shows any of it is told.
"""

from datetime import UTC

from django.db import models, transaction
from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate

from archive.accounts.models import User
from archive.accounts.services import ORPHAN_ACCOUNT, orphan_account
from archive.caching import versions
from archive.discovery.search_index import refresh_search_index
from archive.notifications.models import Kind
from archive.notifications.services import refresh_digests
from archive.publishing.services import delete_story
from archive.series.models import Series
from archive.series.services import delete_series
from archive.stories.counts import refresh_story_counts
from archive.stories.models import Story


class Works(models.TextChoices):
    ORPHAN = "orphan", "Orphan them: the works stay on the archive, credited to orphan_account"
    DELETE = "delete", "Delete them, with their comments, kudos and bookmarks"


def works_of(user: User) -> dict[str, list[int]]:
    """The account's works by what becomes of them: its own posted works ("alone"), its own drafts,
    and works it shares with other authors."""
    rows = (
        # Counted before the filter, so the count has a join of its own: every author, not just this one.
        Story.objects.annotate(author_total=Count("authors"))
        .filter(authors=user)
        .values_list("pk", "author_total", "published_at")
        .order_by("pk")
    )
    found: dict[str, list[int]] = {"alone": [], "drafts": [], "shared": []}
    for pk, author_total, published_at in rows:
        kind = "shared" if author_total > 1 else "drafts" if published_at is None else "alone"
        found[kind].append(pk)
    return found


def _counted_in(rows: QuerySet, target: str = "story_id") -> list[tuple[int, object]]:
    """The (work or author, UTC day) of each of these rows: the digest lines that counted them."""
    days = rows.annotate(day=TruncDate("created_at", tzinfo=UTC)).order_by().values_list(target, "day")
    return list(days.distinct())


def leave_series(*, user: User) -> None:
    """The account's series: one it made alone is deleted if none of its works stayed, else kept,
    credited to `orphan_account` as its works are; one it shares loses only this creator (with the row)."""
    # Counted before the filter, so the count has a join of its own: every creator, not just this one.
    alone = Series.objects.annotate(creator_total=Count("creators")).filter(creators=user, creator_total=1)
    for series in alone.order_by("pk"):
        if series.series_works.exists():
            series.creators.add(orphan_account())
        else:
            delete_series(series=series)


@transaction.atomic
def delete_account(*, user: User, works: Works) -> None:
    """Delete the account; its own posted works are orphaned or deleted as `works` says."""
    if user.username == ORPHAN_ACCOUNT:
        raise ValueError("orphan_account keeps every orphaned work; it is never deleted.")
    user = User.objects.select_for_update().get(pk=user.pk)
    mine = works_of(user)
    commented = set(user.comments.values_list("story_id", flat=True))
    bookmarked = user.bookmarks.filter(story__isnull=False).values_list("story_id", flat=True)  # not series
    counted = {*user.kudos.values_list("story_id", flat=True), *bookmarked}
    in_digests = {
        Kind.KUDOS_ON_YOUR_WORK: _counted_in(user.kudos.all()),
        Kind.BOOKMARK_OF_YOUR_WORK: _counted_in(user.bookmarks.public().filter(story__isnull=False)),
        Kind.SUBSCRIBER_TO_YOUR_WORK: _counted_in(user.subscriptions.filter(story__isnull=False)),
        Kind.SUBSCRIBER_TO_YOU: _counted_in(user.subscriptions.filter(author__isnull=False), "author_id"),
    }

    deleted = [*mine["drafts"], *(mine["alone"] if works == Works.DELETE else [])]
    for story in Story.objects.filter(pk__in=deleted).order_by("pk"):
        delete_story(story=story)
    orphaned = mine["alone"] if works == Works.ORPHAN else []
    if orphaned:
        Story.authors.through.objects.filter(story_id__in=orphaned, user=user).update(user=orphan_account())
    leave_series(user=user)

    # The rest goes with the row: kudos, bookmarks (and their tags), reading lists, subscriptions
    # (theirs, and others' to them), inbox, history, profile, blocks, and their place among a
    # shared work's authors; comments stay, with no user (comments.Comment.user is SET_NULL).
    user.delete()

    kept = [*mine["shared"], *orphaned]
    recount = sorted(counted - set(deleted))
    refresh_story_counts(recount)
    for kind, days in in_digests.items():
        refresh_digests(kind=kind, days=days)
    refresh_search_index(kept)  # their name leaves the works' search documents
    # Pages of the works they commented on (the byline), counted in or wrote; lists (their works
    # page goes, and cards show counts and names). A card's key doesn't name its authors, so a
    # work that changed hands changes every page, as a renamed account does.
    versions.changed(story_ids=commented | set(recount) | set(kept), listings=True, everything=bool(kept))
