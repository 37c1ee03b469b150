"""The admin is a writer like the others: whatever staff change there, every derived value (counts,
filter ids, use counts, search documents) follows, and what readers see changes at once."""

from html.parser import HTMLParser

import pytest
from django.test import Client

from archive.accounts.tests.factories import UserFactory
from archive.bookmarks.services import create_bookmark
from archive.chapters.models import Chapter
from archive.comments.models import Comment
from archive.comments.services import post_comment
from archive.kudos.models import Kudos
from archive.kudos.services import leave_kudos
from archive.stories.integrity import stale_values
from archive.stories.models import Story, StoryTag
from archive.stories.tests.factories import make_story
from archive.tags.models import Tag
from archive.wrangling.models import WranglingLog

pytestmark = pytest.mark.django_db


class _FormFields(HTMLParser):
    """The values a browser would send for the admin's change form, as it shows them."""

    def __init__(self):
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append((name, attrs.get("value") or ("on" if attrs.get("type") == "checkbox" else "")))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields.append((self._select, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""

    def handle_data(self, data):
        if self._textarea:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.fields.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None


def change_form(client: Client, url: str, **changes) -> dict:
    parser = _FormFields()
    parser.feed(client.get(url).content.decode())
    data: dict = {}
    for name, value in parser.fields:
        data.setdefault(name, []).append(value)
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value if isinstance(value, list) else [value]
    return data


@pytest.fixture
def staff(db) -> Client:
    client = Client()
    client.force_login(UserFactory(username="staffer", is_staff=True, is_superuser=True))
    return client


def test_restricting_a_work_in_the_admin_hides_it_from_logged_out_readers_at_once(staff, client, author):
    story = make_story(author=author, title="Only For Members", fandoms=["Lighthouse Keepers"])
    fandom = Tag.objects.get(name="Lighthouse Keepers")
    assert client.get(story.get_absolute_url()).status_code == 200
    assert fandom.use_count == 1

    url = f"/admin/stories/story/{story.pk}/change/"
    response = staff.post(url, change_form(staff, url, restricted="on"))

    assert response.status_code == 302
    assert client.get(story.get_absolute_url()).status_code == 404
    assert "Only For Members" not in client.get("/tags/Lighthouse Keepers/works").content.decode()
    fandom.refresh_from_db()
    assert fandom.use_count == 0
    assert stale_values() == []


def test_tags_changed_in_the_admin_move_filter_ids_use_counts_and_search(staff, client, author):
    story = make_story(author=author, title="Retagged", freeforms=["Fluff"])
    make_story(author=author, title="Other", freeforms=["Angst"])
    angst = Tag.objects.get(name="Angst")
    link = StoryTag.objects.get(content_object=story, tag__name="Fluff")
    url = f"/admin/stories/story/{story.pk}/change/"
    data = change_form(staff, url)
    row = next(key.split("-")[1] for key, value in data.items() if key.endswith("-id") and value == [str(link.pk)])
    data[f"tag_links-{row}-tag"] = [str(angst.pk)]

    response = staff.post(url, data)

    assert response.status_code == 302
    story.refresh_from_db()
    assert angst.pk in story.filter_ids
    assert Tag.objects.get(name="Fluff").use_count == 0
    assert Tag.objects.get(name="Angst").use_count == 2
    assert "Retagged" in client.get("/works/search", {"q": "Angst"}).content.decode()
    assert stale_values() == []


def test_an_impossible_expected_chapter_count_is_refused_next_to_the_field(staff, author):
    story = make_story(author=author, chapters=3, expected_chapters=3)

    url = f"/admin/stories/story/{story.pk}/change/"
    response = staff.post(url, change_form(staff, url, expected_chapters="2"))

    assert response.status_code == 200
    assert "already has 3 posted chapters" in response.content.decode()
    assert Story.objects.get(pk=story.pk).expected_chapters == 3


def test_html_typed_in_the_admin_is_cleaned_like_the_authors(staff, client, author):
    story = make_story(author=author)
    url = f"/admin/stories/story/{story.pk}/change/"
    staff.post(url, change_form(staff, url, summary='<p onclick="alert(1)">Hi</p><script>alert(2)</script>'))

    assert Story.objects.get(pk=story.pk).summary == "<p>Hi</p>"


def test_editing_a_chapter_in_the_admin_recounts_its_words_and_keeps_a_revision(staff, author):
    story = make_story(author=author, body="Five words are here now.")
    chapter = story.chapters.get()

    url = f"/admin/chapters/chapter/{chapter.pk}/change/"
    response = staff.post(url, change_form(staff, url, body="<p>Two words.</p><script>x</script>"))

    assert response.status_code == 302
    chapter.refresh_from_db()
    assert chapter.body == "<p>Two words.</p>"
    assert chapter.word_count == 2
    assert Story.objects.get(pk=story.pk).word_count == 2
    assert chapter.revisions.count() == 1
    assert stale_values(chapter_text=True) == []


def test_a_works_only_chapter_cannot_be_deleted_in_the_admin(staff, author):
    chapter = make_story(author=author).chapters.get()

    response = staff.post(f"/admin/chapters/chapter/{chapter.pk}/delete/", {"post": "yes"})

    assert response.status_code == 403
    assert Chapter.objects.filter(pk=chapter.pk).exists()


def test_deleting_comments_and_kudos_in_the_admin_recounts_the_work(staff, author, reader):
    story = make_story(author=author)
    comment = post_comment(chapter=story.chapters.get(), user=reader, body="Lovely.")
    leave_kudos(story=story, user=reader, ip="")
    kudos = Kudos.objects.get(story=story)

    staff.post(f"/admin/comments/comment/{comment.pk}/delete/", {"post": "yes"})
    staff.post(f"/admin/kudos/kudos/{kudos.pk}/delete/", {"post": "yes"})

    story.refresh_from_db()
    assert (story.comment_count, story.kudos_count) == (0, 0)
    assert not Comment.objects.exists()
    assert stale_values() == []


def test_approving_held_comments_in_the_admin_counts_them(staff, author, reader):
    story = make_story(author=author, moderate_comments=True)
    comment = post_comment(chapter=story.chapters.get(), user=reader, body="Held.")
    assert Story.objects.get(pk=story.pk).comment_count == 0

    staff.post("/admin/comments/comment/", {"action": "approve", "_selected_action": [comment.pk]})

    assert Story.objects.get(pk=story.pk).comment_count == 1
    assert stale_values() == []


def test_what_a_tag_means_is_read_only_in_the_admin_and_changed_by_wrangling(staff, author):
    make_story(author=author, characters=["Carol"])
    carol = Tag.objects.get(name="Carol")

    url = f"/admin/tags/tag/{carol.pk}/change/"
    page = staff.get(url).content.decode()
    staff.post(url, {"name": "Caroline", "canonical": "on"})

    carol.refresh_from_db()
    assert (carol.name, carol.canonical) == ("Carol", False)
    assert "/wrangling/tags/Carol" in page


def test_deleting_a_tag_in_the_admin_takes_it_off_its_works_and_logs_it(staff, author):
    story = make_story(author=author, freeforms=["Misspeled"])
    tag = Tag.objects.get(name="Misspeled")

    staff.post(f"/admin/tags/tag/{tag.pk}/delete/", {"post": "yes"})

    assert tag.pk not in Story.objects.get(pk=story.pk).filter_ids
    assert WranglingLog.objects.filter(tag_name="Misspeled", action=WranglingLog.Action.DELETE).exists()
    assert stale_values() == []


def test_deleting_a_user_in_the_admin_recounts_every_work_they_touched(staff, author):
    story = make_story(author=author)
    leaver = UserFactory(username="leaver")
    post_comment(chapter=story.chapters.get(), user=leaver, body="Bye.")
    leave_kudos(story=story, user=leaver, ip="")
    create_bookmark(user=leaver, story=story)

    staff.post(f"/admin/accounts/user/{leaver.pk}/delete/", {"post": "yes"})

    story.refresh_from_db()
    # The comment stays, from "(deleted account)"; the kudos and bookmark go.
    assert (story.comment_count, story.kudos_count, story.bookmark_count) == (1, 0, 0)
    assert stale_values() == []
