"""Commenting on a chapter, replying in threads, and reading the comments under it."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.html import Element, parse_html
from django.test.utils import CaptureQueriesContext
from django.utils import dateformat, timezone

from archive.accounts.tests.factories import UserFactory
from archive.chapters.models import Chapter
from archive.comments.models import Comment
from archive.comments.services import post_comment
from archive.publishing.services import add_chapter
from archive.stories.models import Story
from archive.stories.tests.factories import make_story

pytestmark = pytest.mark.django_db

DRAFT_CHAPTER = {"title": "", "notes": "", "end_notes": "", "body": "<p>Not yet.</p>"}


@pytest.fixture
def story(author) -> Story:
    return make_story(author=author, title="The Pomegranate Seeds", chapters=2)


@pytest.fixture
def chapter(story) -> Chapter:
    return story.chapters.get(position=1)


def comments_url(chapter: Chapter) -> str:
    return f"/works/{chapter.story_id}/chapters/{chapter.pk}/comments"


def reply_url(comment: Comment) -> str:
    return f"/works/{comment.story_id}/chapters/{comment.chapter_id}/comments/{comment.pk}/reply"


def comment_section(response) -> str:
    content = response.content.decode()
    start = content.index('<section id="comments"')
    return content[start : content.index("</section>", start) + len("</section>")]


def comment_html(response, comment: Comment) -> str:
    """One comment's own byline and body, without its replies."""
    section = comment_section(response)
    start = section.index(f'id="comment-{comment.pk}"')
    return section[start : section.index("</article>", start)]


def _comment_parents(element, parent_id, parents: dict) -> None:
    for child in element.children:
        if not isinstance(child, Element):
            continue
        attributes = dict(child.attributes)
        own_id = parent_id
        if child.name == "li" and "comment" in (attributes.get("class") or "").split():
            own_id = int(attributes["id"].removeprefix("comment-"))
            parents[own_id] = parent_id
        _comment_parents(child, own_id, parents)


def comment_tree(response) -> dict[int, int | None]:
    """Each comment on the page, by id, and the comment it is nested under in the HTML."""
    parents: dict[int, int | None] = {}
    _comment_parents(parse_html(comment_section(response)), None, parents)
    return parents


def test_a_logged_in_reader_posts_a_comment_that_shows_under_the_chapter_with_their_name_and_date(
    reader_client, story, chapter
):
    response = reader_client.post(comments_url(chapter), {"body": "What a chapter!"})

    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/works/{story.pk}/chapters/{chapter.pk}#comment-{comment.pk}"
    assert (comment.user.username, comment.chapter, comment.story, comment.parent) == ("reader", chapter, story, None)

    page = reader_client.get(response["Location"])
    assert "Your comment was posted." in page.content.decode()
    section = comment_section(page)
    assert "Comments on this chapter (1)" in section
    html = comment_html(page, comment)
    assert '<a href="/users/reader/works">reader</a>' in html
    stamp = dateformat.format(timezone.localtime(comment.created_at), "j M Y, H:i")
    assert f">{stamp}</time>" in html
    assert "<p>What a chapter!</p>" in html


def test_a_comment_shows_only_under_the_chapter_it_was_left_on(reader_client, story, chapter):
    reader_client.post(comments_url(chapter), {"body": "About chapter one."})

    other = story.chapters.get(position=2)
    page = reader_client.get(other.get_absolute_url())

    assert "About chapter one." not in page.content.decode()
    assert "No comments yet." in comment_section(page)


def test_comments_are_shown_oldest_first(reader_client, author, chapter):
    first = post_comment(chapter=chapter, user=UserFactory(), body="First!")
    second = post_comment(chapter=chapter, user=UserFactory(), body="Second.")
    third = post_comment(chapter=chapter, user=UserFactory(), body="Third.")

    page = reader_client.get(chapter.get_absolute_url())

    assert list(comment_tree(page)) == [first.pk, second.pk, third.pk]


