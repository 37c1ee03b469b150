"""Reading lists: "Mark for later" built in, lists a reader makes, renames and deletes, works added
and removed from the work page; all of it the reader's alone."""

import pytest
from django.test import Client

from archive.accounts.tests.factories import UserFactory
from archive.bookmarks.models import MARK_FOR_LATER, ReadingList, ReadingListItem
from archive.bookmarks.services import mark_for_later_list
from archive.bookmarks.tests.factories import make_list
from archive.core.tests.pages import listed_ids
from archive.stories.tests.factories import make_story

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}
LISTS = "/users/reader/lists"


@pytest.fixture
def story(author):
    return make_story(author=author, title="The Pomegranate Seeds")


def list_url(reading_list) -> str:
    return f"/users/{reading_list.user.username}/lists/{reading_list.pk}"


def test_the_lists_page_starts_with_mark_for_later(reader_client, reader):
    page = reader_client.get(LISTS).content.decode()

    assert MARK_FOR_LATER in page
    assert ReadingList.objects.get(user=reader).builtin


def test_a_reader_makes_a_list(reader_client, reader):
    response = reader_client.post(LISTS, {"name": "  Comfort   reads "}, follow=True)

    assert response.redirect_chain == [(LISTS, 302)]
    assert "Your list “Comfort reads” was made." in response.content.decode()
    assert ReadingList.objects.filter(user=reader, name="Comfort reads", builtin=False).exists()


@pytest.mark.parametrize("name", ["comfort READS", "Mark For Later", "   "])
def test_a_list_name_must_be_new_and_not_blank(name, reader_client, reader):
    make_list(user=reader, name="Comfort reads")

    response = reader_client.post(LISTS, {"name": name})

    assert response.status_code == 200
    assert 'class="errorlist"' in response.content.decode()
    assert ReadingList.objects.filter(user=reader, builtin=False).count() == 1


def test_a_reader_renames_and_deletes_their_list(reader_client, reader, story):
    reading_list = make_list(user=reader, name="Comfort reads", stories=[story])

    renamed = reader_client.post(f"{list_url(reading_list)}/edit", {"name": "Winter reads"})
    confirm = reader_client.get(f"{list_url(reading_list)}/delete")
    deleted = reader_client.post(f"{list_url(reading_list)}/delete")

    assert renamed.status_code == 302
    assert "Delete the list “Winter reads”?" in confirm.content.decode()
    assert deleted["Location"] == LISTS
    assert not ReadingList.objects.filter(builtin=False).exists()
    story.refresh_from_db()


@pytest.mark.parametrize("action", ["edit", "delete"])
def test_mark_for_later_cannot_be_renamed_or_deleted(action, reader_client, reader):
    later = mark_for_later_list(user=reader)

    assert reader_client.post(f"{list_url(later)}/{action}", {"name": "Someday"}).status_code == 404
    later.refresh_from_db()
    assert later.name == MARK_FOR_LATER


def test_a_list_page_shows_its_works_newest_first(reader_client, reader):
    older, newer = make_story(title="Older"), make_story(title="Newer")
    reading_list = make_list(user=reader, stories=[older, newer])

    response = reader_client.get(list_url(reading_list))

    assert listed_ids(response) == [newer.pk, older.pk]


@pytest.mark.parametrize("page", ["", "/edit", "/delete"])
def test_nobody_sees_or_changes_someone_elses_lists(page, reader, author_client, client):
    reading_list = make_list(user=reader, name="Comfort reads")

    assert author_client.get(LISTS).status_code == 404
    assert author_client.get(f"{list_url(reading_list)}{page}").status_code == 404
    assert author_client.post(f"{list_url(reading_list)}{page}", {"name": "Mine now"}).status_code == 404
    # Another reader's list under one's own name is a 404 too.
    assert author_client.get(f"/users/author/lists/{reading_list.pk}{page}").status_code == 404
    guest = client.get(f"{list_url(reading_list)}{page}")
    assert guest.status_code == 302
    assert guest["Location"].startswith("/users/login")
    assert ReadingList.objects.get(pk=reading_list.pk).name == "Comfort reads"


