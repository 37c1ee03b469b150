"""Manage chapters (/works/<id>/chapters/manage): reordering a work's chapters by position numbers,
refused when the order changed since the form was built, seen at once by every reader."""

import pytest
from django.urls import reverse

from archive.accounts.tests.factories import UserFactory, logged_in
from archive.publishing.services import StaleOrderError, add_chapter, delete_chapter, reorder_chapters
from archive.stories.tests.factories import make_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(author):
    # Chapter 1 has no title; the others are "Part 2", "Part 3"...
    return make_story(author=author, title="Four Doors", chapters=4)


def order_of(story) -> list[str]:
    return [chapter.title or "first" for chapter in story.chapters.order_by("position")]


def form_data(story, positions: dict[str, object], *, seen=None) -> dict:
    """The manage form as sent: a position for each chapter (by title), the rest unchanged."""
    chapters = list(story.chapters.order_by("position"))
    data = {"seen": ",".join(str(chapter.pk) for chapter in (seen or chapters))}
    for chapter in chapters:
        data[f"position-{chapter.pk}"] = positions.get(chapter.title or "first", chapter.position)
    return data


def manage_url(story) -> str:
    return reverse("chapters:manage", args=[story.pk])


def test_the_manage_page_lists_every_chapter_with_its_position(author_client, story):
    add_chapter(story=story, fields={"title": "Unfinished", "body": "<p>Soon.</p>"}, post=False)
    page = author_client.get(manage_url(story)).content.decode()
    assert "Manage chapters of" in page
    for number, name in enumerate(["Chapter 1", "Chapter 2: Part 2", "Chapter 3: Part 3", "Chapter 5: Unfinished"]):
        assert name in page, number
    assert 'value="5"' in page and "Draft" in page
    assert "manage-chapters.js" in page


def test_an_author_moves_a_chapter_by_typing_its_new_position(author_client, story):
    response = author_client.post(manage_url(story), form_data(story, {"Part 4": 1}))

    assert response.status_code == 302
    assert order_of(story) == ["Part 4", "first", "Part 2", "Part 3"]
    assert list(story.chapters.order_by("position").values_list("position", flat=True)) == [1, 2, 3, 4]
    assert "The chapters are in their new order." in author_client.get(response.url).content.decode()


def test_a_chapter_moved_down_goes_after_the_one_at_its_new_number(author_client, story):
    author_client.post(manage_url(story), form_data(story, {"first": 3}))
    assert order_of(story) == ["Part 2", "Part 3", "first", "Part 4"]


def test_a_full_renumbering_is_taken_as_typed(author_client, story):
    author_client.post(manage_url(story), form_data(story, {"first": 4, "Part 2": 3, "Part 3": 2, "Part 4": 1}))
    assert order_of(story) == ["Part 4", "Part 3", "Part 2", "first"]


@pytest.mark.parametrize("bad", ["0", "5", "two", "", "-1", "1.5"])
def test_a_position_that_is_not_1_to_n_is_refused_next_to_its_field_and_nothing_moves(author_client, story, bad):
    response = author_client.post(manage_url(story), form_data(story, {"Part 3": bad}))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Give a position from 1 to 4." in page
    assert 'aria-invalid="true"' in page
    assert order_of(story) == ["first", "Part 2", "Part 3", "Part 4"]


def test_a_save_against_an_order_that_changed_meanwhile_is_refused_and_changes_nothing(author_client, author, story):
    opened = list(story.chapters.order_by("position"))  # the author opens the page in one tab...
    reorder_chapters(story=story, seen=[c.pk for c in opened], order=[c.pk for c in reversed(opened)])  # ...another

    response = author_client.post(manage_url(story), form_data(story, {"Part 2": 1}, seen=opened))

    assert response.status_code == 200
    page = response.content.decode()
    assert "changed after this page was opened" in page and "nothing was saved" in page
    assert order_of(story) == ["Part 4", "Part 3", "Part 2", "first"]
    # The page shows the order as it is now, ready to try again.
    assert page.index("Part 4") < page.index("Part 3") < page.index("Part 2")


def test_a_chapter_added_or_deleted_meanwhile_also_refuses_the_save(story):
    seen = list(story.chapters.order_by("position").values_list("pk", flat=True))
    delete_chapter(chapter=story.chapters.get(title="Part 3"))
    with pytest.raises(StaleOrderError):
        reorder_chapters(story=story, seen=seen, order=list(reversed(seen)))
    assert order_of(story) == ["first", "Part 2", "Part 4"]


