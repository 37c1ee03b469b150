"""Every value the archive derives from other rows, checked against those rows, and repaired.

Each derived value has one owner that computes it (archive/stories/counts.py for a work's counts,
`refresh_story_filters` for filter and role ids, `refresh_tag_use_counts` for use counts,
`refresh_search_index` for search documents, `count_words` for a chapter's words). A check runs
the owner again inside a savepoint it then rolls back, and reports whatever would change: so
the check can never disagree with the code that writes the value. `manage.py check_counters`
prints what this finds; the stateful test (archive/stories/tests/test_invariants.py) runs it
after every step.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction

from archive.chapters.models import Chapter
from archive.core.prose import count_words
from archive.discovery.search_index import refresh_search_index
from archive.series.services import repair_positions, stale_positions
from archive.stories.counts import refresh_story_counts, stale_story_counts
from archive.stories.models import Story
from archive.stories.services import refresh_story_filters, refresh_tag_use_counts, stale_tag_use_counts

FILTER_COLUMNS = ("filter_ids", "role_ids", "main_ids", "relationship_count", "fandom_count")
BATCH = 2000


@dataclass(frozen=True)
class Stale:
    what: str  # "story 12", "tag 7", "chapter 40"
    field: str
    stored: object
    expected: object

    def __str__(self) -> str:
        return f"{self.what} {self.field}: stored {self.stored!r}, expected {self.expected!r}"


def _rerun(queryset, columns: Iterable[str], refresh: Callable[[list[int]], None], label: str) -> list[Stale]:
    """What `refresh` would change in these rows' `columns`, found by running it and rolling back."""
    columns = list(columns)
    stale: list[Stale] = []
    pks = list(queryset.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), BATCH):
        batch = pks[start : start + BATCH]
        rows = queryset.model.objects.filter(pk__in=batch).order_by("pk")
        with transaction.atomic():
            before = {row[0]: row[1:] for row in rows.values_list("pk", *columns)}
            refresh(batch)
            after = {row[0]: row[1:] for row in rows.values_list("pk", *columns)}
            transaction.set_rollback(True)
        for pk, stored in before.items():
            for column, old, new in zip(columns, stored, after[pk], strict=True):
                if old != new:
                    stale.append(Stale(f"{label} {pk}", column, old, new))
    return stale


def stale_values(*, story_ids: Iterable[int] | None = None, chapter_text: bool = False) -> list[Stale]:
    """Every derived value that disagrees with its rows (of these works, or all).

    `chapter_text` also recounts each chapter's words from its text, which reads every chapter:
    a generated benchmark archive stores short text under realistic, nominal word counts.
    """
    stories = Story.objects.all() if story_ids is None else Story.objects.filter(pk__in=list(story_ids))
    stale = [
        Stale(f"story {pk}", field, stored, expected) for pk, field, stored, expected in stale_story_counts(story_ids)
    ]
    stale += _rerun(stories, FILTER_COLUMNS, refresh_story_filters, "story")
    stale += _rerun(stories, ["search_vector"], refresh_search_index, "story")
    if story_ids is None:
        stale += [Stale(f"tag {pk}", "use_count", stored, expected) for pk, stored, expected in stale_tag_use_counts()]
        stale += [Stale(f"series {pk}", "positions", stored, expected) for pk, stored, expected in stale_positions()]
    if chapter_text:
        chapters = Chapter.objects.filter(story__in=stories).values_list("pk", "body", "word_count")
        for pk, body, stored in chapters.order_by("pk").iterator(chunk_size=500):
            if (expected := count_words(body)) != stored:
                stale.append(Stale(f"chapter {pk}", "word_count", stored, expected))
    return stale


@transaction.atomic
def repair(*, chapter_text: bool = False) -> None:
    """Recompute every derived value from its rows, with the owners the services use."""
    if chapter_text:
        for chapter in Chapter.objects.only("body", "word_count").iterator(chunk_size=500):
            if (expected := count_words(chapter.body)) != chapter.word_count:
                Chapter.objects.filter(pk=chapter.pk).update(word_count=expected)
    refresh_story_counts(None)
    refresh_story_filters(Story.objects.values_list("pk", flat=True))
    refresh_tag_use_counts()
    refresh_search_index(None)
    repair_positions()
