"""Each work's search document has one owner (archive/discovery/search_index.py)."""

import pytest

from archive.stories.models import Story
from archive.stories.tests.factories import make_story

pytestmark = pytest.mark.django_db


@pytest.mark.postgres_only(reason="switches PostgreSQL's plans with SET enable_*scan")
def test_a_works_search_document_is_the_same_whatever_plan_reads_its_tags():
    from django.db import connection

    from archive.discovery.search_index import refresh_search_index
    from archive.tags.models import Tag

    Tag.objects.create(name="Zed", kind=Tag.Kind.CHARACTER)  # the older tag, linked last
    story = make_story(characters=["Amy", "Zed"], freeforms=["Fluff"])
    documents = set()
    for plan in ("enable_seqscan", "enable_indexscan", "enable_bitmapscan"):
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL {plan} = off")
            refresh_search_index([story.pk])
            cursor.execute(f"RESET {plan}")
        documents.add(Story.objects.values_list("search_vector", flat=True).get(pk=story.pk))
    refresh_search_index(None)
    documents.add(Story.objects.values_list("search_vector", flat=True).get(pk=story.pk))
    assert len(documents) == 1
