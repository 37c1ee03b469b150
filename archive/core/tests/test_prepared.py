"""Querysets whose SQL is made once (archive/core/prepared.py): each call's ids give the rows the
queryset itself gives, the SQL is compiled once, and a queryset whose id is not one parameter of
its SQL is refused when it is first compiled."""

import pytest
from django.db.models.functions import Upper

from archive.chapters.models import Chapter
from archive.core import prepared
from archive.stories.models import Story
from archive.stories.tests.factories import make_story

pytestmark = pytest.mark.django_db

built = []


def _chapters_of(story_id: int):
    built.append(story_id)
    return Chapter.objects.filter(story_id=story_id).order_by("position").values_list("id", "position", "title")


def _inlined(story_id: int):
    return Story.objects.filter(pk=story_id).order_by("id").values_list("id")[:story_id]  # LIMIT is written in


def _in_a_subquery(story_id: int):
    first = Chapter.objects.filter(story_id=story_id).order_by("position").values("pk")[:1]
    return Chapter.objects.filter(story_id=story_id).exclude(pk__in=first).order_by("position").values_list("id")


def test_each_calls_ids_give_the_rows_the_queryset_gives(author):
    stories = [make_story(author=author, chapters=count) for count in (1, 3, 2)]
    built.clear()

    for story in stories:
        expected = list(Chapter.objects.filter(story=story).order_by("position").values_list("id", "position", "title"))
        assert prepared.prepared_rows(Chapter, _chapters_of, story.pk) == (("id", "position", "title"), expected)
    assert prepared.prepared_rows(Chapter, _chapters_of, 2**62)[1] == []
    assert len(built) <= 1  # compiled once (or before this test), never again


def test_an_id_used_twice_goes_everywhere_it_is_used(author):
    story, other = make_story(author=author, chapters=3), make_story(author=author, chapters=2)

    for work in (story, other):
        later = list(Chapter.objects.filter(story=work).order_by("position").values_list("id")[1:])
        assert prepared.prepared_rows(Chapter, _in_a_subquery, work.pk)[1] == later


def test_a_queryset_whose_id_is_not_a_parameter_is_refused():
    with pytest.raises(ValueError, match="_inlined: id 0 is not a parameter"):
        prepared.prepared_rows(Story, _inlined, 1)


def _shouted(story_id: int):
    return Story.objects.filter(pk=story_id), {"title": Upper("title")}


def test_an_update_changes_the_rows_of_each_calls_ids_and_no_others(author):
    quiet, other = make_story(author=author, title="Quiet"), make_story(author=author, title="Other")

    assert prepared.prepared_update(Story, _shouted, quiet.pk) == 1
    assert prepared.prepared_update(Story, _shouted, 2**62) == 0

    assert Story.objects.get(pk=quiet.pk).title == "QUIET"
    assert Story.objects.get(pk=other.pk).title == "Other"
