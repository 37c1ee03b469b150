"""Who may comment, edit and delete; guests; moderation; frozen threads; blocked commenters."""

import re

import pytest
from django.test import Client

from archive.accounts.tests.factories import UserFactory
from archive.comments.models import Comment, CommentBlock
from archive.comments.services import post_comment
from archive.comments.tests.test_views import comment_html, comment_section
from archive.stories.choices import CommentPermission
from archive.stories.models import Story
from archive.stories.tests.factories import make_story

pytestmark = pytest.mark.django_db

GUEST = {"guest_name": "Wandering Reader", "guest_email": "wanderer@example.com", "body": "Lovely, from a guest."}


@pytest.fixture
def story(author) -> Story:
    return make_story(author=author, title="Open House", comment_permission=CommentPermission.EVERYONE)


@pytest.fixture
def chapter(story):
    return story.chapters.get()


def url(chapter) -> str:
    return f"/works/{chapter.story_id}/chapters/{chapter.pk}/comments"


def count(story: Story) -> int:
    story.refresh_from_db()
    return story.comment_count


# Who may comment


def test_a_guest_comments_with_a_name_shown_and_an_email_never_shown(client, reader_client, author_client, chapter):
    response = client.post(url(chapter), GUEST)

    comment = Comment.objects.get()
    assert response.status_code == 302
    assert (comment.user, comment.guest_name, comment.guest_email) == (None, "Wandering Reader", "wanderer@example.com")
    for viewer in (client, reader_client, author_client):
        page = viewer.get(chapter.get_absolute_url()).content.decode()
        assert "Wandering Reader" in page and "Lovely, from a guest." in page
        assert "wanderer@example.com" not in page
    assert count(chapter.story) == 1


def test_a_guest_may_leave_the_email_out(client, chapter):
    response = client.post(url(chapter), {**GUEST, "guest_email": ""})

    comment = Comment.objects.get()
    assert response.status_code == 302
    assert (comment.guest_name, comment.guest_email) == ("Wandering Reader", "")


def test_the_guest_form_says_the_email_is_optional_and_what_it_is_for(client, chapter):
    page = client.get(chapter.get_absolute_url()).content.decode()

    assert '<label for="id_guest_email">Email (optional, never shown)</label>' in page
    assert "No mail is sent to it" in page
    email_input = re.search(r'<input[^>]* name="guest_email"[^>]*>', page).group()
    assert "required" not in email_input


def test_a_guest_must_give_a_name_and_any_email_must_be_valid(client, chapter):
    response = client.post(url(chapter), {**GUEST, "guest_name": " ", "guest_email": "not-an-address"})

    page = response.content.decode()
    assert response.status_code == 400
    assert "Tell us a name to show." in page and "Enter a valid e-mail address." in page
    assert "Lovely, from a guest." in page  # what they wrote comes back
    assert not Comment.objects.exists()


def test_a_guest_who_fills_the_hidden_honeypot_field_posts_nothing(client, chapter):
    response = client.post(url(chapter), {**GUEST, "website": "http://spam.example"})

    assert response.status_code == 400
    assert "looks like spam" in response.content.decode()
    assert not Comment.objects.exists()


def test_the_honeypot_is_hidden_from_people_and_screen_readers(client, chapter):
    section = comment_section(client.get(chapter.get_absolute_url()))
    assert '<div class="honeypot" aria-hidden="true">' in section
    assert 'name="website"' in section and 'tabindex="-1"' in section


def test_registered_only_works_refuse_guests_but_take_readers(client, reader_client, author, chapter):
    Story.objects.filter(pk=chapter.story_id).update(comment_permission=CommentPermission.REGISTERED)

    assert client.post(url(chapter), GUEST).status_code == 403
    assert reader_client.post(url(chapter), {"body": "Registered."}).status_code == 302
    assert list(Comment.objects.values_list("body", flat=True)) == ["Registered."]