def test_a_comment_keeps_its_line_breaks_as_paragraphs(reader_client, chapter):
    reader_client.post(comments_url(chapter), {"body": "Line one.\n\nLine two."})

    page = reader_client.get(chapter.get_absolute_url())

    assert "<p>Line one.</p>\n\n<p>Line two.</p>" in comment_section(page)


def test_replying_shows_the_comment_being_answered_and_nests_the_reply_under_it(
    reader_client, author_client, story, chapter
):
    parent = post_comment(chapter=chapter, user=UserFactory(username="fan"), body="Is Hades lonely?")
    other = post_comment(chapter=chapter, user=UserFactory(), body="Another thread.")

    form = reader_client.get(reply_url(parent))
    assert form.status_code == 200
    content = form.content.decode()
    assert "Reply to fan" in content
    assert "Is Hades lonely?" in content

    response = reader_client.post(reply_url(parent), {"body": "Very."})
    reply = Comment.objects.get(body="Very.")
    assert reply.parent == parent
    assert response["Location"] == f"{chapter.get_absolute_url()}#comment-{reply.pk}"

    author_client.post(reply_url(reply), {"body": "Thanks for reading!"})
    answer = Comment.objects.get(body="Thanks for reading!")

    page = reader_client.get(chapter.get_absolute_url())
    assert comment_tree(page) == {parent.pk: None, reply.pk: parent.pk, answer.pk: reply.pk, other.pk: None}
    assert "Comments on this chapter (4)" in comment_section(page)


def test_a_reply_is_only_possible_to_a_comment_on_the_same_chapter(reader_client, story, chapter):
    elsewhere = post_comment(chapter=story.chapters.get(position=2), user=UserFactory(), body="Chapter two.")

    url = f"/works/{story.pk}/chapters/{chapter.pk}/comments/{elsewhere.pk}/reply"

    assert reader_client.get(url).status_code == 404
    assert reader_client.post(url, {"body": "Sneaky."}).status_code == 404
    assert not Comment.objects.filter(body="Sneaky.").exists()


def test_posting_comments_and_replies_moves_the_storys_comment_count(client, reader_client, story, chapter):
    reader_client.post(comments_url(chapter), {"body": "One."})
    story.refresh_from_db()
    assert story.comment_count == 1

    reader_client.post(reply_url(Comment.objects.get()), {"body": "Two."})
    reader_client.post(comments_url(story.chapters.get(position=2)), {"body": "Three."})
    story.refresh_from_db()
    assert story.comment_count == 3

    assert '<dd class="comments">3</dd>' in client.get("/").content.decode()
    assert '<dd class="comments">3</dd>' in client.get(chapter.get_absolute_url()).content.decode()


@pytest.mark.parametrize("body", ["", "   ", "\n\n\t"])
def test_an_empty_comment_shows_an_error_and_saves_nothing(reader_client, story, chapter, body):
    response = reader_client.post(comments_url(chapter), {"body": body})

    assert response.status_code == 400
    assert "Write something before posting your comment." in response.content.decode()
    assert not Comment.objects.exists()
    story.refresh_from_db()
    assert story.comment_count == 0


def test_an_empty_reply_shows_an_error_and_saves_nothing(reader_client, chapter):
    parent = post_comment(chapter=chapter, user=UserFactory(), body="Hello.")

    response = reader_client.post(reply_url(parent), {"body": " "})

    assert response.status_code == 400
    assert "Write something before posting your comment." in response.content.decode()
    assert list(Comment.objects.all()) == [parent]


def test_comment_text_is_escaped_so_markup_shows_as_text(client, reader_client, chapter):
    reader_client.post(comments_url(chapter), {"body": "<script>alert('hi')</script> <b>bold</b>"})
    parent = Comment.objects.get()

    page = client.get(chapter.get_absolute_url())
    section = comment_section(page)
    assert "<script>alert" not in section
    assert "&lt;script&gt;alert(&#x27;hi&#x27;)&lt;/script&gt; &lt;b&gt;bold&lt;/b&gt;" in section

    reply_form = reader_client.get(reply_url(parent)).content.decode()
    assert "<script>alert" not in reply_form
    assert "&lt;script&gt;" in reply_form


