"""How many things a page of a list shows, in words: "1 work", "3 works", "1–20 of 35 works"."""

from django import template

register = template.Library()


def _number(value: int) -> str:
    return f"{value:,}"


@register.simple_tag
def page_count(page, noun: str) -> str:
    """The count line of a page of `noun`s (singular, made plural with an "s")."""
    total = page.paginator.count
    capped = getattr(page.paginator, "capped", False)
    plural = noun if total == 1 and not capped else f"{noun}s"
    of = f"{_number(total)}{'+' if capped else ''} {plural}"
    if page.paginator.num_pages <= 1 and not capped:
        return of  # the whole list is here: "1 work", "12 works"
    start, end = page.start_index(), page.end_index()
    shown = _number(start) if start == end else f"{_number(start)}–{_number(end)}"
    return f"{shown} of {of}"