def test_with_comments_off_nobody_can_comment_and_the_page_says_so(reader_client, author_client, chapter):
    post_comment(chapter=chapter, user=UserFactory(), body="From before.")
    Story.objects.filter(pk=chapter.story_id).update(comment_permission=CommentPermission.OFF)

    for viewer in (reader_client, author_client):
        assert viewer.post(url(chapter), {"body": "Hello?"}).status_code == 403
    section = comment_section(reader_client.get(chapter.get_absolute_url()))
    assert "Comments are turned off on this work." in section
    assert "From before." in section
    assert 'class="comment-form"' not in section
    assert Comment.objects.count() == 1


def test_an_author_sets_who_may_comment_and_moderation_on_the_work_form(author_client, story):
    from archive.stories.tests.factories import work_form_data

    data = work_form_data(title="Open House", comment_permission="off", moderate_comments="on")
    assert author_client.post(f"/works/{story.pk}/edit", data).status_code == 302
    story.refresh_from_db()
    assert (story.comment_permission, story.moderate_comments) == ("off", True)


# Editing and deleting


def test_a_reader_edits_their_own_comment_and_it_shows_edited(reader, reader_client, chapter):
    comment = post_comment(chapter=chapter, user=reader, body="Frist!")

    page = reader_client.get(f"/comments/{comment.pk}/edit").content.decode()
    assert "Frist!" in page
    response = reader_client.post(f"/comments/{comment.pk}/edit", {"body": "First!"})

    assert response.status_code == 302
    html = comment_html(reader_client.get(chapter.get_absolute_url()), comment)
    assert "First!" in html and "(edited)" in html


def test_nobody_edits_someone_elses_comment_not_even_the_works_author(client, reader, author_client, chapter):
    comment = post_comment(chapter=chapter, user=reader, body="Mine.")
    stranger = Client()
    stranger.force_login(UserFactory())

    for viewer in (stranger, author_client):
        assert viewer.get(f"/comments/{comment.pk}/edit").status_code == 404
        assert viewer.post(f"/comments/{comment.pk}/edit", {"body": "Yours now."}).status_code == 404
    # Logged out: not saved, the text given back to log in and paste again (test_give_back.py).
    assert client.post(f"/comments/{comment.pk}/edit", {"body": "Guest."}).status_code == 403
    comment.refresh_from_db()
    assert (comment.body, comment.edited_at) == ("Mine.", None)


def test_a_reader_deletes_their_own_comment_and_the_count_follows(reader, reader_client, chapter):
    comment = post_comment(chapter=chapter, user=reader, body="Oops.")

    assert "Oops." in reader_client.get(f"/comments/{comment.pk}/delete").content.decode()
    response = reader_client.post(f"/comments/{comment.pk}/delete")

    assert response.status_code == 302
    assert not Comment.objects.exists()
    assert count(chapter.story) == 0


def test_a_works_author_deletes_any_comment_on_it_and_other_readers_none(reader, author_client, chapter):
    comment = post_comment(chapter=chapter, user=reader, body="Rude.")
    stranger = Client()
    stranger.force_login(UserFactory())

    assert stranger.post(f"/comments/{comment.pk}/delete").status_code == 404
    assert Comment.objects.filter(pk=comment.pk).exists()
    assert author_client.post(f"/comments/{comment.pk}/delete").status_code == 302
    assert not Comment.objects.filter(pk=comment.pk).exists()


def test_the_author_of_another_work_cannot_delete_comments_here(reader, chapter):
    comment = post_comment(chapter=chapter, user=reader, body="Stays.")
    other_author = UserFactory()
    make_story(author=other_author, title="Elsewhere")
    other = Client()
    other.force_login(other_author)

    assert other.post(f"/comments/{comment.pk}/delete").status_code == 404
    assert Comment.objects.filter(pk=comment.pk).exists()


# Moderation


@pytest.fixture
def moderated(chapter):
    Story.objects.filter(pk=chapter.story_id).update(moderate_comments=True)
    return chapter


def test_on_a_moderated_work_a_comment_waits_seen_only_by_its_writer_and_the_authors(
    client, reader, reader_client, author_client, moderated
):
    response = reader_client.post(url(moderated), {"body": "Held for now."}, follow=True)

    comment = Comment.objects.get()
    assert not comment.approved
    assert "once the creator approves it" in response.content.decode()
    assert "Held for now." in comment_html(reader_client.get(moderated.get_absolute_url()), comment)
    assert "Awaiting approval" in comment_html(author_client.get(moderated.get_absolute_url()), comment)
    stranger = Client()
    stranger.force_login(UserFactory())
    for viewer in (client, stranger):
        assert "Held for now." not in viewer.get(moderated.get_absolute_url()).content.decode()
    assert count(moderated.story) == 0


