"""Every chapter edit keeps the text it replaced; the work's authors can read and restore it."""

import pytest

from archive.accounts.tests.factories import UserFactory
from archive.chapters.models import MAX_REVISIONS_PER_CHAPTER, Chapter, ChapterRevision
from archive.core.prose import clean_prose
from archive.publishing.services import update_chapter
from archive.stories.models import Story
from archive.stories.tests.factories import make_story

ORIGINAL = "The first words I wrote."


def edit_form(**overrides) -> dict:
    return {"title": "", "notes": "", "end_notes": "", "body": ORIGINAL, "action": "save", **overrides}


def fields(body: str, **overrides) -> dict:
    """What the edit form hands the service: cleaned HTML."""
    return {"title": "", "notes": "", "end_notes": "", "body": clean_prose(body), **overrides}


@pytest.fixture
def story(author) -> Story:
    return make_story(author=author, title="Mine", body=ORIGINAL)


@pytest.fixture
def chapter(story) -> Chapter:
    return story.chapters.get()


def revisions_url(chapter: Chapter) -> str:
    return f"/works/{chapter.story_id}/chapters/{chapter.pk}/revisions"


def test_editing_a_chapter_keeps_the_text_it_replaced_as_a_revision(author, author_client, chapter):
    response = author_client.post(
        f"/works/{chapter.story_id}/chapters/{chapter.pk}/edit", edit_form(title="Better", body="Better words now.")
    )

    assert response.status_code == 302
    revision = chapter.revisions.get()
    assert (revision.title, revision.body, revision.word_count) == ("", f"<p>{ORIGINAL}</p>", 5)
    assert revision.edited_by == author
    chapter.refresh_from_db()
    assert (chapter.title, chapter.body) == ("Better", "<p>Better words now.</p>")


def test_saving_a_chapter_unchanged_keeps_no_revision(author_client, chapter):
    author_client.post(f"/works/{chapter.story_id}/chapters/{chapter.pk}/edit", edit_form())

    assert not chapter.revisions.exists()


def test_posting_a_draft_chapter_without_changing_it_keeps_no_revision(author):
    story = make_story(author=author, post=False, body=ORIGINAL)
    chapter = story.chapters.get()

    update_chapter(chapter=chapter, fields=fields(ORIGINAL), post=True)

    assert not chapter.revisions.exists()
    chapter.refresh_from_db()
    assert not chapter.is_draft


def test_a_change_to_the_notes_alone_keeps_a_revision(chapter):
    update_chapter(chapter=chapter, fields=fields(ORIGINAL, end_notes="<p>Thanks for reading.</p>"))

    assert chapter.revisions.get().end_notes == ""


def test_the_revisions_page_lists_them_newest_first_with_date_words_and_who(author, author_client, chapter):
    coauthor = UserFactory(username="coauthor")
    chapter.story.authors.add(coauthor)
    update_chapter(chapter=chapter, fields=fields("Second version, now six words long."), edited_by=author)
    update_chapter(chapter=chapter, fields=fields("Third."), edited_by=coauthor)

    page = author_client.get(revisions_url(chapter)).content.decode()

    newest, oldest = chapter.revisions.all()
    assert page.index(f"/revisions/{newest.pk}") < page.index(f"/revisions/{oldest.pk}")
    assert "coauthor" in page and ">6<" in page and ">5<" in page
    assert newest.created_at.strftime("%Y-%m-%d") in page
    assert f"newest {MAX_REVISIONS_PER_CHAPTER} are kept" in page


def test_the_chapter_edit_page_links_to_its_revisions(author_client, chapter):
    page = author_client.get(f"/works/{chapter.story_id}/chapters/{chapter.pk}/edit").content.decode()

    assert f'href="{revisions_url(chapter)}">Revisions</a>' in page


def test_a_revision_page_shows_the_old_text_as_the_chapter_shows_it(author_client, chapter):
    update_chapter(chapter=chapter, fields=fields("Old <b>title</b> & text.", title="<i>Then</i>", notes="<p>Hi.</p>"))
    update_chapter(chapter=chapter, fields=fields("New text."))
    revision = chapter.revisions.first()

    response = author_client.get(revision.get_absolute_url())

    page = response.content.decode()
    assert response.status_code == 200
    assert "<p>Old <b>title</b> &amp; text.</p>" in page  # the stored, cleaned HTML
    assert "&lt;i&gt;Then&lt;/i&gt;" in page  # a title is plain text, escaped
    assert "<p>Hi.</p>" in page
    assert "Restore this version" in page


