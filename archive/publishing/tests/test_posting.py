"""Posting journeys: a new work, drafts, more chapters, edits and deletions, all through the client."""

import html
import re
from datetime import UTC, datetime

import pytest

from archive.chapters.models import Chapter
from archive.publishing.services import add_chapter
from archive.stories.models import Story, StoryTag
from archive.stories.tests.factories import make_story, work_form_data
from archive.tags.models import Tag

LONG_AGO = datetime(2024, 1, 1, 12, 0, tzinfo=UTC)


def work_form(**overrides) -> dict:
    """What the "Post a new work" form sends when filled in."""
    return work_form_data(
        **{
            "summary": "Two gods take the scenic route.",
            "notes": "Thanks to my beta.",
            "end_notes": "More soon.",
            "categories": ["4"],
            "characters": "Zeus, Apollo, Hermes",
            "relationships": "Hermes & Apollo",
            "freeforms": "Road Trip, Fluff",
            "chapter-title": "Setting Out",
            "chapter-notes": "Chapter one notes.",
            "chapter-end_notes": "Chapter one end notes.",
            "chapter-body": "They left at dawn.\r\n\r\nNobody saw them go.",
            **overrides,
        }
    )


def story_form(story: Story, **overrides) -> dict:
    """What the "Edit work" form sends, starting from the work as it is."""
    data = {key: value for key, value in work_form().items() if not key.startswith("chapter-") and key != "action"}
    data.update(title=story.title, summary="", notes="", end_notes="", characters="", relationships="", freeforms="")
    data.update(overrides)
    return data


def chapter_form(**overrides) -> dict:
    data = {
        "title": "Crossroads",
        "notes": "",
        "end_notes": "",
        "body": "Six more words for the road.",
        "action": "post",
    }
    data.update(overrides)
    return data


def tag_names(page: str, kind: str) -> list[str]:
    """The tag links listed under one kind in a work's meta block, in page order."""
    block = re.search(rf'<dd class="{kind} tags">(.*?)</dd>', page, re.S)
    if block is None:
        return []
    return [html.unescape(name) for name in re.findall(r'<a class="tag" href="[^"]*">([^<]*)</a>', block.group(1))]


def stat(page: str, name: str) -> str:
    return re.search(rf'<dd class="{name}">([^<]*)</dd>', page).group(1)


def post_new_work(client, **overrides):
    return client.post("/works/new", work_form(**overrides))


def backdate(story: Story) -> None:
    """Make the story look last updated long ago, so any move of updated_at shows."""
    Story.objects.filter(pk=story.pk).update(published_at=LONG_AGO, updated_at=LONG_AGO)
    Chapter.objects.filter(story=story).exclude(published_at=None).update(published_at=LONG_AGO)


# Posting a new work


def test_posting_a_new_work_saves_the_story_and_its_first_chapter(author, author_client):
    response = post_new_work(author_client)

    story = Story.objects.get()
    assert response.status_code == 302
    assert response.url == f"/works/{story.pk}"
    assert story.title == "The Long Way Round"
    assert list(story.authors.all()) == [author]
    assert not story.is_draft
    assert story.updated_at == story.published_at
    chapter = story.chapters.get()
    assert (chapter.position, chapter.title, chapter.is_draft) == (1, "Setting Out", False)
    assert chapter.body == "<p>They left at dawn.</p><p>Nobody saw them go.</p>"


def test_a_new_work_page_shows_its_chapter_status_word_count_and_a_posted_message(author_client):
    response = post_new_work(author_client)
    page = author_client.get(response.url).content.decode()

    assert "Your work was posted." in page
    assert stat(page, "chapters") == "1/?"
    assert stat(page, "words") == "8"
    assert Story.objects.get().word_count == 8
    assert "They left at dawn." in page
    assert "Chapter one notes." in page and "Chapter one end notes." in page
    assert "Thanks to my beta." in page and "More soon." in page


def test_a_one_shot_with_one_expected_chapter_is_one_of_one_and_complete(author_client):
    response = post_new_work(author_client, expected_chapters="1")
    page = author_client.get(response.url).content.decode()

    story = Story.objects.get()
    assert story.chapter_status == "1/1"
    assert story.is_complete
    assert stat(page, "chapters") == "1/1"


def test_the_work_page_groups_tags_by_kind_in_the_order_typed(author_client, reader_client):
    post_new_work(author_client)
    page = reader_client.get(Story.objects.get().get_absolute_url()).content.decode()

    assert tag_names(page, "fandom") == ["Greek Mythology"]
    assert tag_names(page, "character") == ["Zeus", "Apollo", "Hermes"]
    assert tag_names(page, "relationship") == ["Hermes & Apollo"]
    assert tag_names(page, "freeform") == ["Road Trip", "Fluff"]
    assert "Teen And Up Audiences" in page
    assert "No Archive Warnings Apply" in page
    assert tag_names(page, "category") == ["Gen"]
    kinds = dict(Tag.objects.values_list("name", "kind"))
    assert kinds["Zeus"] == Tag.Kind.CHARACTER
    assert kinds["Hermes & Apollo"] == Tag.Kind.RELATIONSHIP