def test_a_guest_sees_their_own_held_comment_and_no_other_guest_does(client, moderated):
    client.post(url(moderated), {**GUEST, "body": "Guest, held."})

    assert "Guest, held." in client.get(moderated.get_absolute_url()).content.decode()
    assert "Guest, held." not in Client().get(moderated.get_absolute_url()).content.decode()


def test_the_author_approves_a_held_comment_and_everyone_sees_it(client, reader, author_client, moderated):
    comment = post_comment(chapter=moderated, user=reader, body="Please approve.")

    unreviewed = author_client.get(f"/works/{moderated.story_id}/comments/unreviewed").content.decode()
    assert "Please approve." in unreviewed
    assert author_client.post(f"/comments/{comment.pk}/approve").status_code == 302

    assert "Please approve." in client.get(moderated.get_absolute_url()).content.decode()
    assert count(moderated.story) == 1
    assert (
        "Please approve." not in author_client.get(f"/works/{moderated.story_id}/comments/unreviewed").content.decode()
    )


def test_only_the_works_authors_approve_comments(reader, reader_client, moderated):
    comment = post_comment(chapter=moderated, user=UserFactory(), body="Held.")

    assert reader_client.post(f"/comments/{comment.pk}/approve").status_code == 404
    assert reader_client.get(f"/works/{moderated.story_id}/comments/unreviewed").status_code == 404
    comment.refresh_from_db()
    assert not comment.approved


def test_the_authors_own_comments_skip_moderation(author, moderated):
    assert post_comment(chapter=moderated, user=author, body="Thanks all!").approved


# Frozen threads and blocks


def test_an_author_freezes_a_thread_and_it_takes_no_new_replies_until_thawed(reader_client, author_client, chapter):
    root = post_comment(chapter=chapter, user=UserFactory(), body="Heated.")
    reply = post_comment(chapter=chapter, user=UserFactory(), body="Hotter.", parent=root)

    assert author_client.post(f"/comments/{root.pk}/freeze", {"frozen": "1"}).status_code == 302
    for target in (root, reply):
        response = reader_client.post(f"{url(chapter)}/{target.pk}/reply", {"body": "More!"})
        assert response.status_code == 403
        assert "This thread is frozen" in response.content.decode()
    assert "Reply</a>" not in comment_html(reader_client.get(chapter.get_absolute_url()), reply)
    assert reader_client.post(f"/comments/{root.pk}/freeze", {"frozen": "0"}).status_code == 404

    author_client.post(f"/comments/{root.pk}/freeze", {"frozen": "0"})
    assert reader_client.post(f"{url(chapter)}/{reply.pk}/reply", {"body": "Calmer."}).status_code == 302


def test_an_author_blocks_a_commenter_from_all_their_works(reader, reader_client, author, author_client, chapter):
    comment = post_comment(chapter=chapter, user=reader, body="Troll.")
    other_work = make_story(author=author, title="Another").chapters.get()

    assert author_client.post(f"/comments/{comment.pk}/block").status_code == 302
    assert CommentBlock.objects.filter(blocker=author, blocked=reader).exists()
    for target in (chapter, other_work):
        response = reader_client.post(url(target), {"body": "Again."})
        assert response.status_code == 403
        assert "blocked you from commenting" in response.content.decode()
    assert (
        reader_client.post(url(make_story(title="Someone else's").chapters.get()), {"body": "Fine here."}).status_code
        == 302
    )

    blocked_page = author_client.get("/comments/blocked").content.decode()
    assert reader.username in blocked_page
    author_client.post("/comments/blocked", {"unblock": reader.pk})
    assert reader_client.post(url(chapter), {"body": "Sorry."}).status_code == 302


