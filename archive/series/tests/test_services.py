import pytest
from django.db import IntegrityError

from archive.accounts.tests.factories import UserFactory
from archive.notifications.models import Kind, Notification
from archive.notifications.services import subscribe
from archive.publishing.services import delete_story, post_story
from archive.series.models import Series, SeriesWork
from archive.series.services import (
    SeriesError,
    add_work,
    arrange_works,
    delete_series,
    move_work,
    place_work,
    remove_work,
    set_work_series,
    update_series,
)
from archive.series.tests.factories import make_series, parts
from archive.stories.tests.factories import make_story

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def works(author):
    return [make_story(author=author, title=title) for title in ("Descent", "Bargain", "Return")]


def test_works_are_added_last_and_numbered_from_one(author, works):
    series = make_series(creator=author, works=works)
    assert parts(series) == [(1, "Descent"), (2, "Bargain"), (3, "Return")]


def test_a_work_added_as_a_part_moves_the_later_parts_along(author, works):
    series = make_series(creator=author, works=works[:2])
    add_work(series=series, story=works[2], position=1)
    assert parts(series) == [(1, "Return"), (2, "Descent"), (3, "Bargain")]


def test_a_part_number_past_the_end_puts_the_work_last(author, works):
    series = make_series(creator=author, works=works[:2])
    add_work(series=series, story=works[2], position=99)
    assert parts(series)[-1] == (3, "Return")


def test_moving_a_work_keeps_the_others_in_order(author, works):
    series = make_series(creator=author, works=works)
    move_work(series=series, story=works[2], position=1)
    assert parts(series) == [(1, "Return"), (2, "Descent"), (3, "Bargain")]
    move_work(series=series, story=works[2], position=3)
    assert parts(series) == [(1, "Descent"), (2, "Bargain"), (3, "Return")]


def test_removing_a_work_closes_the_gap(author, works):
    series = make_series(creator=author, works=works)
    assert remove_work(series=series, story=works[0])
    assert parts(series) == [(1, "Bargain"), (2, "Return")]
    assert not remove_work(series=series, story=works[0])


def test_deleting_a_work_closes_the_gap_in_every_series_it_was_in(author, works):
    first = make_series(creator=author, works=works)
    second = make_series(creator=author, works=[works[1], works[2]], title="Side Stories")
    delete_story(story=works[1])
    assert parts(first) == [(1, "Descent"), (2, "Return")]
    assert parts(second) == [(1, "Return")]


def test_arranging_reorders_and_removes_at_once(author, works):
    series = make_series(creator=author, works=works)
    arrange_works(series=series, order=[works[2].pk, works[0].pk], removed=[works[1].pk])
    assert parts(series) == [(1, "Return"), (2, "Descent")]


def test_arranging_from_a_stale_list_is_refused_and_changes_nothing(author, works):
    series = make_series(creator=author, works=works[:2])
    add_work(series=series, story=works[2])  # meanwhile, in another tab
    with pytest.raises(SeriesError):
        arrange_works(series=series, order=[works[1].pk, works[0].pk])
    assert parts(series) == [(1, "Descent"), (2, "Bargain"), (3, "Return")]


def test_a_work_is_in_a_series_once_but_may_be_in_several(author, works):
    first = make_series(creator=author, works=[works[0]])
    make_series(creator=author, works=[works[0]], title="Another")
    assert SeriesWork.objects.filter(story=works[0]).count() == 2
    with pytest.raises(IntegrityError):
        SeriesWork.objects.create(series=first, story=works[0], position=2)


def test_the_database_refuses_two_works_at_one_position(author, works):
    series = make_series(creator=author, works=works[:1])
    with pytest.raises(IntegrityError):
        SeriesWork.objects.create(series=series, story=works[1], position=1)


def test_a_works_authors_become_creators_of_the_series(author, works):
    coauthor = UserFactory()
    works[0].authors.add(coauthor)
    series = make_series(creator=author, works=[works[0]])
    assert set(series.creators.all()) == {author, coauthor}


