"""Backdating: an author sets a work's publication date ("Set a different publication date"), never in
the future; the work's "Published:" and the lists follow it."""

import datetime

import pytest
from django.utils import timezone

from archive.publishing.services import add_chapter, update_story
from archive.publishing.tests.test_story_form import field_errors, post_accepted, post_rejected
from archive.stories.tests.factories import edit_form_data, make_story

pytestmark = pytest.mark.django_db

PUBLISHED = '<dt class="published">Published:</dt><dd class="published">{}</dd>'


def test_a_new_work_posted_with_a_past_date_is_published_then(author_client, client):
    story = post_accepted(author_client, backdate="2019-03-14")

    assert story.backdate == datetime.date(2019, 3, 14)
    assert timezone.localtime(story.published_at).date() == datetime.date(2019, 3, 14)
    assert story.updated_at == story.published_at
    assert PUBLISHED.format("2019-03-14") in client.get(story.get_absolute_url()).content.decode()


def test_a_backdated_work_lists_below_works_updated_since(author, client):
    newer = make_story(author=author, title="Posted Today")
    client.get("/")
    client.get("/")  # kept in the shared cache
    older = make_story(author=author, title="From Long Ago", backdate=datetime.date(2015, 6, 1))

    page = client.get("/").content.decode()
    assert page.index(newer.title) < page.index(older.title)
    assert "2015" in page


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (lambda: timezone.localdate() + datetime.timedelta(days=1), "A publication date can't be in the future."),
        (lambda: "1899-12-31", "Enter a date from 1900-01-01 on."),
        (lambda: "14/03/2019 or so", "Enter a date as YYYY-MM-DD."),
    ],
)
def test_a_future_or_malformed_date_is_refused_next_to_the_field(author_client, day, message):
    page = post_rejected(author_client, backdate=str(day()), title="Not Yet")

    assert field_errors(page, "backdate") == [message]
    assert "Not Yet" in page  # everything typed is still there


def test_editing_a_posted_work_backdates_it_and_readers_see_it_at_once(author, author_client, client):
    story = make_story(author=author, title="Moved In Time")
    today = timezone.localdate().strftime("%Y-%m-%d")
    assert PUBLISHED.format(today) in client.get(story.get_absolute_url()).content.decode()
    client.get(story.get_absolute_url())  # from the shared cache

    response = author_client.post(f"/works/{story.pk}/edit", edit_form_data(story, backdate="2020-01-02"))

    assert response.status_code == 302
    assert PUBLISHED.format("2020-01-02") in client.get(story.get_absolute_url()).content.decode()

    author_client.post(f"/works/{story.pk}/edit", edit_form_data(story, backdate=""))  # cleared: the posting day again
    assert PUBLISHED.format(today) in client.get(story.get_absolute_url()).content.decode()


def test_a_backdated_work_with_later_chapters_keeps_its_last_update(author):
    story = make_story(author=author, chapters=1)
    add_chapter(story=story, fields={"body": "<p>Two.</p>"}, post=True)
    story.refresh_from_db()
    updated = story.updated_at

    update_story(story=story, fields={"backdate": datetime.date(2018, 1, 1)}, tags_by_kind={"fandom": ["X"]})
    story.refresh_from_db()
    assert timezone.localtime(story.published_at).date() == datetime.date(2018, 1, 1)
    assert story.updated_at == updated


def test_a_draft_keeps_its_date_until_it_is_posted(author, author_client):
    draft = post_accepted(author_client, backdate="2021-07-07", action="draft")
    assert draft.is_draft and draft.backdate == datetime.date(2021, 7, 7)
    assert 'value="2021-07-07"' in author_client.get(f"/works/{draft.pk}/edit").content.decode()

    author_client.post(f"/works/{draft.pk}/post")

    draft.refresh_from_db()
    assert timezone.localtime(draft.published_at).date() == datetime.date(2021, 7, 7)


def test_the_chapter_index_dates_a_backdated_works_first_chapter_to_its_publication_date(author, client):
    story = make_story(author=author, title="From Long Ago", chapters=2, backdate=datetime.date(2015, 6, 1))
    today = timezone.localdate().strftime("%Y-%m-%d")

    index = client.get(f"/works/{story.pk}/navigate").content.decode()

    assert '<span class="datetime">(2015-06-01)</span>' in index
    assert index.count(f'<span class="datetime">({today})</span>') == 1, "the later chapter keeps its own day"
    assert index.index("2015-06-01") < index.index(today)


def test_changing_the_publication_date_redates_the_first_chapter_in_the_index(author, author_client, client):
    story = make_story(author=author, title="Moved In Time")
    client.get(f"/works/{story.pk}/navigate")  # kept in the shared cache

    author_client.post(f"/works/{story.pk}/edit", edit_form_data(story, backdate="2020-01-02"))

    assert '<span class="datetime">(2020-01-02)</span>' in client.get(f"/works/{story.pk}/navigate").content.decode()