def test_tags_on_a_work_page_link_to_their_tag_pages(author_client, client):
    post_new_work(author_client, relationships="Hermes/Apollo")
    story = Story.objects.get()
    page = client.get(story.get_absolute_url()).content.decode()

    assert '<a class="tag" href="/tags/Hermes*s*Apollo/works">Hermes/Apollo</a>' in page
    tag_page = client.get("/tags/Hermes*s*Apollo/works")
    assert tag_page.status_code == 200
    assert "The Long Way Round" in tag_page.content.decode()


# Drafts


@pytest.fixture
def draft(author_client) -> Story:
    response = post_new_work(
        author_client, title="Secret Draft", fandoms="Draftverse", characters="Quiet Person", action="draft"
    )
    assert response.status_code == 302
    return Story.objects.get()


def listing_pages(author) -> list[str]:
    return [
        "/",
        "/tags/Draftverse/works",
        "/tags/Quiet Person/works",
        "/works/search?fandoms=Draftverse",
        f"/users/{author.username}/works",
    ]


def test_save_as_draft_keeps_the_work_and_its_chapter_unposted(draft, author_client):
    assert draft.is_draft
    assert draft.updated_at is None
    assert draft.chapters.get().is_draft
    page = author_client.get(draft.get_absolute_url()).content.decode()
    assert "Your draft was saved." in page
    assert "only its authors can see it" in page
    assert "This work is a draft" in page
    assert "They left at dawn." in page


@pytest.mark.parametrize("who", ["another reader", "anonymous"])
def test_a_draft_work_is_a_404_for_everyone_but_its_author(draft, who, reader_client, client):
    visitor = reader_client if who == "another reader" else client
    chapter = draft.chapters.get()

    for url in [
        f"/works/{draft.pk}",
        f"/works/{draft.pk}?view_full_work=true",
        f"/works/{draft.pk}/navigate",
        f"/works/{draft.pk}/chapters/{chapter.pk}",
    ]:
        assert visitor.get(url).status_code == 404, url


def test_a_draft_is_listed_nowhere_not_even_for_its_author(draft, author, author_client, reader_client, client):
    for visitor in (client, reader_client, author_client):
        for url in listing_pages(author):
            response = visitor.get(url)
            assert response.status_code == 200, url
            assert "Secret Draft" not in response.content.decode(), url


def test_a_draft_shows_on_its_authors_dashboard_with_a_post_button(draft, author_client):
    page = author_client.get("/dashboard").content.decode()

    drafts = page.split('id="drafts-heading"')[1].split('id="posted-heading"')[0]
    assert "Secret Draft" in drafts
    assert f'action="/works/{draft.pk}/post"' in drafts


def test_posting_a_draft_makes_it_visible_everywhere(draft, author, author_client, reader_client, client):
    response = author_client.post(f"/works/{draft.pk}/post")

    assert response.status_code == 302
    assert response.url == draft.get_absolute_url()
    draft.refresh_from_db()
    assert not draft.is_draft
    assert draft.updated_at == draft.published_at
    assert not draft.chapters.get().is_draft
    assert draft.chapter_status == "1/?"
    assert draft.word_count == 8
    assert reader_client.get(draft.get_absolute_url()).status_code == 200
    for url in listing_pages(author):
        assert "Secret Draft" in client.get(url).content.decode(), url
    dashboard = author_client.get("/dashboard").content.decode()
    assert "Secret Draft" in dashboard.split('id="posted-heading"')[1]


# Adding chapters


def test_posting_chapter_two_is_an_update_readers_see(author, author_client, reader_client):
    story = make_story(author=author, body="Five words in chapter one.")
    backdate(story)

    response = author_client.post(f"/works/{story.pk}/chapters/new", chapter_form())

    chapter = story.chapters.get(position=2)
    assert response.status_code == 302
    assert response.url == chapter.get_absolute_url()
    story.refresh_from_db()
    assert story.updated_at > LONG_AGO
    assert story.updated_at == chapter.published_at
    assert story.published_at == LONG_AGO
    assert story.word_count == 5 + 6
    assert story.chapter_status == "2/?"
    page = reader_client.get(chapter.get_absolute_url()).content.decode()
    assert "Six more words for the road." in page
    assert stat(page, "chapters") == "2/?"
    assert stat(page, "words") == "11"


