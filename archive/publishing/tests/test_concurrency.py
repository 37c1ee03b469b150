"""Two authors at once: real threads, each with its own database connection, meeting at a barrier.

These tests commit for real (`transaction=True`), because row locks only mean something between
two connections. Each thread closes its connection when it ends, so the test database can be
dropped afterwards.
"""

import threading
from collections.abc import Callable

import pytest
from django.db import connections

from archive.accounts.tests.factories import UserFactory
from archive.chapters.models import Chapter
from archive.publishing.services import (
    StaleOrderError,
    add_chapter,
    delete_chapter,
    reorder_chapters,
    update_chapter,
    update_story,
)
from archive.stories.models import Story
from archive.stories.tests.factories import make_story
from archive.tags.models import Tag

pytestmark = pytest.mark.django_db(transaction=True)


def at_once(*calls: Callable[[], object]) -> list[object]:
    """Run each call in its own thread and connection, released together; their results, in order.

    An exception in a thread is returned in its place, so the test can say which call failed.
    """
    barrier = threading.Barrier(len(calls), timeout=10)
    results: list[object] = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - handed back to the test, which asserts on it
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a thread is still waiting (a deadlock?)"
    return results


def chapter_fields(title: str, body: str) -> dict:
    return {"title": title, "notes": "", "end_notes": "", "body": f"<p>{body}</p>"}


def co_authored_story() -> Story:
    first, second = UserFactory(username="first"), UserFactory(username="second")
    story = make_story(author=first, body="One two three four five.")
    story.authors.add(second)
    return story


def story_fields(story: Story, **changes) -> dict:
    fields = {
        name: getattr(story, name)
        for name in [
            "title",
            "summary",
            "notes",
            "end_notes",
            "rating",
            "warnings",
            "categories",
            "language",
            "expected_chapters",
            "restricted",
            "comment_permission",
            "moderate_comments",
        ]  # fmt: skip
    }
    return {**fields, **changes}


def test_two_authors_posting_chapters_at_the_same_moment_both_succeed_with_distinct_positions():
    story = co_authored_story()

    def post(title: str, body: str) -> Callable[[], Chapter]:
        # Each author's request loads the story itself, as the view does.
        return lambda: add_chapter(story=Story.objects.get(pk=story.pk), fields=chapter_fields(title, body), post=True)

    results = at_once(post("Hers", "Six words in this one, exactly."), post("His", "Three words here."))

    assert all(isinstance(result, Chapter) for result in results), results
    positions = sorted(result.position for result in results)
    assert positions == [2, 3]
    assert list(story.chapters.order_by("position").values_list("position", flat=True)) == [1, 2, 3]
    story.refresh_from_db()
    assert story.chapter_count == 3
    assert story.word_count == 5 + 6 + 3


def test_many_chapters_posted_at_once_are_numbered_one_to_n():
    story = co_authored_story()
    calls = [
        lambda number=number: add_chapter(
            story=Story.objects.get(pk=story.pk), fields=chapter_fields(f"Part {number}", "Two words."), post=True
        )
        for number in range(6)
    ]

    results = at_once(*calls)

    assert all(isinstance(result, Chapter) for result in results), results
    assert list(story.chapters.order_by("position").values_list("position", flat=True)) == list(range(1, 8))
    story.refresh_from_db()
    assert (story.chapter_count, story.word_count) == (7, 5 + 6 * 2)


def test_two_edits_of_a_work_at_the_same_moment_keep_one_whole_set_of_tags():
    story = co_authored_story()
    stale = [Story.objects.get(pk=story.pk), Story.objects.get(pk=story.pk)]
    edits = {
        "Ours": {Tag.Kind.FANDOM: ["Greek Mythology"], Tag.Kind.CHARACTER: ["Hermes", "Apollo"]},
        "Theirs": {Tag.Kind.FANDOM: ["Greek Mythology"], Tag.Kind.CHARACTER: ["Hermes", "Artemis"]},
    }
    calls = [
        lambda copy=copy, title=title, tags=tags: update_story(
            story=copy, fields=story_fields(copy, title=title), tags_by_kind=tags
        )
        for copy, (title, tags) in zip(stale, edits.items(), strict=True)
    ]

    results = at_once(*calls)

    assert all(isinstance(result, Story) for result in results), results
    story.refresh_from_db()
    # The edit that came last wins whole: its title with its tags, never a mix of both.
    names = set(story.tags.values_list("name", flat=True))
    expected = edits[story.title]
    assert names == {name for kind_names in expected.values() for name in kind_names}
    uses = dict(Tag.objects.filter(name__in=["Hermes", "Apollo", "Artemis"]).values_list("name", "use_count"))
    assert uses == {"Hermes": 1, **{name: 1 if name in names else 0 for name in ["Apollo", "Artemis"]}}


