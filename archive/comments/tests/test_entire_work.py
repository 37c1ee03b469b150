"""Comments on the entire-work page: as on the Archive of Our Own, every chapter's threads, each
saying which chapter it is on, and a form that comments on the last chapter."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive.accounts.tests.factories import UserFactory
from archive.comments.models import Comment
from archive.comments.services import post_comment
from archive.comments.tests.test_views import comment_html, comment_section, comment_tree, reply_url
from archive.comments.threads import PER_PAGE
from archive.publishing.services import add_chapter
from archive.stories.models import Story
from archive.stories.tests.factories import make_story

pytestmark = pytest.mark.django_db

DRAFT_CHAPTER = {"title": "", "notes": "", "end_notes": "", "body": "<p>Not yet.</p>"}


@pytest.fixture
def story(author) -> Story:
    return make_story(author=author, title="Three Seasons", chapters=3)


def entire(story: Story) -> str:
    return f"/works/{story.pk}?view_full_work=true"


def chapter(story: Story, position: int):
    return story.chapters.get(position=position)


def test_the_entire_work_shows_every_chapters_comments_saying_which_chapter_each_is_on(reader_client, story):
    first = post_comment(chapter=chapter(story, 1), user=UserFactory(), body="Spring was lovely.")
    reply = post_comment(chapter=chapter(story, 1), user=UserFactory(), body="Agreed.", parent=first)
    third = post_comment(chapter=chapter(story, 3), user=UserFactory(), body="Autumn hurt.")

    response = reader_client.get(entire(story))

    section = comment_section(response)
    assert "Comments on this work (3)" in section
    assert comment_tree(response) == {first.pk: None, reply.pk: first.pk, third.pk: None}
    assert f'on <a href="{chapter(story, 1).get_absolute_url()}">Chapter 1</a>' in comment_html(response, first)
    assert f'on <a href="{chapter(story, 3).get_absolute_url()}">Chapter 3: Part 3</a>' in comment_html(response, third)
    assert "on <a" not in comment_html(response, reply)  # its thread already says
    # Replying answers the comment on its own chapter, and comes back here.
    assert f'href="{reply_url(first)}?whole_work=true"' in comment_html(response, first)


def test_its_form_comments_on_the_last_posted_chapter(author, reader_client, author_client, story):
    add_chapter(story=story, fields=DRAFT_CHAPTER, post=False)
    last = chapter(story, 3)

    for client in (reader_client, author_client):
        section = comment_section(client.get(entire(story)))
        assert f'action="/works/{story.pk}/chapters/{last.pk}/comments"' in section
        assert '<input type="hidden" name="whole_work" value="true">' in section


def test_a_comment_posted_there_lands_on_the_last_chapter_and_back_on_the_entire_work(reader_client, story):
    last = chapter(story, 3)

    response = reader_client.post(f"/works/{story.pk}/chapters/{last.pk}/comments", {"body": "All of it!"})
    with_whole_work = reader_client.post(
        f"/works/{story.pk}/chapters/{last.pk}/comments", {"body": "Again!", "whole_work": "true"}
    )

    first, second = Comment.objects.order_by("id")
    assert (first.chapter, second.chapter) == (last, last)
    assert response["Location"] == f"{last.get_absolute_url()}#comment-{first.pk}"
    assert with_whole_work["Location"] == f"{entire(story)}#comment-{second.pk}"
    page = reader_client.get(with_whole_work["Location"])
    assert "Your comment was posted." in page.content.decode()
    assert "Again!" in comment_html(page, second)


def test_a_reply_posted_from_there_lands_on_the_entire_work_page_that_shows_it(reader_client, story):
    someone = UserFactory()
    roots = [post_comment(chapter=chapter(story, 1 + n % 3), user=someone, body=f"T{n}") for n in range(PER_PAGE + 1)]

    form = reader_client.get(f"{reply_url(roots[-1])}?whole_work=true").content.decode()
    assert '<input type="hidden" name="whole_work" value="true">' in form
    assert f'<a href="{entire(story)}#comments">Cancel</a>' in form

    response = reader_client.post(reply_url(roots[-1]), {"body": "Me too", "whole_work": "true"})

    reply = Comment.objects.get(body="Me too")
    assert response["Location"] == f"{entire(story)}&page=2#comment-{reply.pk}"
    assert reply.pk in comment_tree(reader_client.get(response["Location"]))


def test_posting_in_the_background_answers_with_the_entire_works_section(reader_client, story):
    post_comment(chapter=chapter(story, 1), user=UserFactory(), body="From the first chapter.")
    last = chapter(story, 3)

    response = reader_client.post(
        f"/works/{story.pk}/chapters/{last.pk}/comments",
        {"body": "From the end.", "whole_work": "true"},
        headers={"X-Requested-With": "fetch"},
    )

    section = response.content.decode()
    assert response.status_code == 200
    assert section.startswith('<section id="comments"')
    assert "Comments on this work (2)" in section
    assert "From the first chapter." in section and "From the end." in section
    assert 'name="whole_work" value="true"' in section


def test_a_refused_comment_posted_in_the_background_keeps_the_entire_works_section(reader_client, story):
    last = chapter(story, 3)

    response = reader_client.post(
        f"/works/{story.pk}/chapters/{last.pk}/comments",
        {"body": " ", "whole_work": "true"},
        headers={"X-Requested-With": "fetch"},
    )

    assert response.status_code == 400
    assert "Comments on this work (0)" in response.content.decode()


def _queries(client, url: str) -> int:
    client.get(url)  # warm per-process caches, and a reader's first visit records their place
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("viewer", ["client", "reader_client", "author_client"])
def test_the_entire_work_costs_the_same_queries_however_many_chapters_and_comments(request, author, viewer):
    client = request.getfixturevalue(viewer)
    small = make_story(author=author, title="Small", chapters=1)
    post_comment(chapter=small.chapters.get(), user=UserFactory(), body="One")
    few = _queries(client, entire(small))

    big = make_story(author=author, title="Big", chapters=12)
    users = [UserFactory() for _ in range(5)]
    for position, big_chapter in enumerate(big.chapters.order_by("position")):
        roots = Comment.objects.bulk_create(
            [Comment(chapter=big_chapter, story=big, user=users[n % 5], body=f"Root {n}") for n in range(25)]
        )
        for root in roots[: position + 1]:
            post_comment(chapter=big_chapter, user=users[position % 5], body="Reply", parent=root)

    assert _queries(client, entire(big)) <= few
    assert _queries(client, entire(big) + "&page=3") <= few