def test_restoring_a_revision_brings_its_text_back_and_keeps_the_current_text(author, author_client, chapter):
    update_chapter(chapter=chapter, fields=fields("A much longer second version of the chapter."), edited_by=author)
    first = chapter.revisions.get()

    response = author_client.post(f"{first.get_absolute_url()}/restore")

    assert response.status_code == 302
    assert response.url == chapter.get_absolute_url()
    chapter.refresh_from_db()
    assert chapter.body == f"<p>{ORIGINAL}</p>"
    assert Story.objects.get(pk=chapter.story_id).word_count == 5
    # Restoring is itself an edit, so it can be undone.
    kept = chapter.revisions.first()
    assert kept.body == "<p>A much longer second version of the chapter.</p>"
    assert chapter.revisions.count() == 2
    page = author_client.get(chapter.get_absolute_url()).content.decode()
    assert "is back" in page


def test_restore_answers_only_post(author_client, chapter):
    update_chapter(chapter=chapter, fields=fields("Changed."))

    assert author_client.get(f"{chapter.revisions.get().get_absolute_url()}/restore").status_code == 405


def test_only_the_newest_revisions_are_kept(chapter):
    for number in range(MAX_REVISIONS_PER_CHAPTER + 2):
        update_chapter(chapter=chapter, fields=fields(f"Version {number}."))

    kept = list(chapter.revisions.values_list("body", flat=True))
    assert len(kept) == MAX_REVISIONS_PER_CHAPTER
    assert kept[0] == f"<p>Version {MAX_REVISIONS_PER_CHAPTER}.</p>"
    assert kept[-1] == "<p>Version 1.</p>"  # the original and "Version 0" were pruned


def test_revisions_go_with_their_chapter(chapter):
    update_chapter(chapter=chapter, fields=fields("Changed."))

    chapter.story.delete()

    assert not ChapterRevision.objects.exists()


def test_another_user_gets_a_404_for_revisions_and_cannot_restore_one(reader_client, chapter):
    update_chapter(chapter=chapter, fields=fields("Changed."))
    revision = chapter.revisions.get()

    assert reader_client.get(revisions_url(chapter)).status_code == 404
    assert reader_client.get(revision.get_absolute_url()).status_code == 404
    assert reader_client.post(f"{revision.get_absolute_url()}/restore").status_code == 404
    chapter.refresh_from_db()
    assert chapter.body == "<p>Changed.</p>"


def test_a_revision_is_a_404_under_another_chapter(author_client, author, chapter):
    other = make_story(author=author).chapters.get()
    update_chapter(chapter=chapter, fields=fields("Changed."))
    revision = chapter.revisions.get()

    assert author_client.get(f"/works/{other.story_id}/chapters/{other.pk}/revisions/{revision.pk}").status_code == 404


def test_a_logged_out_visitor_is_sent_to_log_in_from_revisions(client, chapter):
    response = client.get(revisions_url(chapter))

    assert response.status_code == 302
    assert response.url.startswith("/users/login?next=")


def queries_for(client, url: str, most: int, assert_max) -> int:
    with assert_max(most) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_revision_pages_use_a_fixed_number_of_queries(author, author_client, django_assert_max_num_queries):
    small = make_story(author=author).chapters.get()
    big = make_story(author=author).chapters.get()
    update_chapter(chapter=small, fields=fields("Changed."), edited_by=author)
    for number in range(12):
        editor = UserFactory(username=f"co{number}")
        big.story.authors.add(editor)
        update_chapter(chapter=big, fields=fields(f"Version {number}."), edited_by=editor)
    author_client.get(revisions_url(small))  # warm per-process caches

    small_count = queries_for(author_client, revisions_url(small), 8, django_assert_max_num_queries)
    queries_for(author_client, revisions_url(big), small_count, django_assert_max_num_queries)
    small_count = queries_for(author_client, small.revisions.get().get_absolute_url(), 8, django_assert_max_num_queries)
    queries_for(author_client, big.revisions.first().get_absolute_url(), small_count, django_assert_max_num_queries)
