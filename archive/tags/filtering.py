"""The ids a work is filtered by, worked out from the tags its authors typed.

A work's filter ids are the canonical ids of its tags, plus one derived id per character that
appears in one of its relationships: `IN_ROMANCE + id` for a romantic ship, `IN_FRIENDSHIP + id`
for a platonic one. So "Carol in a romantic relationship" is the single id IN_ROMANCE + Carol,
and "Carol, or Carol in any relationship" is any of three ids: one GIN-indexed test each.
"""

from collections import defaultdict
from dataclasses import dataclass

from archive.tags.models import ShipKind, Tag

IN_ROMANCE = 1 << 40
IN_FRIENDSHIP = 2 << 40


def in_romance(tag_id: int) -> int:
    return IN_ROMANCE + tag_id


def in_friendship(tag_id: int) -> int:
    return IN_FRIENDSHIP + tag_id


def in_any_ship(tag_id: int) -> list[int]:
    return [in_romance(tag_id), in_friendship(tag_id)]


DERIVED = {ShipKind.ROMANTIC: in_romance, ShipKind.PLATONIC: in_friendship}


def is_plain(filter_id: int) -> bool:
    """A tag's own id, as opposed to a derived "in a relationship" id."""
    return filter_id < IN_ROMANCE


@dataclass
class WorkIndex:
    filter_ids: list[int]
    relationship_count: int
    fandom_count: int


def index_works(tag_ids_by_work: dict[int, list[int]]) -> dict[int, WorkIndex]:
    """Filter ids and counts for each work, from the raw tag ids on it, in three queries."""
    raw_ids = {tag_id for tag_ids in tag_ids_by_work.values() for tag_id in tag_ids}
    tags = {tag.pk: tag for tag in Tag.objects.filter(pk__in=raw_ids).only("kind", "merger_id", "ship_kind")}
    canonical_ids = {tag.filter_id for tag in tags.values()} - tags.keys()
    tags.update(
        {tag.pk: tag for tag in Tag.objects.filter(pk__in=canonical_ids).only("kind", "merger_id", "ship_kind")}
    )
    ship_ids = {tag.filter_id for tag in tags.values() if tag.kind == Tag.Kind.RELATIONSHIP}
    members: dict[int, set[int]] = defaultdict(set)
    links = Tag.characters.through.objects.filter(from_tag_id__in=ship_ids).select_related("to_tag")
    for link in links.only("from_tag_id", "to_tag__merger_id"):
        members[link.from_tag_id].add(link.to_tag.filter_id)

    indexed = {}
    for work_id, tag_ids in tag_ids_by_work.items():
        own = {tags[tag_id].filter_id for tag_id in tag_ids if tag_id in tags}
        ids = set(own)
        ships = [tags[tag_id] for tag_id in own if tags[tag_id].kind == Tag.Kind.RELATIONSHIP]
        for ship in ships:
            derive = DERIVED.get(ship.ship_kind)
            if derive:
                ids.update(derive(character_id) for character_id in members[ship.pk])
        indexed[work_id] = WorkIndex(
            filter_ids=sorted(ids),
            relationship_count=len(ships),
            fandom_count=sum(1 for tag_id in own if tags[tag_id].kind == Tag.Kind.FANDOM),
        )
    return indexed
