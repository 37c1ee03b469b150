"""Querysets whose SQL is made once (archive/core/prepared.py): each call's ids give the rows the
queryset itself gives, the SQL is compiled once, and a queryset whose id is not one parameter of
its SQL is refused when it is first compiled."""

import pytest

from archive.chapters.models import Chapter
from archive.core import prepared
from archive.stories.models import Story
from archive.stories.tests.factories import make_story

pytestmark = pytest.mark.django_db

built = []


def _chapters_of(story_id: int):
    built.append(story_id)
    return Chapter.objects.filter(story_id=story_id).order_by("position").values_list("id", "position", "title")


def _twice(story_id: int):
    return Story.objects.filter(pk=story_id).exclude(pk=story_id).values_list("id")


def test_each_calls_ids_give_the_rows_the_queryset_gives(author):
    stories = [make_story(author=author, chapters=count) for count in (1, 3, 2)]
    built.clear()

    for story in stories:
        expected = list(Chapter.objects.filter(story=story).order_by("position").values_list("id", "position", "title"))
        assert prepared.prepared_rows(Chapter, _chapters_of, story.pk) == (("id", "position", "title"), expected)
    assert prepared.prepared_rows(Chapter, _chapters_of, 2**62)[1] == []
    assert len(built) <= 1  # compiled once (or before this test), never again


def test_a_queryset_whose_id_is_not_one_parameter_is_refused():
    with pytest.raises(ValueError, match="_twice: id 0 is not one parameter"):
        prepared.prepared_rows(Story, _twice, 1)
