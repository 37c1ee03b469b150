"""Wrangling: what tags mean. Each change takes effect everywhere at once, in one transaction:
the affected works' filter ids, search text and the tags' use counts move with it, and the
change is logged.
"""

from django.db import transaction

from archive.caching import versions
from archive.core import jobs
from archive.discovery.search_index import refresh_search_index
from archive.search.models import SavedSearch
from archive.stories.models import StoryTag
from archive.stories.services import refresh_story_filters
from archive.tags.models import ShipKind, Tag
from archive.tags.names import match_key, tidy
from archive.wrangling.models import WranglingLog


class WranglingError(Exception):
    """A change that would leave tags inconsistent; the message says why."""


def _works_touching(tags) -> list[int]:
    """Works tagged with these tags, or with a relationship (or its synonym) naming them."""
    tag_ids = {tag.pk for tag in tags}
    ships = set(Tag.characters.through.objects.filter(to_tag_id__in=tag_ids).values_list("from_tag_id", flat=True))
    ships |= set(Tag.objects.filter(merger_id__in=ships).values_list("pk", flat=True))
    return list(
        StoryTag.objects.filter(tag_id__in=tag_ids | ships)
        .values_list("content_object_id", flat=True)
        .distinct()
        .order_by()
    )


def _refresh(story_ids: list[int]) -> None:
    refresh_story_filters(story_ids)
    refresh_search_index(story_ids)


def _refresh_works_with(tags) -> None:
    _refresh(_works_touching(tags))


def _reindex_saved_searches(*tags) -> None:
    """Saved searches naming these tags resolve their names again, once this change commits."""
    from archive.search import tasks

    jobs.after_commit(tasks.reindex_saved_searches, tag_ids=sorted({tag.pk for tag in tags if tag is not None}))


def _kind_mismatch(other: Tag, tag: Tag) -> str:
    return f"“{other.name}” is a {other.get_kind_display().lower()}, not a {tag.get_kind_display().lower()}."


def _log(user, tag: Tag, action: str, detail: str = "") -> None:
    """Every wrangling change ends here: logged, and every page showing tags is rebuilt."""
    WranglingLog.objects.create(user=user, tag=tag, tag_name=tag.name, action=action, detail=detail)
    versions.changed(tags=True)


@transaction.atomic
def make_canonical(*, tag: Tag, user) -> Tag:
    if tag.canonical:
        return tag
    was_synonym_of = tag.merger
    tag.canonical, tag.merger = True, None
    tag.save(update_fields=["canonical", "merger"])
    if was_synonym_of:
        _refresh_works_with([tag, *tag.synonyms.all()])
        _reindex_saved_searches(tag, was_synonym_of)
    _log(user, tag, WranglingLog.Action.CANONICAL, f"was a synonym of {was_synonym_of}" if was_synonym_of else "")
    return tag


@transaction.atomic
def make_synonym(*, tag: Tag, of: Tag, user) -> Tag:
    """Count `tag`'s works under the canonical `of`; its own synonyms follow it."""
    if tag.pk == of.pk:
        raise WranglingError("A tag can't be a synonym of itself.")
    if tag.kind != of.kind:
        raise WranglingError(
            f"“{of.name}” is a {of.get_kind_display().lower()}, not a {tag.get_kind_display().lower()}."
        )
    if not of.canonical:
        raise WranglingError(f"“{of.name}” isn't canonical; make it canonical first.")
    followers = list(tag.synonyms.all())
    Tag.objects.filter(pk__in=[follower.pk for follower in followers]).update(merger=of)
    tag.canonical, tag.merger = False, of
    tag.save(update_fields=["canonical", "merger"])
    _refresh_works_with([tag, *followers])
    _reindex_saved_searches(tag, *followers)
    _log(user, tag, WranglingLog.Action.SYNONYM, f"of {of.name}")
    return tag


@transaction.atomic
def set_fandoms(*, tag: Tag, fandoms: list[Tag], user) -> Tag:
    if tag.kind not in (Tag.Kind.CHARACTER, Tag.Kind.RELATIONSHIP):
        raise WranglingError("Only characters and relationships belong to fandoms.")
    if any(fandom.kind != Tag.Kind.FANDOM for fandom in fandoms):
        raise WranglingError("Only fandom tags can be a tag's fandoms.")
    tag.fandoms.set(fandoms)
    _log(user, tag, WranglingLog.Action.FANDOMS, ", ".join(fandom.name for fandom in fandoms))
    return tag