def test_a_chapter_saved_as_a_draft_changes_nothing_readers_see(author, author_client, reader_client):
    story = make_story(author=author, body="Five words in chapter one.")
    backdate(story)

    response = author_client.post(f"/works/{story.pk}/chapters/new", chapter_form(action="draft"))

    chapter = story.chapters.get(position=2)
    assert response.status_code == 302
    assert chapter.is_draft
    story.refresh_from_db()
    assert story.updated_at == LONG_AGO
    assert (story.word_count, story.chapter_status) == (5, "1/?")
    assert reader_client.get(chapter.get_absolute_url()).status_code == 404
    work_page = reader_client.get(story.get_absolute_url()).content.decode()
    assert "Crossroads" not in work_page
    assert "Next chapter" not in work_page
    author_page = author_client.get(chapter.get_absolute_url()).content.decode()
    assert "Your chapter draft was saved." in author_page
    assert "Six more words for the road." in author_page


def test_posting_a_draft_chapter_from_its_edit_page_is_an_update(author, author_client, reader_client):
    story = make_story(author=author, body="Five words in chapter one.")
    author_client.post(f"/works/{story.pk}/chapters/new", chapter_form(action="draft"))
    chapter = story.chapters.get(position=2)
    backdate(story)

    edit_page = author_client.get(f"/works/{story.pk}/chapters/{chapter.pk}/edit").content.decode()
    assert 'name="action" value="post"' in edit_page
    response = author_client.post(
        f"/works/{story.pk}/chapters/{chapter.pk}/edit", chapter_form(body="Now it has seven words, see?")
    )

    assert response.status_code == 302
    chapter.refresh_from_db()
    story.refresh_from_db()
    assert not chapter.is_draft
    assert story.updated_at == chapter.published_at
    assert story.updated_at > LONG_AGO
    assert (story.word_count, story.chapter_status) == (5 + 6, "2/?")
    assert "Now it has seven words, see?" in reader_client.get(chapter.get_absolute_url()).content.decode()


# Editing


def test_the_edit_work_form_starts_from_the_work_as_it_is(author, author_client):
    story = make_story(author=author, title="Old Title", characters=["Zeus", "Hera"], freeforms=["Angst"])

    page = author_client.get(f"/works/{story.pk}/edit").content.decode()

    assert 'value="Old Title"' in page
    assert 'value="Zeus, Hera"' in page
    assert 'value="Angst"' in page
    assert 'value="Greek Mythology"' in page


def test_editing_a_works_details_and_tags_replaces_them(author, author_client, reader_client):
    story = make_story(author=author, title="Old Title", characters=["Zeus"], freeforms=["Angst"])
    backdate(story)

    response = author_client.post(
        f"/works/{story.pk}/edit",
        story_form(
            story,
            title="New Title",
            summary="A new summary.",
            rating="mature",
            warnings=["2", "4"],
            expected_chapters="3",
            characters="Persephone, Hades",
            relationships="Hades/Persephone",
            freeforms="",
        ),
    )

    assert response.status_code == 302
    assert response.url == story.get_absolute_url()
    story.refresh_from_db()
    assert story.title == "New Title"
    assert story.rating == "mature"
    assert story.chapter_status == "1/3"
    assert story.updated_at == LONG_AGO  # editing details is not new content
    # Now rated Mature: the reader says yes to the adult-content warning on the way in.
    page = reader_client.get(story.get_absolute_url(), {"view_adult": "true"}).content.decode()
    assert "New Title" in page and "Old Title" not in page
    assert "A new summary." in page
    assert "Graphic Depictions Of Violence" in page and "Major Character Death" in page
    assert "No Archive Warnings Apply" not in page
    assert tag_names(page, "character") == ["Persephone", "Hades"]
    assert tag_names(page, "relationship") == ["Hades/Persephone"]
    assert tag_names(page, "freeform") == []
    assert "Angst" not in page
    assert "Zeus" not in page


def test_an_invalid_edit_changes_nothing(author, author_client):
    story = make_story(author=author, title="Old Title")

    response = author_client.post(f"/works/{story.pk}/edit", story_form(story, title="New Title", fandoms=""))

    assert response.status_code == 200
    assert "Name at least one fandom." in response.content.decode()
    story.refresh_from_db()
    assert story.title == "Old Title"
    assert list(story.tag_links.values_list("tag__name", flat=True)) == ["Greek Mythology"]


