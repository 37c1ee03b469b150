"""Delete account at /users/<name>/delete: a confirmation page that asks what becomes of the
account's works (orphaned to `orphan_account`, or deleted); comments stay as "(deleted account)";
kudos, bookmarks, lists, subscriptions, history and inbox go; every count is recounted, every
kept page that showed any of it is rebuilt, all in one transaction (archive/publishing/account_deletion.py)."""

import pytest
from django.test import Client

from archive.accounts.models import User
from archive.accounts.tests.factories import PASSWORD, UserFactory, logged_in
from archive.bookmarks.models import Bookmark, ReadingList
from archive.bookmarks.services import add_to_list, create_bookmark, create_list
from archive.comments.models import Comment
from archive.comments.services import post_comment
from archive.history.models import Reading
from archive.kudos.models import Kudos
from archive.kudos.services import leave_kudos
from archive.notifications.models import Kind, Notification, Subscription
from archive.notifications.services import subscribe
from archive.publishing import account_deletion
from archive.publishing.account_deletion import Works, delete_account
from archive.stories.integrity import stale_values
from archive.stories.models import Story
from archive.stories.tests.factories import make_story
from archive.tags.models import Tag

pytestmark = pytest.mark.django_db

URL = "/users/ann/delete"


@pytest.fixture
def ann(db):
    return UserFactory(username="ann")


@pytest.fixture
def bea(db):
    return UserFactory(username="bea")


def text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def world(ann, bea):
    """Ann's own work, a draft, a work she shares with Bea, and her traces on Bea's work."""
    own = make_story(author=ann, title="Ann Alone", characters=["Hecate"])
    draft = make_story(author=ann, title="Ann's Draft", post=False)
    shared = make_story(author=bea, title="Both of Us")
    shared.authors.add(ann)
    beas = make_story(author=bea, title="Bea's Work", characters=["Hecate"])
    chapter = beas.chapters.get()
    comment = post_comment(chapter=chapter, user=ann, body="Ann loved this.")
    reply = post_comment(chapter=chapter, user=bea, body="Thank you, Ann!", parent=comment)
    leave_kudos(story=beas, user=ann, ip="")
    leave_kudos(story=beas, user=UserFactory(username="cat"), ip="")
    create_bookmark(user=ann, story=beas, note="Ann's note.")
    create_bookmark(user=ann, story=shared, private=True)
    add_to_list(reading_list=create_list(user=ann, name="Summer"), story=beas)
    subscribe(user=ann, story=beas)
    subscribe(user=bea, author=ann)
    Reading.objects.create(user=ann, story=beas, chapter_number=1, last_read_at=beas.updated_at)
    Notification.objects.create(recipient=ann, kind=Kind.NEW_STORY_BY_AUTHOR, story=beas, text="New", url="/")
    # Bea's kudos and bookmark on Ann's own work: they go if the work does.
    leave_kudos(story=own, user=bea, ip="")
    create_bookmark(user=bea, story=own)
    for story in (own, shared, beas):
        story.refresh_from_db()
    return {"own": own, "draft": draft, "shared": shared, "beas": beas, "comment": comment, "reply": reply}


def delete(client, works: str | None = "orphan", password: str = PASSWORD):
    data = {"password": password} | ({"works": works} if works else {})
    return client.post(URL, data)


def test_the_page_says_what_will_happen_and_asks_about_the_works(ann, world):
    page = text(logged_in(ann).get(URL))

    assert "your 1 posted work is orphaned or deleted" in page
    assert "the 1 work you share with other authors stays theirs" in page
    assert "your 1 draft is deleted" in page
    assert "your 1 comment stays, signed “(deleted account)”" in page
    assert "your 1 kudos and 2 bookmarks are removed" in page
    assert 'value="orphan"' in page and 'value="delete"' in page and 'name="password"' in page


def test_without_works_of_their_own_there_is_nothing_to_choose(ann):
    page = text(logged_in(ann).get(URL))
    assert 'name="works"' not in page

    response = delete(logged_in(ann), works=None)

    assert response.status_code == 302
    assert not User.objects.filter(username="ann").exists()