def test_only_creators_place_works_and_only_their_own(author, works):
    other = UserFactory()
    series = make_series(creator=author)
    with pytest.raises(SeriesError):
        place_work(story=make_story(author=other), user=other, series=series)
    with pytest.raises(SeriesError):
        place_work(story=make_story(author=other), user=author, series=series)
    assert not series.series_works.exists()


def test_a_new_series_is_made_from_the_work_forms_title(author, works):
    set_work_series(story=works[0], user=author, new_title="  Myths Retold ")
    series = Series.objects.get()
    assert series.title == "Myths Retold"
    assert list(series.creators.all()) == [author]
    assert parts(series) == [(1, "Descent")]


def test_updating_and_deleting_a_series_leaves_its_works(author, works):
    series = make_series(creator=author, works=works)
    update_series(series=series, fields={"title": "Renamed", "complete": True})
    series.refresh_from_db()
    assert (series.title, series.complete) == ("Renamed", True)
    delete_series(series=series)
    assert not SeriesWork.objects.exists()
    assert all(type(work).objects.filter(pk=work.pk).exists() for work in works)


def test_a_series_title_cant_be_blank(author):
    series = make_series(creator=author)
    with pytest.raises(SeriesError):
        update_series(series=series, fields={"title": "   "})


def _series_notifications(user):
    return list(
        Notification.objects.filter(recipient=user, kind=Kind.NEW_STORY_IN_SERIES).values_list("text", flat=True)
    )


def test_subscribers_hear_of_a_posted_work_joining_the_series_once(author, reader, works):
    series = make_series(creator=author, works=works[:1])
    subscribe(user=reader, series=series)
    add_work(series=series, story=works[1])
    add_work(series=series, story=works[1], position=1)  # a move is no news
    assert _series_notifications(reader) == [
        "New work in the series “The Underworld Cycle”: “Bargain” by " + author.username
    ]


def test_subscribers_hear_of_a_draft_in_the_series_when_it_is_posted(author, reader):
    series = make_series(creator=author, works=[make_story(author=author)])
    subscribe(user=reader, series=series)
    draft = make_story(author=author, title="Later", post=False)
    add_work(series=series, story=draft)
    assert _series_notifications(reader) == []
    post_story(story=draft)
    assert len(_series_notifications(reader)) == 1


def test_check_counters_finds_a_gap_in_a_series_and_fix_closes_it(author, works):
    from archive.stories.integrity import repair, stale_values

    series = make_series(creator=author, works=works)
    assert stale_values() == []
    SeriesWork.objects.filter(series=series, story=works[0]).delete()  # behind the services' back
    assert [str(stale) for stale in stale_values()] == [f"series {series.pk} positions: stored [2, 3], expected [1, 2]"]
    repair()
    assert parts(series) == [(1, "Bargain"), (2, "Return")]


def test_an_account_orphaning_its_works_leaves_its_series_to_orphan_account(author, works, reader):
    from archive.bookmarks.services import create_series_bookmark
    from archive.publishing.account_deletion import Works, delete_account

    series = make_series(creator=author, works=works)
    create_series_bookmark(user=author, series=make_series(creator=reader, works=[make_story(author=reader)]))
    delete_account(user=author, works=Works.ORPHAN)
    assert [creator.username for creator in series.creators.all()] == ["orphan_account"]
    assert parts(series) == [(1, "Descent"), (2, "Bargain"), (3, "Return")]


def test_an_account_deleting_its_works_deletes_the_series_they_leave_empty(author, works):
    from archive.publishing.account_deletion import Works, delete_account

    make_series(creator=author, works=works)
    shared = make_series(creator=author, works=works[:1], title="Shared")
    shared.creators.add(UserFactory())
    delete_account(user=author, works=Works.DELETE)
    assert list(Series.objects.values_list("title", flat=True)) == ["Shared"]
    assert not SeriesWork.objects.exists()