def test_a_reader_marks_a_work_for_later_from_the_work_page(reader_client, reader, story):
    page = reader_client.get(story.get_absolute_url()).content.decode()
    assert f'action="/works/{story.pk}/lists"' in page
    assert '<option value="later">Mark for later</option>' in page

    response = reader_client.post(f"/works/{story.pk}/lists", {"list": "later"}, follow=True)

    assert response.redirect_chain == [(f"{story.get_absolute_url()}#bookmark", 302)]
    assert "Added to “Mark for later”." in response.content.decode()
    later = ReadingList.objects.get(user=reader, builtin=True)
    assert list(later.items.values_list("story", flat=True)) == [story.pk]


def test_adding_with_javascript_answers_json_and_the_box_shows_the_list(reader_client, reader, story):
    reading_list = make_list(user=reader, name="Comfort reads")

    response = reader_client.post(f"/works/{story.pk}/lists", {"list": reading_list.pk}, **JSON)
    again = reader_client.post(f"/works/{story.pk}/lists", {"list": reading_list.pk}, **JSON)

    assert response.json()["message"] == "Added to “Comfort reads”."
    assert f'action="/works/{story.pk}/lists/{reading_list.pk}/remove"' in response.json()["html"]
    assert again.json()["message"] == "This work is already in “Comfort reads”."
    assert ReadingListItem.objects.count() == 1


def test_a_reader_removes_a_work_from_a_list(reader_client, reader, story):
    reading_list = make_list(user=reader, stories=[story])

    response = reader_client.post(f"/works/{story.pk}/lists/{reading_list.pk}/remove", {"next": list_url(reading_list)})

    assert response["Location"] == f"{list_url(reading_list)}#bookmark"
    assert not ReadingListItem.objects.exists()


def test_nobody_adds_to_or_removes_from_someone_elses_list(reader, author_client, story):
    reading_list = make_list(user=reader, stories=[story])
    other = make_story()

    assert author_client.post(f"/works/{other.pk}/lists", {"list": reading_list.pk}).status_code == 404
    assert author_client.post(f"/works/{story.pk}/lists/{reading_list.pk}/remove").status_code == 404
    assert list(reading_list.items.values_list("story", flat=True)) == [story.pk]


def test_a_draft_cannot_be_added_to_a_list(author_client, author):
    draft = make_story(author=author, post=False)

    assert author_client.post(f"/works/{draft.pk}/lists", {"list": "later"}).status_code == 404
    assert not ReadingListItem.objects.exists()


def test_adding_needs_a_list_and_a_post(reader_client, story):
    response = reader_client.post(f"/works/{story.pk}/lists", {"list": "nonsense"}, follow=True)

    assert "Choose a list to add the work to." in response.content.decode()
    assert reader_client.get(f"/works/{story.pk}/lists").status_code == 405
    assert not ReadingListItem.objects.exists()


def test_a_guest_is_sent_to_log_in_to_add_to_a_list(client, story):
    response = client.post(f"/works/{story.pk}/lists", {"list": "later"})

    assert response.status_code == 302
    assert response["Location"].startswith("/users/login")


def test_the_lists_page_costs_the_same_queries_however_many_lists(reader, django_assert_max_num_queries):
    viewer = Client()
    viewer.force_login(reader)
    make_list(user=reader, name="List 0", stories=[make_story()])
    viewer.get(LISTS)
    with django_assert_max_num_queries(15) as few:
        viewer.get(LISTS)
    for number in range(1, 6):
        make_list(user=reader, name=f"List {number}", stories=[make_story(), make_story()])

    with django_assert_max_num_queries(len(few)):
        assert viewer.get(LISTS).content.decode().count("/edit") == 6


def test_a_list_page_costs_the_same_queries_however_many_works(reader, django_assert_max_num_queries):
    viewer = Client()
    viewer.force_login(reader)
    reading_list = make_list(user=reader, stories=[make_story(characters=["Persephone"])])
    viewer.get(list_url(reading_list))
    with django_assert_max_num_queries(15) as few:
        viewer.get(list_url(reading_list))
    budget = len(few)  # (read before another request clears the log)
    for number in range(6):
        story = make_story(characters=[f"Character {number}"], freeforms=[f"Tag {number}"])
        story.authors.add(UserFactory())
        make_list(user=reader, name=f"Other {number}", stories=[story])
        reading_list.items.create(story=story)
    viewer.get(list_url(reading_list))  # new lists moved the reader's account version: its row is read again

    with django_assert_max_num_queries(budget):
        assert len(listed_ids(viewer.get(list_url(reading_list)))) == 7