@transaction.atomic
def link_characters(*, tag: Tag, characters: list[Tag], ship_kind: str, user) -> Tag:
    if tag.kind != Tag.Kind.RELATIONSHIP:
        raise WranglingError("Only relationships have characters.")
    if any(character.kind != Tag.Kind.CHARACTER for character in characters):
        raise WranglingError("Only character tags can be in a relationship.")
    if ship_kind not in ShipKind.values:
        raise WranglingError("Say whether the relationship is romantic or platonic.")
    tag.characters.set(characters)
    tag.ship_kind = ship_kind
    tag.save(update_fields=["ship_kind"])
    _refresh_works_with([tag, *tag.synonyms.all()])
    detail = f"{ShipKind(ship_kind).label}: " + ", ".join(character.name for character in characters)
    _log(user, tag, WranglingLog.Action.CHARACTERS, detail)
    return tag


@transaction.atomic
def merge(*, tag: Tag, into: Tag, user) -> Tag:
    """Move every work from `tag` to `into` and delete `tag`: for duplicates and typos."""
    if tag.pk == into.pk:
        raise WranglingError("A tag can't be merged into itself.")
    if tag.kind != into.kind:
        raise WranglingError(
            f"“{into.name}” is a {into.get_kind_display().lower()}, not a {tag.get_kind_display().lower()}."
        )
    story_ids = _works_touching([tag, *tag.synonyms.all()])
    carried = set(StoryTag.objects.filter(tag=into).values_list("content_object_id", flat=True))
    moving = StoryTag.objects.filter(tag=tag)
    moving.filter(content_object_id__in=carried).delete()
    moving.update(tag=into)
    tag.synonyms.update(merger=into if into.canonical else into.merger)
    for relation in (Tag.fandoms, Tag.characters):
        through = relation.through
        # Links from the merged tag (its fandoms, a ship's characters) and to it (as a fandom of
        # characters, as a character in ships) now belong to the tag it is merged into.
        for link in through.objects.filter(from_tag=tag):
            through.objects.get_or_create(from_tag=into, to_tag_id=link.to_tag_id)
        for link in through.objects.filter(to_tag=tag):
            through.objects.get_or_create(from_tag_id=link.from_tag_id, to_tag=into)
    # Saved searches kept from its page follow it (deleting the tag would delete them).
    SavedSearch.objects.filter(tag=tag).update(tag=into.merger or into)
    name = tag.name
    _log(user, into, WranglingLog.Action.MERGE, f"“{name}” merged into it")
    _reindex_saved_searches(tag, into)
    tag.delete()
    # `into` may have gained characters (a ship merged into it) or fandoms: its own works' roles
    # and filter ids move too, not only the works that carried the merged tag.
    _refresh(sorted({*story_ids, *_works_touching([into, *into.synonyms.all()])}))
    return into


@transaction.atomic
def rename(*, tag: Tag, name: str, user) -> Tag:
    name = tidy(name)
    key = match_key(name, relationship=tag.kind == Tag.Kind.RELATIONSHIP)
    clash = (
        Tag.objects.named(name).exclude(pk=tag.pk).first()
        or Tag.objects.filter(match_key=key).exclude(pk=tag.pk).first()
    )
    if clash:
        raise WranglingError(f"“{clash.name}” already exists; merge into it instead.")
    old = tag.name
    tag.name = name
    tag.save()
    _refresh_works_with([tag, *tag.synonyms.all()])
    _log(user, tag, WranglingLog.Action.RENAME, f"from “{old}”")
    return tag


@transaction.atomic
def delete_tag(*, tag: Tag, user) -> None:
    """Delete a tag (staff, in the admin): its works lose it and its synonyms are left unwrangled,
    their works counted under their own names again."""
    synonyms = list(tag.synonyms.all())
    story_ids = _works_touching([tag, *synonyms])
    _log(user, tag, WranglingLog.Action.DELETE, f"{len(story_ids)} works lost it")
    tag.delete()
    _refresh(story_ids)