def test_anonymous_readers_see_comments_and_a_link_to_log_in_instead_of_the_form(client, chapter):
    post_comment(chapter=chapter, user=UserFactory(username="fan"), body="Visible to all.")

    section = comment_section(client.get(chapter.get_absolute_url()))

    assert "Visible to all." in section
    assert "to leave a comment" in section
    assert f'href="/users/login?next={chapter.get_absolute_url()}"' in section
    assert "<form" not in section
    assert "Reply</a>" not in section


def test_anonymous_readers_are_asked_to_log_in_where_only_registered_users_may_comment(client, chapter):
    parent = post_comment(chapter=chapter, user=UserFactory(), body="Hello.")
    data = {"body": "Anonymous.", "guest_name": "Anon", "guest_email": "anon@example.com"}

    for url in (comments_url(chapter), reply_url(parent)):
        for response in (client.get(url), client.post(url, data)):
            assert response.status_code == 403
            assert "Only registered users can comment on this work." in response.content.decode()
            assert f'href="/users/login?next={url}"' in response.content.decode()
    assert list(Comment.objects.all()) == [parent]


def test_comments_on_a_draft_chapter_are_a_404_for_readers_and_its_author(reader_client, author_client, story):
    draft = add_chapter(story=story, fields=DRAFT_CHAPTER, post=False)

    for viewer in (reader_client, author_client):
        assert viewer.get(comments_url(draft)).status_code == 404
        assert viewer.post(comments_url(draft), {"body": "Early!"}).status_code == 404
    assert not Comment.objects.exists()


def test_the_author_reading_a_draft_chapter_sees_no_comment_form(author_client, story):
    draft = add_chapter(story=story, fields=DRAFT_CHAPTER, post=False)

    section = comment_section(author_client.get(draft.get_absolute_url()))

    assert "<form" not in section


def test_comments_on_a_draft_story_are_a_404_for_anyone_but_its_author(reader_client, author):
    draft = make_story(author=author, post=False).chapters.get()

    assert reader_client.get(comments_url(draft)).status_code == 404
    response = reader_client.post(comments_url(draft), {"body": "Found it!"})

    assert response.status_code == 404
    assert "We couldn't find that page" in response.content.decode()
    assert not Comment.objects.exists()


def test_comments_on_an_unknown_chapter_or_a_chapter_of_another_story_are_a_404(reader_client, story, chapter):
    other = make_story(title="Another Work").chapters.get()

    assert reader_client.post(f"/works/{story.pk}/chapters/999999/comments", {"body": "?"}).status_code == 404
    assert reader_client.post(f"/works/{story.pk}/chapters/{other.pk}/comments", {"body": "?"}).status_code == 404
    assert not Comment.objects.exists()


def test_comments_by_the_storys_authors_are_marked_author(reader_client, author, story, chapter):
    co_author = UserFactory(username="cowriter")
    story.authors.add(co_author)
    by_reader = post_comment(chapter=chapter, user=UserFactory(username="fan"), body="Loved it.")
    by_author = post_comment(chapter=chapter, user=author, body="Thank you!", parent=by_reader)
    by_co_author = post_comment(chapter=chapter, user=co_author, body="Me too!", parent=by_reader)

    page = reader_client.get(chapter.get_absolute_url())

    badge = '<span class="badge author">Author</span>'
    assert badge not in comment_html(page, by_reader)
    assert badge in comment_html(page, by_author)
    assert badge in comment_html(page, by_co_author)


def test_an_author_of_another_work_is_not_marked_author_here(reader_client, chapter):
    someone = UserFactory(username="elsewhere")
    make_story(author=someone, title="Their Own Work")
    comment = post_comment(chapter=chapter, user=someone, body="Nice.")

    page = reader_client.get(chapter.get_absolute_url())

    assert "badge author" not in comment_html(page, comment)


