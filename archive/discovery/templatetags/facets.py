"""The sidebar's facet rows, rendered in Python: a listing shows up to fifty of them, and the
template loop cost a tag page or search more than its facet counts cost PostgreSQL."""

from collections.abc import Collection, Iterable

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

from archive.discovery.filtering import Facet
from archive.tags.names import breakable

register = template.Library()
CHECKED = mark_safe("checked")  # noqa: S308 - a constant
NOTHING = mark_safe("")
# Each box sits in a label, so on a phone the whole cell (44 px, archive.css) is what a thumb hits.
ROW = (
    '\n        <tr><th scope="row">{7} <span class="facet-count">({1})</span></th>\n'
    '          <td><label class="facet-box">'
    '<input type="checkbox" name="{2}" value="{3}" aria-label="Include {0}" {4}></label></td>\n'
    '          <td><label class="facet-box">'
    '<input type="checkbox" name="{5}" value="{3}" aria-label="Exclude {0}" {6}></label></td></tr>\n      '
)


def _chosen(values) -> Collection:
    return values if isinstance(values, list | tuple | set) else ()


def _rows(rows: Iterable[tuple], include_name: str, exclude_name: str, included, excluded) -> SafeString:
    included, excluded = _chosen(included), _chosen(excluded)
    return format_html_join(
        "",
        ROW,
        (
            (
                label,
                count,
                include_name,
                value,
                CHECKED if value in included else NOTHING,
                exclude_name,
                CHECKED if value in excluded else NOTHING,
                breakable(label),
            )
            for value, label, count in rows
        ),
    )


@register.simple_tag
def rating_rows(ratings: list[tuple[str, str, int]], included, excluded) -> SafeString:
    """A row per rating (value, label, count), with its include and exclude boxes."""
    return _rows(ratings, "rating", "exclude_rating", included, excluded)


@register.simple_tag
def facet_rows(entries: list[Facet], included, excluded) -> SafeString:
    """A row per tag of one kind, with its include and exclude boxes."""
    rows = ((entry.tag.pk, entry.tag.name, entry.count) for entry in entries)
    return _rows(rows, "include", "exclude", included, excluded)
