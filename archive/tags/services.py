from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower

from archive.tags.models import Tag
from archive.tags.names import match_key, parse_relationship, tidy


def _keys(tags_by_kind: dict[str, list[str]]) -> dict[str, tuple[str, str]]:
    """Each typed name's match key, with the name and the kind it was typed as."""
    return {
        match_key(name, relationship=kind == Tag.Kind.RELATIONSHIP): (name, kind)
        for kind, names in tags_by_kind.items()
        for name in names
    }


def _existing(tags_by_kind: dict[str, list[str]]):
    """Tags matching any typed name, by match key or by exact name (whatever the case).

    A name can match by name but not by key across kinds: "Daryl/Carol" typed as a ship has
    the key "carol/daryl", while a freeform of that name keeps the key "daryl/carol".
    """
    keys = _keys(tags_by_kind)
    names = [name.lower() for names in tags_by_kind.values() for name in names]
    return keys, Tag.objects.annotate(lname=Lower("name")).filter(Q(match_key__in=keys) | Q(lname__in=names))


def tag_kind_conflicts(tags_by_kind: dict[str, list[str]]) -> dict[str, list[str]]:
    """Names typed under one kind that are already tags of another kind, by the kind typed."""
    wanted, existing = _existing(tags_by_kind)
    typed_names = {name.lower(): kind for kind, names in tags_by_kind.items() for name in names}
    conflicts: dict[str, list[str]] = {}
    for tag in existing.only("name", "kind", "match_key"):
        typed_as = wanted[tag.match_key][1] if tag.match_key in wanted else typed_names[tag.name.lower()]
        if tag.kind != typed_as:
            conflicts.setdefault(typed_as, []).append(
                f"“{tag.name}” is already a {Tag.Kind(tag.kind).label.lower()} tag, so it can't be a "
                f"{Tag.Kind(typed_as).label.lower()}."
            )
    return conflicts


def preview_tags(tags_by_kind: dict[str, list[str]]) -> list[Tag]:
    """The tags these names would be, in the order typed, creating none (for a preview): each
    existing tag as `resolve_tags` would find it, and each new name as an unsaved tag."""
    found = list(_existing(tags_by_kind)[1])
    by_key = {tag.match_key: tag for tag in found}
    by_name = {tag.name.lower(): tag for tag in found}
    tags: list[Tag] = []
    for kind in (Tag.Kind.FANDOM, Tag.Kind.CHARACTER, Tag.Kind.RELATIONSHIP, Tag.Kind.FREEFORM):
        for name in tags_by_kind.get(kind, []):
            key = match_key(name, relationship=kind == Tag.Kind.RELATIONSHIP)
            tag = by_key.get(key) or by_name.get(tidy(name).lower()) or Tag(name=tidy(name), kind=kind, match_key=key)
            by_key[key] = tag
            if tag not in tags:
                tags.append(tag)
    return tags


@transaction.atomic
def resolve_tags(tags_by_kind: dict[str, list[str]]) -> list[Tag]:
    """The Tag rows for these names, created where new, in the order typed.

    A name matches an existing tag whatever its case and spacing, and a relationship whatever
    the order of its characters. A new relationship is linked to its characters, which are
    created as character tags where new. Callers validate kinds first (`tag_kind_conflicts`).
    """
    existing = {tag.match_key: tag for tag in Tag.objects.filter(match_key__in=_keys(tags_by_kind))}
    by_name = {tag.name.lower(): tag for tag in _existing(tags_by_kind)[1]}
    resolved: list[Tag] = []
    created: list[Tag] = []
    # Characters before relationships: a new ship creates the characters it names.
    for kind in (Tag.Kind.FANDOM, Tag.Kind.CHARACTER, Tag.Kind.RELATIONSHIP, Tag.Kind.FREEFORM):
        for name in tags_by_kind.get(kind, []):
            key = match_key(name, relationship=kind == Tag.Kind.RELATIONSHIP)
            tag = existing.get(key) or by_name.get(tidy(name).lower()) or Tag.objects.filter(match_key=key).first()
            if tag is None:
                tag = _create(name, kind)
                created.append(tag)
            existing[key] = tag
            if tag not in resolved:
                resolved.append(tag)
    # New characters and ships start out in the fandoms of the work that brought them; wranglers
    # can change that.
    fandoms = [tag for tag in resolved if tag.kind == Tag.Kind.FANDOM]
    for tag in created:
        if fandoms and tag.kind in (Tag.Kind.CHARACTER, Tag.Kind.RELATIONSHIP):
            tag.fandoms.add(*fandoms)
        if fandoms and tag.kind == Tag.Kind.RELATIONSHIP:
            for character in tag.characters.filter(fandoms__isnull=True):
                character.fandoms.add(*fandoms)
    return resolved


def _create(name: str, kind: str) -> Tag:
    ship = parse_relationship(name) if kind == Tag.Kind.RELATIONSHIP else None
    tag = Tag.objects.create(name=tidy(name), kind=kind, ship_kind=ship.kind if ship else "")
    if ship:
        characters = resolve_tags({Tag.Kind.CHARACTER: list(ship.characters)})
        tag.characters.set(character for character in characters if character.kind == Tag.Kind.CHARACTER)
    return tag


def main_keys(mains_by_kind: dict[str, list[str]] | None) -> set[str]:
    """The match keys of the tags an author named main (see `is_marked_main`)."""
    return {
        match_key(name, relationship=kind == Tag.Kind.RELATIONSHIP)
        for kind, names in (mains_by_kind or {}).items()
        for name in names
    }


def is_marked_main(tag: Tag, keys: set[str]) -> bool:
    """Whether this tag of a work (saved or, in a preview, not yet) is one `main_keys` names: its
    name as typed matched it, whatever the case and spacing or a ship's name order."""
    return match_key(tag.name, relationship=tag.kind == Tag.Kind.RELATIONSHIP) in keys
