"""Preview: "Preview" beside "Post" on the new-work, new-chapter and edit forms shows the page as
readers will see it, keeps every value in the form, and saves, posts, caches and notifies nothing."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from archive.accounts.tests.factories import UserFactory
from archive.chapters.models import Chapter, ChapterRevision
from archive.notifications.models import Notification
from archive.notifications.services import subscribe
from archive.stories.models import Story
from archive.stories.tests.factories import make_story, work_form_data
from archive.tags.models import Tag

pytestmark = pytest.mark.django_db


def rows() -> tuple:
    return (
        Story.objects.count(),
        Chapter.objects.count(),
        ChapterRevision.objects.count(),
        Tag.objects.count(),
        Notification.objects.count(),
    )


def previewed(client, url: str, data: dict) -> str:
    """Press Preview: the page comes back (200), and nothing in the database moved."""
    before = rows()
    response = client.post(url, {**data, "action": "preview"})
    assert response.status_code == 200
    assert rows() == before
    assert not mail.outbox
    return response.content.decode()


def preview_part(page: str) -> str:
    return page[page.index('<section class="preview-page"') : page.index("</section>")]


def chapter_form(**fields) -> dict:
    return {"title": "", "summary": "", "notes": "", "end_notes": "", "body": "Text.", **fields}


def test_a_new_work_previews_as_readers_will_see_it_and_keeps_every_value(author, author_client):
    subscribe(user=UserFactory(), author=author)
    data = work_form_data(
        title="Sea Glass",
        summary="Two sisters and a **tide**.",
        characters="Brand New Character",
        backdate="2018-05-04",
        **{"chapter-summary": "Where it starts.", "chapter-body": "The tide went out.\n\nIt came back."},
    )

    page = previewed(author_client, "/works/new", data)

    shown = preview_part(page)
    assert '<h2 class="title heading">Sea Glass</h2>' in shown
    assert 'rel="author"' in shown and author.username in shown
    assert "Brand New Character" in shown  # a tag that doesn't exist yet, not created
    assert not Tag.objects.filter(name="Brand New Character").exists()
    assert '<dd class="published">2018-05-04</dd>' in shown
    assert '<div class="summary module" id="summary" role="complementary">' in shown
    assert "Where it starts." in shown and "<p>The tide went out.</p>" in shown
    assert "Nothing is saved or posted yet" in page
    # The form below still holds everything, ready to change or post.
    form = page[page.index("<form") :]
    assert 'value="Sea Glass"' in form and "The tide went out.\n\nIt came back.</textarea>" in form
    assert 'value="2018-05-04"' in form and "Brand New Character" in form


def test_posting_after_a_preview_posts_what_was_previewed(author, author_client):
    data = work_form_data(title="Sea Glass", **{"chapter-body": "The tide went out."})
    previewed(author_client, "/works/new", data)

    response = author_client.post("/works/new", {**data, "action": "post"})

    assert response.status_code == 302
    story = Story.objects.get(title="Sea Glass")
    assert not story.is_draft and "The tide went out." in story.chapters.get().body


def test_a_preview_of_a_form_with_mistakes_shows_the_mistakes_and_no_preview(author_client):
    page = previewed(author_client, "/works/new", work_form_data(fandoms="", title="Half Done"))
    assert "Name at least one fandom." in page
    assert "preview-page" not in page and 'value="Half Done"' in page


def test_preview_is_the_forms_first_button_so_enter_never_posts(author, author_client):
    story = make_story(author=author, chapters=1)
    chapter = story.chapters.get()
    for url in (
        "/works/new",
        f"/works/{story.pk}/edit",
        f"/works/{story.pk}/chapters/new",
        f"/works/{story.pk}/chapters/{chapter.pk}/edit",
    ):
        page = author_client.get(url).content.decode()
        buttons = re.findall(
            r'<button type="submit" name="action" value="(\w+)"', page[page.index('<form method="post" class="') :]
        )
        assert buttons[0] == "preview", url


def test_previews_do_not_count_against_the_posting_limits(author_client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "work": "1/h"}
    data = work_form_data(title="Careful Author")
    for _ in range(3):
        previewed(author_client, "/works/new", data)
    assert author_client.post("/works/new", {**data, "action": "post"}).status_code == 302


def test_a_new_chapter_previews_with_its_number_summary_and_the_works_counts(author, author_client, client):
    story = make_story(author=author, title="Long Road", chapters=2)
    subscribe(user=UserFactory(), story=story)
    url = f"/works/{story.pk}/chapters/new"

    page = previewed(author_client, url, chapter_form(title="The Ford", summary="They cross.", body="Cold water."))

    shown = preview_part(page)
    assert "Chapter 3: The Ford" in shown and "They cross." in shown and "Cold water." in shown
    assert '<dd class="chapters">3/?</dd>' in shown
    assert "Cold water." not in client.get(story.get_absolute_url() + "?view_full_work=true").content.decode()


def test_an_edit_previews_without_changing_what_readers_see_or_keeping_a_revision(author, author_client, client):
    story = make_story(author=author, title="Orchard", body="The apples were green.")
    chapter = story.chapters.get()
    client.get(chapter.get_absolute_url())
    client.get(chapter.get_absolute_url())  # kept in the shared cache

    page = previewed(
        author_client,
        f"/works/{story.pk}/chapters/{chapter.pk}/edit",
        chapter_form(body="The apples were red.", summary="Autumn."),
    )

    assert "The apples were red." in preview_part(page) and "Autumn." in preview_part(page)
    assert "The apples were red.</textarea>" in page
    for _ in range(2):  # neither the page kept before nor one rendered now shows the preview
        reader_page = client.get(chapter.get_absolute_url()).content.decode()
        assert "The apples were green." in reader_page and "apples were red" not in reader_page
    chapter.refresh_from_db()
    assert "green" in chapter.body and chapter.summary == ""


def test_a_work_edit_previews_its_new_details_and_saves_none(author, author_client, client):
    story = make_story(author=author, title="Orchard", characters=["Persephone"], end_notes="<p>Thanks.</p>")
    client.get(story.get_absolute_url())
    data = work_form_data(
        title="Orchard in Winter", summary="Snow.", characters="Persephone, Hades Himself", end_notes="Thanks."
    )
    data = {key: value for key, value in data.items() if not key.startswith("chapter-")}

    page = previewed(author_client, f"/works/{story.pk}/edit", data)

    shown = preview_part(page)
    assert "Orchard in Winter" in shown and "Snow." in shown and "Hades Himself" in shown and "Thanks." in shown
    assert "Edit work: Orchard</h2>" in page  # the form names the work as saved
    story.refresh_from_db()
    assert story.title == "Orchard" and story.summary == ""
    assert "Orchard in Winter" not in client.get(story.get_absolute_url()).content.decode()


def test_a_preview_is_sanitized_like_the_work_itself(author_client):
    page = previewed(
        author_client,
        "/works/new",
        work_form_data(
            summary='<script>alert(1)</script><a href="javascript:alert(2)">x</a>',
            **{"chapter-summary": '<img src=x onerror="alert(3)">'},
        ),
    )
    shown = preview_part(page)
    assert "<script>alert(1)" not in shown and "javascript:" not in shown and "onerror" not in shown


def test_only_the_works_authors_can_preview_on_it(author, client):
    story = make_story(author=author)
    stranger = UserFactory()
    client.force_login(stranger)
    response = client.post(f"/works/{story.pk}/chapters/new", {**chapter_form(), "action": "preview"})
    assert response.status_code == 404
    assert client.post(reverse("stories:edit", args=[story.pk]), {"action": "preview"}).status_code == 404


def test_a_chapter_preview_costs_the_same_queries_for_a_long_work(author, author_client, django_assert_max_num_queries):
    author_client.get("/")  # her account is read once, then kept (archive/accounts/kept.py)
    counts = []
    for chapters in (2, 25):
        story = make_story(author=author, chapters=chapters)
        with django_assert_max_num_queries(25) as captured:
            response = author_client.post(f"/works/{story.pk}/chapters/new", {**chapter_form(), "action": "preview"})
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_a_work_edit_preview_keeps_the_end_notes_at_the_end_of_a_longer_work(author, author_client):
    story = make_story(author=author, title="Orchard", chapters=3)
    data = work_form_data(title="Orchard", notes="Before.", end_notes="Thanks for reading to the end.")
    data = {key: value for key, value in data.items() if not key.startswith("chapter-")}

    shown = preview_part(previewed(author_client, f"/works/{story.pk}/edit", data))

    assert "Before." in shown
    assert "Thanks for reading to the end." not in shown
    assert 'id="work_endnotes"' not in shown
    last = story.chapters.order_by("position").last()
    assert f'<a href="{last.get_absolute_url()}#work_endnotes">more notes</a>' in shown


def test_a_one_chapter_work_edit_preview_ends_with_its_end_notes(author, author_client):
    story = make_story(author=author, title="Orchard")
    data = work_form_data(title="Orchard", end_notes="Thanks for reading to the end.")
    data = {key: value for key, value in data.items() if not key.startswith("chapter-")}

    shown = preview_part(previewed(author_client, f"/works/{story.pk}/edit", data))

    assert shown.index("Once upon a time") < shown.index("Thanks for reading to the end.")