def test_editing_a_posted_chapter_recounts_words_without_bumping_the_update_date(author, author_client, reader_client):
    story = make_story(author=author, chapters=2, body="Five words in each chapter.")
    chapter = story.chapters.get(position=2)
    backdate(story)

    edit_page = author_client.get(f"/works/{story.pk}/chapters/{chapter.pk}/edit").content.decode()
    assert "Five words in each chapter." in edit_page
    assert 'name="action" value="save"' in edit_page
    response = author_client.post(
        f"/works/{story.pk}/chapters/{chapter.pk}/edit",
        chapter_form(title="Renamed", notes="A note.", body="Two words.", action="save"),
    )

    assert response.status_code == 302
    assert response.url == chapter.get_absolute_url()
    chapter.refresh_from_db()
    story.refresh_from_db()
    assert (chapter.title, chapter.word_count, chapter.position) == ("Renamed", 2, 2)
    assert (story.word_count, story.chapter_status) == (5 + 2, "2/?")
    assert story.updated_at == LONG_AGO
    page = reader_client.get(chapter.get_absolute_url()).content.decode()
    assert "Chapter 2: Renamed" in page
    assert "Two words." in page and "A note." in page
    assert "Your chapter was saved." not in page  # the message went to the author


# Deleting


def test_deleting_a_chapter_asks_first_then_closes_the_gap(author, author_client, reader_client):
    story = make_story(author=author, chapters=3, body="Five words in each chapter.")
    first, middle, last = story.chapters.order_by("position")

    confirm = author_client.get(f"/works/{story.pk}/chapters/{middle.pk}/delete")
    assert confirm.status_code == 200
    assert "Delete Chapter 2: Part 2" in confirm.content.decode()
    assert Chapter.objects.filter(pk=middle.pk).exists()

    response = author_client.post(f"/works/{story.pk}/chapters/{middle.pk}/delete")

    assert response.status_code == 302
    assert response.url == story.get_absolute_url()
    assert list(story.chapters.order_by("position").values_list("pk", "position")) == [(first.pk, 1), (last.pk, 2)]
    story.refresh_from_db()
    assert (story.word_count, story.chapter_status) == (10, "2/?")
    page = reader_client.get(last.get_absolute_url()).content.decode()
    assert "Chapter 2: Part 3" in page
    assert reader_client.get(f"/works/{story.pk}/chapters/{middle.pk}").status_code == 404
    assert "Chapter 2: Part 2 was deleted." in author_client.get(response.url).content.decode()


def test_deleting_the_first_chapter_makes_the_next_one_chapter_one(author, author_client):
    story = make_story(author=author, chapters=3)
    first, middle, last = story.chapters.order_by("position")

    author_client.post(f"/works/{story.pk}/chapters/{first.pk}/delete")

    assert list(story.chapters.order_by("position").values_list("pk", "position")) == [(middle.pk, 1), (last.pk, 2)]


def test_the_only_chapter_of_a_work_cannot_be_deleted(author, author_client):
    story = make_story(author=author)
    chapter = story.chapters.get()

    response = author_client.post(f"/works/{story.pk}/chapters/{chapter.pk}/delete", follow=True)

    assert response.redirect_chain == [(chapter.get_absolute_url(), 302)]
    assert "A work needs at least one posted chapter. Delete the whole work instead." in response.content.decode()
    assert Chapter.objects.filter(pk=chapter.pk).exists()
    story.refresh_from_db()
    assert (story.chapter_count, story.word_count) == (1, 8)


def test_the_last_posted_chapter_cannot_be_deleted_while_only_drafts_remain(author, author_client, reader_client):
    story = make_story(author=author)
    chapter = story.chapters.get()
    add_chapter(story=story, fields={"title": "", "notes": "", "end_notes": "", "body": "<p>WIP.</p>"}, post=False)

    response = author_client.post(f"/works/{story.pk}/chapters/{chapter.pk}/delete", follow=True)

    assert "A work needs at least one posted chapter." in response.content.decode()
    assert Chapter.objects.filter(pk=chapter.pk).exists()
    assert reader_client.get(story.get_absolute_url()).status_code == 200


def test_deleting_a_work_asks_first_then_removes_it_with_its_chapters(author, author_client, reader_client):
    story = make_story(author=author, title="Doomed", chapters=2)

    confirm = author_client.get(f"/works/{story.pk}/delete")
    assert confirm.status_code == 200
    assert "Delete “Doomed”?" in confirm.content.decode()
    assert "its 2 chapters" in confirm.content.decode()
    assert Story.objects.filter(pk=story.pk).exists()

    response = author_client.post(f"/works/{story.pk}/delete", follow=True)

    assert response.redirect_chain == [("/dashboard", 302)]
    assert "“Doomed” was deleted." in response.content.decode()
    assert not Story.objects.filter(pk=story.pk).exists()
    assert not Chapter.objects.filter(story_id=story.pk).exists()
    assert not StoryTag.objects.filter(content_object_id=story.pk).exists()
    assert reader_client.get(f"/works/{story.pk}").status_code == 404
    assert "Doomed" not in reader_client.get("/").content.decode()
