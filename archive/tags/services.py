from django.db.models.functions import Lower

from archive.tags.models import Tag


def tag_kind_conflicts(tags_by_kind: dict[str, list[str]]) -> dict[str, list[str]]:
    """Names typed under one kind that are already tags of another kind, by the kind typed."""
    wanted = {name.lower(): kind for kind, names in tags_by_kind.items() for name in names}
    if not wanted:
        return {}
    existing = Tag.objects.annotate(lname=Lower("name")).filter(lname__in=wanted).values_list("name", "kind")
    conflicts: dict[str, list[str]] = {}
    for name, kind in existing:
        typed_as = wanted[name.lower()]
        if kind != typed_as:
            conflicts.setdefault(typed_as, []).append(
                f"“{name}” is already a {Tag.Kind(kind).label.lower()} tag, so it can't be a "
                f"{Tag.Kind(typed_as).label.lower()}."
            )
    return conflicts


def resolve_tags(tags_by_kind: dict[str, list[str]]) -> list[Tag]:
    """The Tag rows for these names, created where new, in the order typed.

    An existing tag is matched whatever its case, and keeps its kind; callers validate kinds
    first with `tag_kind_conflicts`.
    """
    names = [name for kind in Tag.Kind.values for name in tags_by_kind.get(kind, [])]
    existing = {
        tag.name.lower(): tag
        for tag in Tag.objects.annotate(lname=Lower("name")).filter(lname__in=[name.lower() for name in names])
    }
    resolved: list[Tag] = []
    for kind in Tag.Kind.values:
        for name in tags_by_kind.get(kind, []):
            tag = existing.get(name.lower())
            if tag is None:
                tag = Tag.objects.create(name=name, kind=kind)
                existing[name.lower()] = tag
            if tag not in resolved:
                resolved.append(tag)
    return resolved