def test_editing_a_work_while_a_co_author_posts_a_chapter_keeps_the_counters():
    story = co_authored_story()
    opened = Story.objects.get(pk=story.pk)  # the edit form was opened before the chapter was posted

    results = at_once(
        lambda: add_chapter(
            story=Story.objects.get(pk=story.pk), fields=chapter_fields("", "Four more words here."), post=True
        ),  # fmt: skip
        lambda: update_story(
            story=opened,
            fields=story_fields(opened, title="Renamed"),
            tags_by_kind={Tag.Kind.FANDOM: ["Greek Mythology"]},
        ),
    )

    assert not any(isinstance(result, Exception) for result in results), results
    story.refresh_from_db()
    assert story.title == "Renamed"
    assert (story.chapter_count, story.word_count) == (2, 5 + 4)


def test_an_edit_saved_from_a_stale_form_keeps_the_counters_that_moved_meanwhile():
    story = co_authored_story()
    opened = Story.objects.get(pk=story.pk)
    add_chapter(story=story, fields=chapter_fields("", "Four more words here."), post=True)

    update_story(story=opened, fields=story_fields(opened, title="Renamed"), tags_by_kind={Tag.Kind.FANDOM: ["Greek"]})

    story.refresh_from_db()
    assert (story.title, story.chapter_count, story.word_count) == ("Renamed", 2, 9)


def test_two_authors_editing_different_chapters_at_once_keep_both_edits_and_positions():
    story = co_authored_story()
    second = add_chapter(story=story, fields=chapter_fields("Two", "Two words."), post=True)
    first = story.chapters.get(position=1)

    results = at_once(
        lambda: update_chapter(chapter=Chapter.objects.get(pk=first.pk), fields=chapter_fields("One!", "A b c.")),
        lambda: update_chapter(chapter=Chapter.objects.get(pk=second.pk), fields=chapter_fields("Two!", "D e f g.")),
    )

    assert not any(isinstance(result, Exception) for result in results), results
    assert list(story.chapters.order_by("position").values_list("title", "word_count")) == [("One!", 3), ("Two!", 4)]
    story.refresh_from_db()
    assert (story.chapter_count, story.word_count) == (2, 7)


def test_deleting_two_chapters_at_once_closes_both_gaps():
    story = co_authored_story()
    for number in (2, 3, 4):
        add_chapter(story=story, fields=chapter_fields(f"Part {number}", "Two words."), post=True)
    doomed = list(story.chapters.filter(position__in=[2, 3]))

    results = at_once(*[lambda chapter=chapter: delete_chapter(chapter=chapter) for chapter in doomed])

    assert not any(isinstance(result, Exception) for result in results), results
    assert list(story.chapters.order_by("position").values_list("position", "title")) == [(1, ""), (2, "Part 4")]
    story.refresh_from_db()
    assert (story.chapter_count, story.word_count) == (2, 7)


def test_two_reorders_from_the_same_page_apply_one_and_refuse_the_other():
    story = make_story(author=UserFactory(), chapters=3)
    seen = list(story.chapters.order_by("position").values_list("pk", flat=True))
    first, second, third = seen

    results = at_once(
        lambda: reorder_chapters(story=story, seen=seen, order=[third, first, second]),
        lambda: reorder_chapters(story=story, seen=seen, order=[second, third, first]),
    )

    refused = [result for result in results if isinstance(result, StaleOrderError)]
    assert len(refused) == 1, results
    applied = [third, first, second] if results[0] is None else [second, third, first]
    assert list(story.chapters.order_by("position").values_list("pk", flat=True)) == applied
    assert sorted(story.chapters.values_list("position", flat=True)) == [1, 2, 3]


def test_a_reorder_and_a_new_chapter_at_once_never_share_a_position():
    story = make_story(author=UserFactory(), chapters=3)
    seen = list(story.chapters.order_by("position").values_list("pk", flat=True))

    results = at_once(
        lambda: reorder_chapters(story=story, seen=seen, order=list(reversed(seen))),
        lambda: add_chapter(story=story, fields=chapter_fields("Four", "Late."), post=True),
    )

    assert not isinstance(results[1], Exception), results
    positions = sorted(story.chapters.values_list("position", flat=True))
    assert positions == [1, 2, 3, 4]
    assert results[0] is None or isinstance(results[0], StaleOrderError)
