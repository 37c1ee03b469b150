"""Long threads: nesting to depth five, then "in reply to"; fifty threads a page; flat queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive.accounts.tests.factories import UserFactory
from archive.comments.models import MAX_INDENT, Comment
from archive.comments.services import delete_comment, post_comment
from archive.comments.tests.test_views import comment_html, comment_section, comment_tree
from archive.comments.threads import PER_PAGE

pytestmark = pytest.mark.django_db


@pytest.fixture
def chapter(author):
    from archive.stories.tests.factories import make_story

    return make_story(author=author, title="Long Threads").chapters.get()


def _chain(chapter, length: int) -> list[Comment]:
    """A thread where each comment answers the one before."""
    comments, parent = [], None
    for number in range(length):
        parent = post_comment(
            chapter=chapter, user=UserFactory(username=f"fan{number}"), body=f"Level {number}", parent=parent
        )
        comments.append(parent)
    return comments


def test_replies_nest_five_deep_then_line_up_saying_whom_they_answer(client, chapter):
    chain = _chain(chapter, 9)

    response = client.get(chapter.get_absolute_url())
    tree = comment_tree(response)

    for level in range(1, MAX_INDENT + 1):
        assert tree[chain[level].pk] == chain[level - 1].pk  # nested under the comment it answers
    for level in range(MAX_INDENT + 1, 9):
        assert tree[chain[level].pk] == chain[MAX_INDENT - 1].pk  # lined up beside depth five
        assert f'in reply to <a href="#comment-{chain[level - 1].pk}">fan{level - 1}</a>' in comment_html(
            response, chain[level]
        )
    assert "in reply to" not in comment_html(response, chain[MAX_INDENT])
    # Reading order is kept: each deeper reply follows the one it answers.
    section = comment_section(response)
    positions = [section.index(f'id="comment-{comment.pk}"') for comment in chain]
    assert positions == sorted(positions)


def test_threads_page_fifty_at_a_time_with_their_replies_and_a_link_to_the_next_page(client, chapter):
    someone = UserFactory()
    roots = [post_comment(chapter=chapter, user=someone, body=f"Thread {n}") for n in range(PER_PAGE + 3)]
    reply = post_comment(chapter=chapter, user=someone, body="A reply on page two", parent=roots[-1])

    first = client.get(chapter.get_absolute_url())
    tree = comment_tree(first)
    assert roots[0].pk in tree and roots[PER_PAGE - 1].pk in tree
    assert roots[PER_PAGE].pk not in tree and reply.pk not in tree
    assert "Comments on this chapter (54)" in comment_section(first)
    assert "?page=2#comments" in comment_section(first)

    second = client.get(chapter.get_absolute_url() + "?page=2")
    assert set(comment_tree(second)) == {roots[PER_PAGE].pk, roots[PER_PAGE + 1].pk, roots[PER_PAGE + 2].pk, reply.pk}


def test_a_reply_lands_its_writer_on_the_page_that_shows_it(reader_client, chapter):
    someone = UserFactory()
    roots = [post_comment(chapter=chapter, user=someone, body=f"Thread {n}") for n in range(PER_PAGE + 1)]

    response = reader_client.post(
        f"/works/{chapter.story_id}/chapters/{chapter.pk}/comments/{roots[-1].pk}/reply", {"body": "Me too"}
    )

    reply = Comment.objects.get(body="Me too")
    assert response["Location"] == f"{chapter.get_absolute_url()}?page=2#comment-{reply.pk}"


def _queries(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("viewer", ["client", "reader_client", "author_client"])
def test_a_chapter_with_two_thousand_comments_renders_in_the_same_queries_as_one_with_two(
    request, author, chapter, viewer
):
    client = request.getfixturevalue(viewer)
    url = chapter.get_absolute_url()
    users = [UserFactory() for _ in range(5)]
    post_comment(chapter=chapter, user=users[0], body="One")
    post_comment(chapter=chapter, user=users[1], body="Two", parent=Comment.objects.get())
    few = _queries(client, url)

    # Bulk, shaped like real threads: 400 top-level comments, each with a chain of four replies.
    story_id, rows = chapter.story_id, []
    roots = Comment.objects.bulk_create(
        [Comment(chapter=chapter, story_id=story_id, user=users[n % 5], body=f"Root {n}") for n in range(400)]
    )
    for root in roots:
        parent = root
        for depth in range(1, 5):
            parent = Comment(
                chapter=chapter,
                story_id=story_id,
                user=users[depth],
                body="Reply",
                parent=parent,
                thread=root,
                depth=depth,
            )
            parent.save()
            rows.append(parent)
    assert Comment.objects.filter(chapter=chapter).count() == 2002

    assert _queries(client, url) <= few
    assert _queries(client, url + "?page=5") <= few


def test_a_deleted_comment_with_replies_stays_as_a_placeholder_and_one_without_goes(client, chapter):
    parent = post_comment(chapter=chapter, user=UserFactory(), body="Going soon")
    reply = post_comment(chapter=chapter, user=UserFactory(), body="Still here", parent=parent)
    lonely = post_comment(chapter=chapter, user=UserFactory(), body="Nobody answered")

    delete_comment(comment=parent)
    delete_comment(comment=lonely)

    response = client.get(chapter.get_absolute_url())
    assert "(Previous comment deleted.)" in comment_html(response, parent)
    assert "Going soon" not in comment_section(response)
    assert comment_tree(response)[reply.pk] == parent.pk
    assert not Comment.objects.filter(pk=lonely.pk).exists()
    assert "Comments on this chapter (1)" in comment_section(response)

    delete_comment(comment=reply)  # the placeholder now holds nothing, so it goes too
    assert not Comment.objects.filter(chapter=chapter).exists()
    chapter.story.refresh_from_db()
    assert chapter.story.comment_count == 0


def test_comment_text_keeps_paragraphs_and_makes_links_clickable_but_never_markup(client, chapter):
    post_comment(
        chapter=chapter,
        user=UserFactory(),
        body='See https://example.org/fic?a=1&b=2 now.\n\n<a href="javascript:alert(1)">x</a> "quotes"',
    )

    section = comment_section(client.get(chapter.get_absolute_url()))

    assert (
        '<a href="https://example.org/fic?a=1&amp;b=2" rel="nofollow">https://example.org/fic?a=1&amp;b=2</a>'
        in section
    )
    assert "<p>See " in section and "</p>\n\n<p>" in section
    assert "&lt;a href=&quot;javascript:alert(1)&quot;&gt;x&lt;/a&gt;" in section
    assert 'href="javascript' not in section


def test_the_first_page_for_readers_who_see_approved_comments_alone_is_the_page_the_rule_gives(chapter, monkeypatch):
    """Guests and most readers get the first page from queries made once (threads.py); it holds
    exactly what the general path (`visible_comments`) gives them: nesting, deleted placeholders,
    guests' and readers' comments, and no held comment."""
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    from archive.comments import threads
    from archive.stories.choices import CommentPermission

    story = chapter.story
    story.comment_permission = CommentPermission.EVERYONE
    story.save(update_fields=["comment_permission"])
    chain = _chain(chapter, 7)

    post_comment(
        chapter=chapter, user=AnonymousUser(), body="A guest's", guest_name="Passer-by", guest_email="p@example.org"
    )
    delete_comment(comment=chain[2])
    story.moderate_comments = True
    story.save(update_fields=["moderate_comments"])
    post_comment(chapter=chapter, user=UserFactory(username="held"), body="Awaiting approval")
    request = RequestFactory().get("/")
    request.user, request.session = AnonymousUser(), {}

    def page_shape() -> tuple:
        def walk(thread):
            comment = thread.comment
            writer = comment.user.username if comment.user_id else comment.guest_name
            answers = thread.in_reply_to.pk if thread.in_reply_to else None
            return comment.pk, writer, comment.deleted_at is not None, answers, [walk(r) for r in thread.replies]

        loaded = threads.load_page(request, story=story, chapters=[chapter], number=1)
        return loaded.total, loaded.page.paginator.count, [walk(thread) for thread in loaded.threads]

    with CaptureQueriesContext(connection) as fast:
        quick = page_shape()
    monkeypatch.setattr(threads, "_sees_approved_alone", lambda request, story: False)

    assert quick == page_shape()
    assert quick[0] == 8 - 1 and quick[1] == 2  # the deleted one is not counted; a chain and the guest's
    assert "held" not in repr(quick)
    assert len(fast) == 2
