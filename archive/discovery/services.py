"""Changing a reader's saved exclusions and mutes (archive/discovery/exclusions.py reads them)."""

from django.db import transaction

from archive.accounts.models import User
from archive.discovery.exclusions import MAX_MUTED, Exclusions


class MuteError(Exception):
    pass


@transaction.atomic
def save_exclusions(*, user: User, exclusions: Exclusions) -> None:
    user.excluded_tag_ids = list(exclusions.tag_ids)
    user.rating_cap = exclusions.rating_cap
    user.excluded_warnings = exclusions.warnings
    user.exclude_crossovers = exclusions.crossovers
    user.save(update_fields=["excluded_tag_ids", "rating_cap", "excluded_warnings", "exclude_crossovers"])


@transaction.atomic
def mute(*, user: User, muted: User) -> None:
    if muted.pk == user.pk:
        raise MuteError("You can't mute yourself.")
    locked = User.objects.select_for_update().only("muted_ids").get(pk=user.pk)
    ids = list(locked.muted_ids or [])
    if muted.pk in ids:
        return
    if len(ids) >= MAX_MUTED:
        raise MuteError(f"You can mute at most {MAX_MUTED} users.")
    user.muted_ids = [*ids, muted.pk]
    user.save(update_fields=["muted_ids"])


@transaction.atomic
def unmute(*, user: User, muted: User) -> None:
    locked = User.objects.select_for_update().only("muted_ids").get(pk=user.pk)
    user.muted_ids = [pk for pk in locked.muted_ids or [] if pk != muted.pk]
    user.save(update_fields=["muted_ids"])