def test_a_damaged_form_changes_nothing(author_client, story):
    data = form_data(story, {"Part 4": 1})
    data["seen"] = "1,two"
    response = author_client.post(manage_url(story), data)
    assert response.status_code == 200
    assert "This form is damaged" in response.content.decode()
    assert order_of(story) == ["first", "Part 2", "Part 3", "Part 4"]


def test_only_the_works_authors_may_manage_its_chapters(client, story):
    assert client.get(manage_url(story)).status_code == 302  # to log in
    stranger = logged_in(UserFactory(username="stranger"))
    assert stranger.get(manage_url(story)).status_code == 404
    assert stranger.post(manage_url(story), form_data(story, {"Part 4": 1})).status_code == 404
    assert order_of(story) == ["first", "Part 2", "Part 3", "Part 4"]


def test_the_work_page_links_its_authors_to_manage_chapters(author_client, client, story):
    assert manage_url(story) in author_client.get(story.get_absolute_url()).content.decode()
    assert manage_url(story) not in client.get(story.get_absolute_url()).content.decode()


def test_the_next_logged_out_reader_sees_the_new_order_everywhere(author_client, client, story):
    """Chapter index, previous/next links, the entire work and the download all follow at once."""
    chapters = {chapter.title or "first": chapter for chapter in story.chapters.all()}
    full = f"{story.get_absolute_url()}?view_full_work=true"
    index_url = reverse("chapters:navigate", args=[story.pk])
    part4_url = chapters["Part 4"].get_absolute_url()
    for url in (full, index_url, part4_url, story.get_absolute_url()):
        client.get(url)
        client.get(url)  # the second from the shared cache

    author_client.post(manage_url(story), form_data(story, {"Part 4": 1}))

    page = client.get(full).content.decode()
    assert page.index("Part 4") < page.index("Part 2") < page.index("Part 3")
    assert "Chapter 1: Part 4" in page and "Chapter 4: Part 3" in page
    assert "1. Part 4" in client.get(index_url).content.decode()
    moved = client.get(part4_url).content.decode()
    assert "Chapter 1: Part 4" in moved and 'rel="prev"' not in moved
    assert chapters["first"].get_absolute_url() in moved  # "Next chapter" is the old first
    assert "Part 4" in client.get(story.get_absolute_url()).content.decode()  # the work opens on it
    download = client.get(reverse("downloads:html", args=[story.pk, "four-doors"])).content.decode()
    assert download.index("Part 4") < download.index("Part 2")


def test_the_manage_page_costs_the_same_queries_for_many_chapters(author, django_assert_max_num_queries):
    few = make_story(author=author, chapters=2)
    many = make_story(author=author, chapters=30)
    client = logged_in(author)
    client.get("/")  # her account is read once, then kept (archive/accounts/kept.py)
    counts = []
    for story in (few, many):
        with django_assert_max_num_queries(8) as captured:
            assert client.get(manage_url(story)).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


# Chapter summaries.


def test_a_chapter_summary_shows_at_the_top_of_its_chapter_and_in_the_entire_work(author_client, client, story):
    second = story.chapters.get(title="Part 2")
    response = author_client.post(
        reverse("chapters:edit", args=[story.pk, second.pk]),
        {"title": "Part 2", "summary": "They *meet* <script>alert(1)</script>again.", "notes": "", "end_notes": "",
         "body": second.body, "action": "save"},
    )  # fmt: skip
    assert response.status_code == 302
    second.refresh_from_db()
    assert "<script>" not in second.summary

    page = client.get(second.get_absolute_url()).content.decode()
    summary = (
        '<div class="summary module" id="summary" role="complementary">\n'
        '      <h3 class="heading">Summary:</h3>\n      <blockquote class="userstuff">'
    )
    assert summary in page
    assert page.index(summary) < page.index("Chapter Text")
    assert "<script>alert(1)" not in page
    full = client.get(f"{story.get_absolute_url()}?view_full_work=true").content.decode()
    assert full.count('<div class="summary module" role="complementary">') == 1  # no id repeated on the entire work
    assert "again." in full


def test_a_chapter_summary_longer_than_a_works_is_refused_next_to_its_field(author_client, story):
    chapter = story.chapters.get(title="Part 2")
    data = {"title": "Part 2", "summary": "x" * 1251, "notes": "", "end_notes": "", "body": "Text.", "action": "save"}
    response = author_client.post(reverse("chapters:edit", args=[story.pk, chapter.pk]), data)
    assert response.status_code == 200
    assert "Ensure this value has at most 1250 characters" in response.content.decode()
    chapter.refresh_from_db()
    assert chapter.summary == ""
