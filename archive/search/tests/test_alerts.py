"""A newly posted work tells the readers whose saved searches it matches, by inbox and e-mail,
once, in a fixed number of queries however many saved searches there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive.accounts.tests.factories import UserFactory
from archive.discovery.tests.helpers import synonym
from archive.notifications.models import Kind, Notification, Preferences
from archive.notifications.services import subscribe
from archive.publishing.services import add_chapter, post_story
from archive.search.alerts import saved_searches_matching
from archive.search.models import SavedSearch
from archive.search.services import save_search
from archive.stories.choices import Rating
from archive.stories.tests.factories import make_story
from archive.tags.models import Tag
from archive.wrangling import services as wrangling

pytestmark = pytest.mark.django_db


@pytest.fixture
def tags(author):
    """The tags the searches below name exist (an unknown tag matches nothing)."""
    make_story(author=author, title="Old", characters=["Persephone", "Hades"], freeforms=["Angst", "Fluff"])


def post(author, **fields):
    return make_story(author=author, **fields)


def inbox(user) -> list[tuple[str, str]]:
    return list(Notification.objects.filter(recipient=user).order_by("id").values_list("kind", "text"))


def test_a_matching_new_work_reaches_the_inbox_and_a_verified_e_mail(
    tags, author, reader, mailoutbox, django_capture_on_commit_callbacks
):
    save_search(user=reader, name="Persephone", query="characters=Persephone")

    with django_capture_on_commit_callbacks(execute=True):
        story = post(author, title="Spring", characters=["Persephone"])

    assert inbox(reader) == [
        (Kind.SAVED_SEARCH_MATCH, "New work for your saved search “Persephone”: “Spring” by author")
    ]
    [email] = mailoutbox
    assert email.to == [reader.email]
    assert "Spring" in email.subject and f"/works/{story.pk}" in email.body


def test_no_e_mail_to_an_unverified_address_or_when_switched_off(
    tags, author, reader, mailoutbox, django_capture_on_commit_callbacks
):
    unverified = UserFactory(username="unverified", email_verified=False)
    Preferences.objects.create(user=reader, email_saved_search_match=False)
    for user in (reader, unverified):
        save_search(user=user, name="Persephone", query="characters=Persephone")

    with django_capture_on_commit_callbacks(execute=True):
        post(author, title="Spring", characters=["Persephone"])

    assert [kind for kind, _ in inbox(reader)] == [Kind.SAVED_SEARCH_MATCH]
    assert [kind for kind, _ in inbox(unverified)] == [Kind.SAVED_SEARCH_MATCH]
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("query", "fields", "matches"),
    [
        ("characters=Persephone%2CHades", {"characters": ["Persephone", "Hades"]}, True),
        ("characters=Persephone%2CHades", {"characters": ["Persephone"]}, False),
        ("characters=Persephone&excluded=Angst", {"characters": ["Persephone"], "freeforms": ["Fluff"]}, True),
        ("characters=Persephone&excluded=Angst", {"characters": ["Persephone"], "freeforms": ["Angst"]}, False),
        ("rating=explicit", {"rating": Rating.EXPLICIT}, True),
        ("rating=explicit", {"rating": Rating.GENERAL}, False),
        ("q=pomegranate", {"summary": "She ate the pomegranate seeds."}, True),
        ("q=pomegranate", {"summary": "She ate the apple."}, False),
        ("q=pomegranate&characters=Hades", {"summary": "pomegranate", "characters": ["Persephone"]}, False),
        ("language=fr", {"language": "en"}, False),
        ("words_from=1000", {}, False),
        ("words_to=1000", {}, True),
        ("characters=Nobody+Knows", {"characters": ["Persephone"]}, False),
    ],
)
def test_what_matches_is_what_the_search_finds(
    query, fields, matches, tags, author, reader, django_capture_on_commit_callbacks
):
    save_search(user=reader, name="Mine", query=query)

    with django_capture_on_commit_callbacks(execute=True):
        post(author, title="New", **fields)

    assert bool(inbox(reader)) is matches


def test_a_search_saved_on_a_tag_page_matches_with_its_filters(
    tags, author, reader, django_capture_on_commit_callbacks
):
    persephone = Tag.objects.named("Persephone").get()
    save_search(user=reader, name="Mature Persephone", query="rating=mature", tag=persephone)

    with django_capture_on_commit_callbacks(execute=True):
        post(author, title="Tame", characters=["Persephone"])
        post(author, title="Dark", characters=["Persephone"], rating=Rating.MATURE)

    assert [text for _, text in inbox(reader)] == [
        "New work for your saved search “Mature Persephone”: “Dark” by author"
    ]


def test_alerts_off_its_owners_own_work_and_new_chapters_tell_no_one(
    tags, author, reader, django_capture_on_commit_callbacks
):
    quiet = save_search(user=reader, name="Quiet", query="characters=Persephone")
    quiet.alerts = False
    quiet.save()
    save_search(user=author, name="My own", query="characters=Persephone")

    with django_capture_on_commit_callbacks(execute=True):
        story = post(author, title="Spring", characters=["Persephone"])
    save_search(user=reader, name="Loud", query="characters=Persephone")
    with django_capture_on_commit_callbacks(execute=True):
        add_chapter(story=story, fields={"title": "", "notes": "", "end_notes": "", "body": "<p>More.</p>"}, post=True)

    assert not Notification.objects.filter(kind=Kind.SAVED_SEARCH_MATCH).exists()


def test_a_draft_is_matched_when_it_is_posted(tags, author, reader, django_capture_on_commit_callbacks):
    save_search(user=reader, name="Persephone", query="characters=Persephone")
    with django_capture_on_commit_callbacks(execute=True):
        draft = make_story(author=author, title="Later", characters=["Persephone"], post=False)
    assert inbox(reader) == []

    with django_capture_on_commit_callbacks(execute=True):
        post_story(story=draft)

    assert len(inbox(reader)) == 1


def test_a_reader_hears_once_however_many_reasons(tags, author, reader, mailoutbox, django_capture_on_commit_callbacks):
    subscribe(user=reader, author=author)
    save_search(user=reader, name="One", query="characters=Persephone")
    save_search(user=reader, name="Two", query="q=spring")

    with django_capture_on_commit_callbacks(execute=True):
        post(author, title="Spring", characters=["Persephone"])

    assert [kind for kind, _ in inbox(reader)] == [Kind.NEW_STORY_BY_AUTHOR]
    assert len(mailoutbox) == 1


def _matching_queries(story_id: int) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        found = saved_searches_matching(story_id=story_id)
    return len(captured.captured_queries), len(found)


def test_matching_costs_the_same_queries_for_3_or_30_saved_searches(tags, author):
    story = post(author, title="Spring", characters=["Persephone", "Hades"], summary="pomegranate")
    shapes = ["characters=Persephone", "q=pomegranate", "characters=Hades&excluded=Angst", "q=winter"]
    readers = [UserFactory(username=f"r{n}") for n in range(30)]
    for n, user in enumerate(readers[:3]):
        save_search(user=user, name="s", query=shapes[n % len(shapes)])
    few, found_few = _matching_queries(story.pk)
    for n, user in enumerate(readers[3:], start=3):
        save_search(user=user, name="s", query=shapes[n % len(shapes)])
    many, found_many = _matching_queries(story.pk)

    assert found_few == 3 and found_many > found_few
    assert many == few <= 4


def test_the_candidates_come_from_the_required_ids(tags, author, reader):
    saved = save_search(user=reader, name="Both", query="characters=Persephone%2CHades&rating=general")

    ids = set(SavedSearch.objects.get(pk=saved.pk).required_ids)

    persephone, hades = (Tag.objects.named(name).get().pk for name in ("Persephone", "Hades"))
    assert {persephone, hades} < ids and len(ids) == 3  # and the rating's id


def test_the_excluded_ids_keep_a_search_from_being_a_candidate(tags, author, reader):
    saved = save_search(
        user=reader, name="No angst", query="characters=Persephone&excluded=Angst&exclude_rating=mature"
    )
    angst = Tag.objects.named("Angst").get().pk

    assert angst in SavedSearch.objects.get(pk=saved.pk).excluded_ids
    story = post(author, title="Sad", characters=["Persephone"], freeforms=["Angst"])
    assert saved_searches_matching(story_id=story.pk) == []


# Wrangling changes what a saved search's names mean: its alerts follow.


def _new_works_told(reader) -> list[str]:
    return [text.split(": ", 1)[1] for _, text in inbox(reader)]


def test_a_saved_search_naming_a_tag_made_a_synonym_hears_of_works_with_its_canonical_tag(
    tags, author, reader, wrangler, django_capture_on_commit_callbacks
):
    make_story(author=author, characters=["Persephone (Greek Myth)"])
    save_search(user=reader, name="Persephone", query="characters=Persephone")
    with django_capture_on_commit_callbacks(execute=True):
        synonym("Persephone", of="Persephone (Greek Myth)", user=wrangler)

    with django_capture_on_commit_callbacks(execute=True):
        post(author, title="Spring", characters=["Persephone (Greek Myth)"])

    assert _new_works_told(reader) == ["“Spring” by author"]


def test_a_search_saved_on_a_tag_page_follows_the_tag_into_its_canonical_or_merged_tag(
    tags, author, reader, wrangler, django_capture_on_commit_callbacks
):
    make_story(author=author, characters=["Kore"])
    make_story(author=author, characters=["Proserpina"])
    saved = save_search(user=reader, name="Persephone", query="", tag=Tag.objects.named("Persephone").get())
    with django_capture_on_commit_callbacks(execute=True):
        synonym("Persephone", of="Kore", user=wrangler)
        proserpina = wrangling.make_canonical(tag=Tag.objects.named("Proserpina").get(), user=wrangler)
        wrangling.merge(tag=Tag.objects.named("Kore").get(), into=proserpina, user=wrangler)

    saved.refresh_from_db()
    assert saved.get_absolute_url() == Tag.objects.named("Proserpina").get().get_absolute_url()
    with django_capture_on_commit_callbacks(execute=True):
        post(author, title="Spring", characters=["Proserpina"])
    assert _new_works_told(reader) == ["“Spring” by author"]
