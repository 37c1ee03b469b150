"""The count line above a list says "1 work", "12 works" or "1–20 of 35 works", never "1–1 of 1 works"."""

import pytest

from archive.core.pagination import COUNT_CAP, CappedPaginator
from archive.core.templatetags.counting import page_count


@pytest.mark.parametrize(
    ("rows", "number", "expected"),
    [
        (1, 1, "1 work"),
        (12, 1, "12 works"),
        (20, 1, "20 works"),
        (35, 1, "1–20 of 35 works"),
        (35, 2, "21–35 of 35 works"),
        (21, 2, "21 of 21 works"),
        (999, 50, "981–999 of 999 works"),
    ],
)
def test_a_page_says_how_many_works_in_words(rows, number, expected):
    page = CappedPaginator(list(range(rows)), 20, count=rows).page(number)

    assert page_count(page, "work") == expected


def test_a_capped_list_says_plus():
    page = CappedPaginator(list(range(COUNT_CAP + 5)), 20, count=COUNT_CAP + 5).page(1)

    assert page_count(page, "work") == f"1–20 of {COUNT_CAP:,}+ works"