def _comment_count_queries(client, url: str) -> int:
    client.get(url)  # warm any per-process caches so they don't count against the small case
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.usefixtures("page_cache_off")  # measures rendering, not the shared page cache
@pytest.mark.parametrize("viewer", ["client", "reader_client", "author_client"])
def test_a_chapter_page_uses_the_same_number_of_queries_with_twenty_comments_as_with_one(
    request, author, chapter, django_assert_max_num_queries, viewer
):
    client = request.getfixturevalue(viewer)
    url = chapter.get_absolute_url()
    first = post_comment(chapter=chapter, user=UserFactory(), body="The first.")
    with_one = _comment_count_queries(client, url)

    commenters = [UserFactory(), UserFactory(), UserFactory(), author]
    parents = [first]
    for number in range(19):
        parent = parents[number // 3] if number % 2 else None
        comment = post_comment(chapter=chapter, user=commenters[number % 4], body=f"Comment {number}", parent=parent)
        parents.append(comment)

    with django_assert_max_num_queries(with_one):
        response = client.get(url)
    tree = comment_tree(response)
    assert len(tree) == 20
    assert any(parent is not None for parent in tree.values())
    assert len(re.findall('<span class="badge author">Author</span>', comment_section(response))) == 4


def test_posting_a_comment_on_a_chapter_just_read_asks_a_fixed_number_of_queries(
    chapter, reader_client, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    reader_client.get(chapter.get_absolute_url())  # the work is kept for its pages and the form

    # The reader; the work locked with its authors, the block check, the comment, the recount;
    # the page the comment is on; then the job telling the authors: the comment, the authors,
    # the chapter's number, their accounts, their notification, their e-mail queued and sent.
    # Nothing of the chapter's text.
    with django_assert_max_num_queries(21) as captured:
        with django_capture_on_commit_callbacks(execute=True):
            response = reader_client.post(comments_url(chapter), {"body": "A fine first chapter."})

    assert response.status_code == 302
    assert not any('"chapters_chapter"."body"' in query["sql"] for query in captured.captured_queries)
    assert "A fine first chapter." in reader_client.get(response["Location"]).content.decode()


def test_a_kept_chapter_without_comments_asks_nothing_of_comments_and_shows_the_first_at_once(
    story, client, reader_client, django_assert_max_num_queries
):
    first, second = story.chapters.order_by("position")
    client.get(first.get_absolute_url())  # the work is kept: it knows which chapters have comments
    reader_client.get(first.get_absolute_url())

    for visitor in (client, reader_client):
        with django_assert_max_num_queries(20) as captured:
            page = visitor.get(second.get_absolute_url()).content.decode()
        assert "Comments on this chapter (0)" in page
        assert not any(
            'FROM "comments_comment"' in query["sql"] and "COUNT(" in query["sql"]
            for query in captured.captured_queries
        )

    post_comment(chapter=second, user=UserFactory(), body="The first word on it.")

    for visitor in (client, reader_client, Client()):
        page = visitor.get(second.get_absolute_url()).content.decode()
        assert "The first word on it." in page and "Comments on this chapter (1)" in page


def test_a_held_comment_on_a_kept_chapter_without_comments_shows_to_its_writer_alone(author, reader, reader_client):
    story = make_story(author=author, moderate_comments=True, chapters=2)
    first, second = story.chapters.order_by("position")
    bystander = Client()
    bystander.force_login(UserFactory())
    bystander.get(first.get_absolute_url())
    bystander.get(second.get_absolute_url())  # the readers' copy of a chapter without comments

    post_comment(chapter=second, user=reader, body="Held for the author.")

    assert "Held for the author." in reader_client.get(second.get_absolute_url()).content.decode()
    assert "Held for the author." not in bystander.get(second.get_absolute_url()).content.decode()
    assert "Held for the author." not in Client().get(second.get_absolute_url()).content.decode()