def test_orphaning_keeps_the_works_under_orphan_account_and_logs_out(ann, world, client):
    own_url = world["own"].get_absolute_url()
    assert "ann" in text(client.get(own_url))  # kept for logged-out readers
    session = logged_in(ann)

    response = session.post(URL, {"works": "orphan", "password": PASSWORD}, follow=True)

    assert response.redirect_chain == [("/", 302)]
    assert "The account ann is deleted." in response.content.decode()
    assert "Log out ann" not in response.content.decode()
    assert not User.objects.filter(username="ann").exists()
    own = Story.objects.get(pk=world["own"].pk)
    assert [author.username for author in own.authors.all()] == ["orphan_account"]
    page = text(client.get(own_url))
    assert "/users/orphan_account/works" in page and "/users/ann/" not in page
    shared = Story.objects.get(pk=world["shared"].pk)
    assert [author.username for author in shared.authors.all()] == ["bea"]
    assert not Story.objects.filter(pk=world["draft"].pk).exists()
    assert "Ann Alone" in text(client.get("/users/orphan_account/works"))
    assert client.get("/users/ann/works").status_code == 404
    assert not Client().login(username="ann", password=PASSWORD)
    assert not User.objects.get(username="orphan_account").has_usable_password()
    assert stale_values() == []


def test_deleting_the_works_deletes_only_those_that_were_hers_alone(ann, world, client):
    hecate = Tag.objects.get(name="Hecate")
    assert hecate.use_count == 2

    assert delete(logged_in(ann), works="delete").status_code == 302

    assert not Story.objects.filter(pk__in=[world["own"].pk, world["draft"].pk]).exists()
    assert client.get(world["own"].get_absolute_url()).status_code == 404
    assert Story.objects.filter(pk=world["shared"].pk).exists()
    assert Tag.objects.get(pk=hecate.pk).use_count == 1
    assert "Ann Alone" not in text(client.get("/tags/Hecate/works"))
    assert stale_values() == []


@pytest.mark.parametrize("works", ["orphan", "delete"])
def test_every_count_they_fed_goes_down_and_comments_stay(ann, bea, world, client, works):
    beas, shared = world["beas"], world["shared"]
    chapter_url = beas.chapters.get().get_absolute_url()
    assert "Ann loved this." in text(client.get(chapter_url))  # kept for logged-out readers
    assert (beas.kudos_count, beas.bookmark_count, beas.comment_count) == (2, 1, 2)
    assert '<dd class="kudos">2</dd>' in text(client.get(beas.get_absolute_url()))

    delete(logged_in(ann), works=works)

    beas.refresh_from_db()
    assert (beas.kudos_count, beas.bookmark_count, beas.comment_count) == (1, 0, 2)
    assert Story.objects.get(pk=shared.pk).bookmark_count == 0
    assert '<dd class="kudos">1</dd>' in text(client.get(beas.get_absolute_url()))
    comment = Comment.objects.get(pk=world["comment"].pk)
    assert (comment.user_id, comment.author_name, comment.body) == (None, "(deleted account)", "Ann loved this.")
    page = text(client.get(chapter_url))
    assert "(deleted account)" in page and "Ann loved this." in page and "Thank you, Ann!" in page
    # And for a logged-in reader's kept copy too.
    assert "(deleted account)" in text(logged_in(bea).get(chapter_url))
    assert stale_values() == []


def test_her_kudos_bookmarks_lists_subscriptions_history_and_inbox_go(ann, bea, world):
    ann_id = ann.pk

    delete(logged_in(ann))

    assert not Kudos.objects.filter(user_id=ann_id).exists()
    assert not Bookmark.objects.filter(user_id=ann_id).exists()
    assert not ReadingList.objects.filter(user_id=ann_id).exists()
    assert not Subscription.objects.filter(user_id=ann_id).exists()
    assert not Subscription.objects.filter(author_id=ann_id).exists()  # Bea's subscription to her
    assert not Reading.objects.filter(user_id=ann_id).exists()
    assert not Notification.objects.filter(recipient_id=ann_id).exists()
    assert Kudos.objects.filter(story=world["beas"]).count() == 1  # cat's stays