def test_only_a_works_author_can_block_its_commenters(reader, reader_client, chapter):
    comment = post_comment(chapter=chapter, user=UserFactory(), body="Hi.")

    assert reader_client.post(f"/comments/{comment.pk}/block").status_code == 404
    assert not CommentBlock.objects.exists()


# Without leaving the page


def test_a_comment_posted_in_the_background_returns_the_section_with_it(reader_client, chapter):
    response = reader_client.post(url(chapter), {"body": "No reload!"}, headers={"X-Requested-With": "fetch"})

    page = response.content.decode()
    assert response.status_code == 200
    assert page.startswith('<section id="comments"')
    assert "No reload!" in page and "Comments on this chapter (1)" in page
    # The work's count, read after the comment, agrees (and the page's stats take it from here).
    assert "1 comment on the whole work" in page
    assert 'data-stat="comments" data-stat-value="1"' in page


def test_a_rejected_background_comment_returns_the_section_with_the_error_and_the_text(reader_client, chapter):
    response = reader_client.post(url(chapter), {"body": " "}, headers={"X-Requested-With": "fetch"})

    assert response.status_code == 400
    assert "Write something before posting your comment." in response.content.decode()
    assert not Comment.objects.exists()


def test_the_dashboard_lists_works_with_comments_awaiting_approval_and_links_blocked_commenters(
    author_client, reader, moderated
):
    post_comment(chapter=moderated, user=reader, body="Held one.")
    post_comment(chapter=moderated, user=UserFactory(), body="Held two.")

    page = author_client.get("/dashboard").content.decode()

    assert f'href="/works/{moderated.story_id}/comments/unreviewed">Open House</a>: 2 comments' in page
    assert 'href="/comments/blocked"' in page


# Notifications


def test_a_comment_notifies_the_works_author_and_a_reply_the_comments_writer(
    author, reader, chapter, django_capture_on_commit_callbacks
):
    from archive.notifications.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        parent = post_comment(chapter=chapter, user=reader, body="Hello author.")
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(chapter=chapter, user=author, body="Hello reader.", parent=parent)

    assert Notification.objects.filter(recipient=author).count() == 1
    assert Notification.objects.filter(recipient=reader).count() == 1


def test_a_held_comment_notifies_nobody_until_it_is_approved(
    author, reader, moderated, django_capture_on_commit_callbacks
):
    from archive.comments.services import approve_comment
    from archive.notifications.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        comment = post_comment(chapter=moderated, user=reader, body="Wait for it.")
    assert not Notification.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        approve_comment(comment=comment)
    assert Notification.objects.filter(recipient=author).count() == 1


def test_a_refused_comment_gives_its_writer_their_text_back(client, chapter):
    Story.objects.filter(pk=chapter.story_id).update(comment_permission=CommentPermission.REGISTERED)
    data = {"body": "My long & careful <comment>", "guest_name": "Me", "guest_email": "me@example.com"}

    for headers in ({}, {"X-Requested-With": "fetch"}):
        response = client.post(url(chapter), data, headers=headers)
        assert response.status_code == 403
        assert "My long &amp; careful &lt;comment&gt;</textarea>" in response.content.decode()
    assert not Comment.objects.exists()


def test_a_reader_posting_comments_too_fast_is_asked_to_slow_down_and_keeps_their_text(
    reader_client, chapter, settings
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "comment": "3/m"}
    for number in range(3):
        assert reader_client.post(url(chapter), {"body": f"Comment {number}"}).status_code == 302

    response = reader_client.post(url(chapter), {"body": "One too many, but every word kept."})

    assert response.status_code == 429
    assert "One too many, but every word kept." in response.content.decode()
    assert Comment.objects.count() == 3


@pytest.mark.parametrize("value", ["abc", "-1", str(2**63), "1.5", "\x00", "", " "])
def test_unblocking_with_an_id_that_is_no_number_changes_nothing_and_says_so(author, author_client, reader, value):
    CommentBlock.objects.create(blocker=author, blocked=reader)

    response = author_client.post("/comments/blocked", {"unblock": value}, follow=True)

    assert response.status_code == 200
    assert "That is no one you have blocked." in response.content.decode()
    assert CommentBlock.objects.filter(blocked=reader).exists()
