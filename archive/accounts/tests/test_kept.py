"""The logged-in reader's account kept in the cache (archive/accounts/kept.py): their pages ask the
database nothing for it, and every change of it, of their inbox or of their bookmark box shows on
their next page."""

import pytest
import redis
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive.accounts.models import User
from archive.accounts.tests.factories import PASSWORD, UserFactory, logged_in
from archive.bookmarks.services import add_to_list, create_bookmark, create_list, delete_bookmark, remove_from_list
from archive.kudos.services import leave_kudos
from archive.notifications.models import Kind, Notification
from archive.notifications.services import subscribe, unsubscribe
from archive.stories.tests.factories import make_story

pytestmark = pytest.mark.django_db

UNREAD_ONE = '<span class="unread-count">1<'


def _account_queries(client, path: str = "/") -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        content = client.get(path).content.decode()
    return content, [query["sql"] for query in captured.captured_queries if User._meta.db_table in query["sql"]]


def test_a_readers_next_pages_ask_nothing_of_their_account_and_the_cache_holds_no_password(reader):
    client = logged_in(reader)
    client.get("/")

    content, asked = _account_queries(client)
    assert f"Log out {reader.username}" in content
    assert asked == []
    assert cache.get(f"account-row:{reader.pk}") is not None
    assert reader.password.encode() not in b"".join(cache._cache.values())  # the local-memory cache's pickles


def test_a_password_changed_elsewhere_logs_the_other_session_out_at_once(reader):
    phone, laptop = logged_in(reader), logged_in(reader)
    phone.get("/")
    assert f"Log out {reader.username}" in phone.get("/").content.decode()

    new = "A new long passphrase 42"
    response = laptop.post(
        f"/users/{reader.username}/change_password",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302

    assert f"Log out {reader.username}" not in phone.get("/").content.decode()
    assert f"Log out {reader.username}" in laptop.get("/").content.decode()  # the changer's own session stays


def test_a_deactivated_account_is_logged_out_at_once(reader):
    client = logged_in(reader)
    client.get("/")
    assert f"Log out {reader.username}" in client.get("/").content.decode()

    account = User.objects.get(pk=reader.pk)
    account.is_active = False
    account.save()

    assert f"Log out {reader.username}" not in client.get("/").content.decode()


def test_a_kept_reader_who_saves_their_account_keeps_their_password(reader):
    client = logged_in(reader)
    client.get("/")
    client.get("/")  # the account comes from the cache, without its password

    client.post("/history/switch", {})  # saves the account: the history turned off

    account = User.objects.get(pk=reader.pk)
    assert not account.keeps_history
    assert account.check_password(PASSWORD)
    assert logged_in(reader).login(username=reader.username, password=PASSWORD)


def test_the_header_counts_a_kudos_digest_at_once(author, reader):
    story = make_story(author=author)
    client = logged_in(author)
    client.get("/")
    assert 'class="unread-count"' not in client.get("/").content.decode()

    leave_kudos(story=story, user=reader, ip="")

    assert Notification.objects.filter(recipient=author, kind=Kind.KUDOS_ON_YOUR_WORK).exists()
    assert UNREAD_ONE in client.get("/").content.decode()


def test_the_bookmark_box_asks_nothing_on_a_repeat_view_and_follows_the_readers_changes(
    reader, django_assert_num_queries
):
    story = make_story(author=UserFactory(username="writer"))
    client = logged_in(reader)
    work = story.get_absolute_url()
    client.get(work)
    with django_assert_num_queries(0):  # the readers' copy, the account and the box from the cache
        content = client.get(work).content.decode()
    assert "Bookmark this work" in content

    bookmark = create_bookmark(user=reader, story=story, note="Lovely.")
    assert "Change your bookmark" in client.get(work).content.decode()

    favourites = create_list(user=reader, name="Favourites")
    assert ">Favourites</option>" in client.get(work).content.decode()
    add_to_list(reading_list=favourites, story=story)
    assert "In your lists:" in client.get(work).content.decode()
    remove_from_list(reading_list=favourites, story=story)
    assert "In your lists:" not in client.get(work).content.decode()

    subscribe(user=reader, story=story)
    assert ">Unsubscribe<" in client.get(work).content.decode()
    unsubscribe(user=reader, story=story)
    assert ">Unsubscribe<" not in client.get(work).content.decode()

    delete_bookmark(bookmark=bookmark)
    assert "Bookmark this work" in client.get(work).content.decode()


def test_an_authors_page_asks_nothing_on_a_repeat_view_and_follows_a_subscription(reader, django_assert_num_queries):
    writer = UserFactory(username="writer")
    make_story(author=writer)
    client = logged_in(reader)
    page = writer.get_absolute_url()
    client.get(page)
    with django_assert_num_queries(0):  # the readers' copy, the account and the button's state from the cache
        assert ">Subscribe<" in client.get(page).content.decode()

    subscribe(user=reader, author=writer)
    assert ">Unsubscribe<" in client.get(page).content.decode()
    unsubscribe(user=reader, author=writer)
    assert ">Subscribe<" in client.get(page).content.decode()


def test_an_account_is_read_from_the_database_while_the_cache_is_down(reader, settings):
    from django.core.cache import caches

    from archive.accounts.backends import ArchiveModelBackend

    settings.CACHES = {"default": {"BACKEND": "archive.caching.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
    with pytest.raises(redis.exceptions.ConnectionError):
        caches["default"].get("anything")  # nothing answers there
    loaded = ArchiveModelBackend().get_user(reader.pk)

    assert loaded == reader
    assert loaded.check_password(PASSWORD)
