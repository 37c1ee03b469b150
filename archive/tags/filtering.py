"""The ids a work is filtered by, worked out from the tags its authors typed.

A work's filter ids are the canonical ids of its tags (plus, added by the stories app, one id for
its rating, one per archive warning, one if it is restricted and one if it is a crossover:
archive/stories/choices.py `work_filter_ids`): at most a few dozen, so they fit in the B-tree indexes
that list works by date. Its role ids say what its characters do in it: `IN_ROMANCE + id` for a
character in one of its romantic relationships, `IN_FRIENDSHIP + id` for a platonic one. A work
with many long relationship tags has hundreds of those, so they live in a column of their own
(`Story.role_ids`, GIN-indexed) that no B-tree has to hold.

So "Carol in a romantic relationship" is the single role id IN_ROMANCE + Carol, and "Carol, or
Carol in any relationship" is one filter id or two role ids: one GIN-indexed test each.
`archive/discovery/filtering.py` sends each id to its column.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
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
    """A tag's own id, as opposed to a role id or a flag (rating, warning, restricted, crossover)."""
    return filter_id < IN_ROMANCE


def is_role(filter_id: int) -> bool:
    """A character's role in a work ("in a romantic relationship"): kept in `Story.role_ids`."""
    return IN_ROMANCE <= filter_id < IN_FRIENDSHIP + IN_ROMANCE


def ship_roles(ship_kind: str, member_ids: Iterable[int]) -> list[int]:
    """The role ids a relationship gives its characters (their canonical ids)."""
    derive = DERIVED.get(ship_kind)
    return [derive(member_id) for member_id in dict.fromkeys(member_ids)] if derive else []


MAIN_KINDS = (Tag.Kind.CHARACTER, Tag.Kind.RELATIONSHIP)


@dataclass
class WorkIndex:
    filter_ids: list[int]
    role_ids: list[int]
    relationship_count: int
    fandom_count: int
    main_ids: list[int]


def index_work(
    own_ids: Iterable[int],
    kind_of: Mapping[int, str],
    roles_of: Mapping[int, list[int]],
    marked_main: Iterable[int] = (),
) -> WorkIndex:
    """The rule itself, for one work: `own_ids` are the canonical ids of its tags, `kind_of` their
    kinds, `roles_of` each canonical relationship's role ids (`ship_roles`), `marked_main` the
    canonical ids of the tags its author marked main. The archive generator calls it with what it
    keeps in memory; `index_works` with what it reads from the database.

    Its main ids are its main characters and relationships and the roles in its main
    relationships; of a kind with none marked, every tag counts as main (so works from before
    marking, and works whose author marks nothing, lose nothing in "main" searches)."""
    own = set(own_ids)
    ships = [tag_id for tag_id in own if kind_of[tag_id] == Tag.Kind.RELATIONSHIP]
    marked = set(marked_main) & own
    main: set[int] = set()
    for kind in MAIN_KINDS:
        of_kind = {tag_id for tag_id in own if kind_of[tag_id] == kind}
        main |= (of_kind & marked) or of_kind
    main |= {role for ship in ships if ship in main for role in roles_of.get(ship, ())}
    return WorkIndex(
        filter_ids=sorted(own),
        role_ids=sorted({role for ship in ships for role in roles_of.get(ship, ())}),
        relationship_count=len(ships),
        fandom_count=sum(1 for tag_id in own if kind_of[tag_id] == Tag.Kind.FANDOM),
        main_ids=sorted(main),
    )


def index_works(
    tag_ids_by_work: dict[int, list[int]], main_tag_ids_by_work: Mapping[int, Iterable[int]] | None = None
) -> dict[int, WorkIndex]:
    """Filter ids, role ids, main ids and counts for each work, from the raw tag ids on it (and
    those marked main), in three queries."""
    main_tag_ids_by_work = main_tag_ids_by_work or {}
    raw_ids = {tag_id for tag_ids in tag_ids_by_work.values() for tag_id in tag_ids}
    tags = {tag.pk: tag for tag in Tag.objects.filter(pk__in=raw_ids).only("kind", "merger_id", "ship_kind")}
    canonical_ids = {tag.filter_id for tag in tags.values()} - tags.keys()
    tags.update(
        {tag.pk: tag for tag in Tag.objects.filter(pk__in=canonical_ids).only("kind", "merger_id", "ship_kind")}
    )
    ship_ids = {tag.filter_id for tag in tags.values() if tag.kind == Tag.Kind.RELATIONSHIP}
    members: dict[int, list[int]] = defaultdict(list)
    links = Tag.characters.through.objects.filter(from_tag_id__in=ship_ids).select_related("to_tag")
    for link in links.only("from_tag_id", "to_tag__merger_id").order_by("pk"):
        members[link.from_tag_id].append(link.to_tag.filter_id)
    kind_of = {tag_id: tag.kind for tag_id, tag in tags.items()}
    roles_of = {ship_id: ship_roles(tags[ship_id].ship_kind, members[ship_id]) for ship_id in ship_ids}
    return {
        work_id: index_work(
            {tags[tag_id].filter_id for tag_id in tag_ids if tag_id in tags},
            kind_of,
            roles_of,
            {tags[tag_id].filter_id for tag_id in main_tag_ids_by_work.get(work_id, ()) if tag_id in tags},
        )
        for work_id, tag_ids in tag_ids_by_work.items()
    }