def test_a_wrong_password_deletes_nothing_and_says_so_next_to_it(ann, world):
    response = delete(logged_in(ann), password="not-it")

    assert response.status_code == 200
    assert "id_password_error" in response.content.decode()
    assert "That isn&#x27;t your password." in response.content.decode()
    assert User.objects.filter(username="ann").exists()


def test_a_choice_is_needed_when_there_are_works(ann, world):
    response = delete(logged_in(ann), works=None)

    assert response.status_code == 200
    assert "works" in response.context["form"].errors
    assert User.objects.filter(username="ann").exists()


def test_it_is_one_transaction(ann, world, monkeypatch):
    def broken(story_ids):
        raise RuntimeError("the search index is down")

    monkeypatch.setattr(account_deletion, "refresh_search_index", broken)
    before = (Story.objects.count(), Comment.objects.filter(user=ann).count(), Kudos.objects.count())

    with pytest.raises(RuntimeError):
        delete_account(user=ann, works=Works.DELETE)

    assert User.objects.filter(pk=ann.pk).exists()
    assert (Story.objects.count(), Comment.objects.filter(user=ann).count(), Kudos.objects.count()) == before
    assert Story.objects.get(pk=world["beas"].pk).kudos_count == 2


def test_nobody_else_reaches_the_page(ann, bea, world):
    assert logged_in(bea).get(URL).status_code == 404
    assert delete(logged_in(bea), works="delete").status_code == 404
    assert Client().get(URL).status_code == 302
    assert User.objects.filter(username="ann").exists()


def test_nobody_can_sign_up_as_orphan_account(client):
    response = client.post(
        "/users/signup",
        {"username": "Orphan_Account", "email": "", "password1": "correct-horse-99x", "password2": "correct-horse-99x"},
    )

    assert response.status_code == 200
    assert "That username is taken." in str(response.context["form"].errors["username"])


def test_the_page_costs_the_same_queries_however_much_she_did(ann, bea, django_assert_max_num_queries):
    client = logged_in(ann)
    make_story(author=ann, title="One")
    client.get(URL)
    with django_assert_max_num_queries(50) as few:
        text(client.get(URL))
    budget = len(few.captured_queries)  # (read before another request clears the log)
    for n in range(5):
        story = make_story(author=ann if n % 2 else bea, title=f"More {n}")
        if n % 2 == 0:
            leave_kudos(story=story, user=ann, ip="")
            create_bookmark(user=ann, story=story)
            post_comment(chapter=story.chapters.get(), user=ann, body="Hi.")
    client.get(URL)  # her own changes moved her account's version: its row is read once again (kept.py)

    with django_assert_max_num_queries(budget):
        text(client.get(URL))


def test_orphan_account_itself_is_never_deleted(ann, world):
    delete_account(user=ann, works=Works.ORPHAN)
    orphans = User.objects.get(username="orphan_account")

    with pytest.raises(ValueError, match="never deleted"):
        delete_account(user=orphans, works=Works.DELETE)
    staff = UserFactory(username="staff", is_staff=True, is_superuser=True)
    admin = logged_in(staff)

    assert admin.get(f"/admin/accounts/user/{orphans.pk}/delete/").status_code == 403
    assert Story.objects.get(pk=world["own"].pk).authors.get() == orphans


def test_the_inbox_digests_that_counted_her_count_one_reader_fewer(ann, bea, world):
    lines = Notification.objects.filter(recipient=bea, story=world["beas"]).order_by("kind")
    assert list(lines.values_list("text", flat=True)) == [
        "A reader bookmarked “Bea's Work”",
        "2 readers left kudos on “Bea's Work”",
        "A reader subscribed to “Bea's Work”",
    ]
    lines.filter(kind=Kind.BOOKMARK_OF_YOUR_WORK).mark_read()

    delete(logged_in(ann))

    # Cat's kudos stay counted, still unread; what only Ann did leaves the inbox and its count.
    assert list(lines.values_list("text", "read_at")) == [("A reader left kudos on “Bea's Work”", None)]
    assert Notification.objects.filter(recipient=bea).unread().count() == 1
    assert 'Inbox <span class="unread-count">1<' in text(logged_in(bea).get("/inbox"))
