"""Comment bylines and text are kept as fragments (archive/comments/fragments.py): whatever changes
about a comment shows at once to logged-in readers too, whose pages are kept with each reader's own parts left open."""

from types import SimpleNamespace

import pytest
from django.contrib import admin

from archive.accounts.admin import ArchiveUserAdmin
from archive.accounts.models import User
from archive.accounts.tests.factories import UserFactory
from archive.comments.services import approve_comment, delete_comment, edit_comment, post_comment, set_frozen
from archive.stories.tests.factories import make_story

pytestmark = pytest.mark.django_db


def page(client, chapter) -> str:
    return client.get(chapter.get_absolute_url()).content.decode()


def test_an_edited_deleted_or_frozen_comment_shows_at_once_to_a_logged_in_reader(reader_client, author):
    chapter = make_story(author=author).chapters.get()
    fan = UserFactory(username="fan")
    comment = post_comment(chapter=chapter, user=fan, body="See https://example.org first.")
    post_comment(chapter=chapter, user=author, body="Thanks!", parent=comment)
    assert 'href="https://example.org"' in page(reader_client, chapter)

    edit_comment(comment=comment, body="Second thoughts.")
    assert "Second thoughts." in page(reader_client, chapter)
    assert "(edited)" in page(reader_client, chapter)

    set_frozen(comment=comment, frozen=True)
    assert "badge frozen" in page(reader_client, chapter)

    delete_comment(comment=comment)
    html = page(reader_client, chapter)
    assert "Second thoughts." not in html
    assert "(Previous comment deleted.)" in html


def test_a_held_comment_loses_its_badge_once_approved(author_client, author):
    chapter = make_story(author=author, moderate_comments=True).chapters.get()
    comment = post_comment(chapter=chapter, user=UserFactory(), body="Waiting.")
    assert "Awaiting approval" in page(author_client, chapter)

    approve_comment(comment=comment)

    assert "Awaiting approval" not in page(author_client, chapter)


def test_a_renamed_commenter_shows_under_their_new_name(reader_client, author):
    chapter = make_story(author=author).chapters.get()
    fan = UserFactory(username="oldname")
    post_comment(chapter=chapter, user=fan, body="Hello.")
    assert "oldname" in page(reader_client, chapter)

    fan.username = "newname"  # renamed by staff in the admin, the only way a name changes
    ArchiveUserAdmin(User, admin.site).save_model(None, fan, SimpleNamespace(changed_data=["username"]), True)

    html = page(reader_client, chapter)
    assert "newname" in html and "oldname" not in html


def test_each_reader_still_gets_their_own_controls(reader_client, reader, author):
    chapter = make_story(author=author).chapters.get()
    mine = post_comment(chapter=chapter, user=reader, body="Mine.")
    theirs = post_comment(chapter=chapter, user=UserFactory(), body="Theirs.")
    other = UserFactory()
    from django.test import Client

    other_client = Client()
    other_client.force_login(other)

    assert f"/comments/{mine.pk}/edit" in page(reader_client, chapter)
    assert f"/comments/{theirs.pk}/edit" not in page(reader_client, chapter)
    assert f"/comments/{mine.pk}/edit" not in page(other_client, chapter)
