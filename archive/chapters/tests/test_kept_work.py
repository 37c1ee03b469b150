"""A work kept for its reading pages (archive/chapters/reading.py): its later pages read the work,
its authors and its index from the cache, and every change to them shows on the next page, to
guests and to logged-in readers alike; an author's own view is never the one kept."""

import pytest
from django.core.cache import cache
from django.test import Client

from archive.accounts.tests.factories import UserFactory, logged_in
from archive.chapters.reading import _key
from archive.cocreators.services import accept_invitation, invite_cocreator
from archive.hits.services import flush_hits
from archive.publishing.services import add_chapter, delete_story, update_story
from archive.stories.models import Story
from archive.stories.tests.factories import make_story
from archive.tags.models import Tag

pytestmark = pytest.mark.django_db

CHAPTER = {"title": "", "notes": "", "end_notes": "", "body": "<p>Words.</p>"}


@pytest.fixture(autouse=True)
def _no_kept_pages(settings):
    """Pages are not kept, so every request renders its page from the kept work."""
    settings.PAGE_CACHE = False


@pytest.fixture
def story(author) -> Story:
    story = make_story(author=author, title="The Lighthouse", characters=["Keeper"], chapters=1)
    add_chapter(story=story, fields={**CHAPTER, "title": "The Lamp"}, post=True)
    add_chapter(story=story, fields={**CHAPTER, "title": "The Storm"}, post=True)
    return story


def chapter_url(story: Story, position: int) -> str:
    return story.chapters.get(position=position).get_absolute_url()


def _tags(story: Story) -> dict:
    return {kind: [tag.name for tag in story.tags.filter(kind=kind)] for kind, _ in Tag.Kind.choices}


def test_a_works_other_chapters_ask_nothing_of_the_work_itself(story, client, django_assert_max_num_queries):
    first, second = chapter_url(story, 1), chapter_url(story, 2)
    client.get(first)

    with django_assert_max_num_queries(4) as captured:  # the chapter, tags, series, comment counts
        page = client.get(second).content.decode()

    assert "The Lamp" in page and "The Storm" in page  # the index, from the kept work
    asked = [query["sql"] for query in captured.captured_queries]
    assert not any('FROM "stories_story"' in sql for sql in asked)
    assert not any("ORDER BY" in sql for sql in asked if "chapters_chapter" in sql)  # no index


def test_a_new_chapter_shows_in_the_index_of_a_kept_work(story, client):
    client.get(chapter_url(story, 1))

    add_chapter(story=story, fields={**CHAPTER, "title": "The Dawn"}, post=True)

    page = client.get(chapter_url(story, 3)).content.decode()
    assert "The Dawn" in page
    assert 'rel="next"' in page
    assert "The Dawn" in client.get(f"/works/{story.pk}/navigate").content.decode()


def test_a_work_made_restricted_is_gone_for_guests_but_kept_for_readers(story, client, reader):
    client.get(chapter_url(story, 1))
    reader_client = logged_in(reader)
    reader_client.get(chapter_url(story, 1))

    update_story(story=story, fields={"restricted": True}, tags_by_kind=_tags(story))

    assert client.get(chapter_url(story, 2)).status_code in (302, 404)
    assert client.get(story.get_absolute_url()).status_code in (302, 404)
    assert reader_client.get(chapter_url(story, 2)).status_code == 200


def test_a_restricted_work_kept_for_readers_is_never_a_guests(author, client, reader):
    story = make_story(author=author, title="Members Only", restricted=True, chapters=1)
    add_chapter(story=story, fields=CHAPTER, post=True)
    assert logged_in(reader).get(chapter_url(story, 1)).status_code == 200

    assert client.get(chapter_url(story, 2)).status_code in (302, 404)


def test_a_deleted_work_is_gone_from_its_other_chapters(story, client):
    urls = [chapter_url(story, 1), chapter_url(story, 2)]
    client.get(urls[0])

    delete_story(story=story)

    assert client.get(urls[1]).status_code == 404


def test_an_author_sees_their_draft_chapter_after_readers_kept_the_work(story, author, reader):
    reader_client = logged_in(reader)
    reader_client.get(chapter_url(story, 1))
    Client().get(chapter_url(story, 1))
    draft = add_chapter(story=story, fields={**CHAPTER, "title": "Not Yet"}, post=False)
    reader_client.get(chapter_url(story, 2))

    author_page = logged_in(author).get(chapter_url(story, 3)).content.decode()

    assert "Not Yet" in author_page
    assert "Not Yet" not in reader_client.get(chapter_url(story, 2)).content.decode()
    assert reader_client.get(draft.get_absolute_url()).status_code == 404


def test_a_new_coauthor_gets_their_own_view_at_once(story, author, reader):
    reader_client = logged_in(reader)
    reader_client.get(chapter_url(story, 1))
    add_chapter(story=story, fields={**CHAPTER, "title": "Not Yet"}, post=False)
    reader_client.get(chapter_url(story, 1))

    invite_cocreator(story=story, inviter=author, username=reader.username)
    accept_invitation(story=story, user=reader)

    assert "Not Yet" in reader_client.get(chapter_url(story, 1)).content.decode()


def test_a_kept_work_shows_the_latest_flushed_hits(story, settings):
    settings.HITS_FLUSH_IN_PROCESS = False
    Client(REMOTE_ADDR="203.0.113.1").get(chapter_url(story, 1))  # kept with 0 hits
    Client(REMOTE_ADDR="203.0.113.2").get(chapter_url(story, 1))
    flush_hits()

    page = Client(REMOTE_ADDR="203.0.113.1").get(chapter_url(story, 2)).content.decode()

    assert '<dd class="hits">2</dd>' in page


def test_a_kept_work_holds_only_its_authors_names(story, client):
    client.get(chapter_url(story, 1))

    _, kept, _ = cache.get(_key(story.pk, "guest"))
    (author,) = kept.authors.all()
    assert author.username == "author"
    assert "password" not in author.__dict__ and "email" not in author.__dict__


def test_a_new_coauthor_shows_in_the_byline_at_once(story, client, author):
    client.get(chapter_url(story, 1))
    second = UserFactory(username="second_keeper")

    invite_cocreator(story=story, inviter=author, username=second.username)
    accept_invitation(story=story, user=second)

    assert "second_keeper" in client.get(chapter_url(story, 2)).content.decode()
