"""Pages of long lists that never count a million rows.

Counting every match of a broad list (the front page of a million works) costs more than
showing it. Lists count up to COUNT_CAP and then say "1,000+"; a capped list still pages
MAX_PAGES deep, and a page past the real end is simply empty.
"""

from functools import cached_property

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PER_PAGE = 20
COUNT_CAP = 1_000
MAX_PAGES = 500  # 10,000 works at 20 a page, as deep as big archives let readers go


class CappedPaginator(Paginator):
    """A paginator whose count stops at `COUNT_CAP` (or is told it by the caller)."""

    def __init__(self, object_list, per_page: int = PER_PAGE, *, count: int | None = None):
        super().__init__(object_list, per_page)
        self._known = count

    @cached_property
    def _counted(self) -> int:
        if self._known is not None:
            return self._known
        return self.object_list[: COUNT_CAP + 1].count()

    @property
    def capped(self) -> bool:
        return self._counted > COUNT_CAP

    @property
    def count(self) -> int:
        return min(self._counted, COUNT_CAP)

    @property
    def num_pages(self) -> int:
        return MAX_PAGES if self.capped else super().num_pages

    def page(self, number) -> Page:
        number = self.validate_number(number)
        start = (number - 1) * self.per_page
        return self._get_page(self.object_list[start : start + self.per_page], number, self)


def page_number(request: HttpRequest) -> int:
    """The page asked for; anything but a plain positive number means page 1."""
    value = request.GET.get("page", "1")
    return int(value) if value.isascii() and value.isdigit() and 0 < int(value) < 10**6 else 1


def paginate(request: HttpRequest, object_list, per_page: int = PER_PAGE) -> Page:
    """The requested page; past the end, an empty page that says where the end is."""
    paginator = CappedPaginator(object_list, per_page)
    number = page_number(request)
    if number > paginator.num_pages:
        return Page(object_list[:0], number, paginator)
    return paginator.page(number)
