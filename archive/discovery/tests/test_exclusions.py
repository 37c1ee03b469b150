"""Saved exclusions and muting (archive/discovery/exclusions.py), on every list a reader reads."""

import pytest
from django.test import Client

from archive.accounts.tests.factories import UserFactory, logged_in
from archive.bookmarks.services import create_bookmark
from archive.comments.services import post_comment
from archive.discovery.exclusions import COOKIE, Exclusions
from archive.discovery.services import mute, save_exclusions
from archive.discovery.tests.helpers import synonym
from archive.stories.choices import Rating, Warning
from archive.stories.tests.factories import edit_form_data, make_story

pytestmark = pytest.mark.django_db

# Every list of works a reader reads, and a URL for it. All three works below are in
# "Greek Mythology" and tagged "Persephone", and written by "author".
LISTS = {
    "front page": "/",
    "tag page": "/tags/Persephone/works",
    "search": "/works/search?fandoms=Greek+Mythology",
    "author page": "/users/author/works",
    "bookmarks": "/users/fan/bookmarks",  # a reader who bookmarked every one of them
}


@pytest.fixture
def works(author):
    kept = make_story(author=author, title="Kept Orchard", characters=["Persephone"])
    other = UserFactory(username="other")
    found = {
        "kept": kept,
        "tagged": make_story(author=author, title="Tagged Meadow", characters=["Persephone"], freeforms=["Angst"]),
        "explicit": make_story(
            author=author, title="Explicit River", characters=["Persephone"], rating=Rating.EXPLICIT
        ),
        "warned": make_story(
            author=author, title="Warned Cave", characters=["Persephone"], warnings=Warning.MAJOR_CHARACTER_DEATH
        ),
        "crossover": make_story(
            author=author, title="Crossover Sea", characters=["Persephone"], fandoms=["Greek Mythology", "Star Trek"]
        ),
        "cowritten": _cowritten(author, other),
        "other": other,
    }
    fan = UserFactory(username="fan")
    for story in [story for story in found.values() if hasattr(story, "chapters")]:
        create_bookmark(user=fan, story=story)
    return found


def _cowritten(author, other):
    story = make_story(author=author, title="Cowritten Field", characters=["Persephone"])
    story.authors.add(other)
    return story


EXCLUSIONS = {
    "tagged": lambda ids: Exclusions(tag_ids=(ids["Angst"],)),
    "explicit": lambda ids: Exclusions(rating_cap=Rating.MATURE),
    "warned": lambda ids: Exclusions(warnings=Warning.MAJOR_CHARACTER_DEATH),
    "crossover": lambda ids: Exclusions(crossovers=True),
    "cowritten": lambda ids: Exclusions(muted_ids=(ids["other"],)),
}


def _ids(works) -> dict:
    from archive.tags.models import Tag

    return {"Angst": Tag.objects.get(name="Angst").pk, "other": works["other"].pk}


@pytest.mark.parametrize("page", LISTS)
@pytest.mark.parametrize("kind", EXCLUSIONS)
def test_each_saved_exclusion_hides_its_works_from_each_list_and_says_how_many(reader, works, page, kind):
    save_exclusions(user=reader, exclusions=EXCLUSIONS[kind](_ids(works)))
    if kind == "cowritten":
        mute(user=reader, muted=works["other"])
    client = logged_in(reader)
    html = client.get(LISTS[page]).content.decode()
    assert works[kind].title not in html
    assert "Kept Orchard" in html
    assert "1 work hidden by your exclusions" in html

    shown = client.get(LISTS[page], {"show_excluded": "1"} if "?" not in LISTS[page] else None)
    if "?" in LISTS[page]:
        shown = client.get(LISTS[page] + "&show_excluded=1")
    assert works[kind].title in shown.content.decode()
    assert "Hide them again" in shown.content.decode()


def test_a_reader_without_exclusions_sees_every_work_and_no_note(reader, works):
    html = logged_in(reader).get("/").content.decode()
    assert all(title in html for title in ["Tagged Meadow", "Explicit River", "Crossover Sea"])
    assert "hidden by your exclusions" not in html


def test_excluding_a_canonical_tag_hides_works_tagged_with_its_synonyms(author, reader, wrangler):
    make_story(author=author, title="Sad Synonym", freeforms=["Sadness"])
    make_story(author=author, title="Plain Angst", freeforms=["Angst"])
    make_story(author=author, title="Happy", freeforms=["Fluff"])
    synonym("Sadness", of="Angst", user=wrangler)
    client = logged_in(reader)
    response = client.post("/exclusions", {"tags": "sadness"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert "Sad Synonym" not in html and "Plain Angst" not in html
    assert "Happy" in html
    assert "2 works hidden" in html


def test_an_unknown_tag_is_refused_next_to_the_field_and_what_was_typed_is_kept(reader):
    client = logged_in(reader)
    response = client.post("/exclusions", {"tags": "Nowhere Tag, Also Nothing", "crossovers": "on"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is no tag called" in html and "Nowhere Tag, Also Nothing" in html
    reader.refresh_from_db()
    assert reader.excluded_tag_ids == [] and not reader.exclude_crossovers


def test_preferences_show_the_exclusions_form_with_what_is_saved(reader, works):
    save_exclusions(user=reader, exclusions=Exclusions(tag_ids=(_ids(works)["Angst"],), crossovers=True))
    html = logged_in(reader).get("/preferences").content.decode()
    assert 'action="/exclusions"' in html
    assert "Angst" in html


def test_muting_from_the_profile_hides_their_works_comments_and_bookmarks(author, reader):
    muted = UserFactory(username="loud")
    make_story(author=muted, title="Loud Work")
    mine = make_story(author=author, title="Quiet Work")
    post_comment(chapter=mine.chapters.get(), user=muted, body="<p>A loud remark</p>")
    create_bookmark(user=muted, story=mine, note="<p>A loud note</p>")
    client = logged_in(reader)

    profile = client.get("/users/loud/profile").content.decode()
    assert 'action="/users/loud/mute"' in profile
    assert client.post("/users/loud/mute").status_code == 302

    assert "Loud Work" not in client.get("/").content.decode()
    assert "A loud remark" not in client.get(mine.get_absolute_url()).content.decode()
    assert "A loud note" not in client.get(f"/works/{mine.pk}/bookmarks").content.decode()
    assert "Quiet Work" not in client.get("/users/loud/bookmarks").content.decode()
    listed = client.get("/users/reader/muted").content.decode()
    assert "loud" in listed and "Unmute" in listed

    # Anyone else still sees all of it.
    other = logged_in(UserFactory())
    assert "A loud remark" in other.get(mine.get_absolute_url()).content.decode()
    assert "Loud Work" in Client().get("/").content.decode()

    client.post("/users/loud/unmute", {"from": "muted"})
    assert "Loud Work" in client.get("/").content.decode()


def test_the_muted_list_is_the_readers_own(reader):
    assert logged_in(UserFactory(username="someone")).get("/users/reader/muted").status_code == 404


def test_a_reader_cannot_mute_themselves(reader):
    client = logged_in(reader)
    client.post("/users/reader/mute")
    reader.refresh_from_db()
    assert reader.muted_ids == []


def test_a_logged_out_reader_keeps_exclusions_in_a_cookie_and_the_page_cache_stays_clean(works):
    plain = Client()
    assert "Tagged Meadow" in plain.get("/").content.decode()  # now kept in the shared cache
    assert "Tagged Meadow" in plain.get("/").content.decode()

    excluding = Client()
    response = excluding.post("/exclusions", {"tags": "Angst", "rating_cap": "mature"})
    assert response.status_code == 302 and COOKIE in response.cookies
    page = excluding.get("/")
    html = page.content.decode()
    assert "Tagged Meadow" not in html and "Explicit River" not in html
    assert "2 works hidden by your exclusions" in html
    assert "private" in page["Cache-Control"]

    # A reader without the cookie, after, sees everything: nothing filtered was kept for them.
    for _ in range(2):
        html = Client().get("/").content.decode()
        assert "Tagged Meadow" in html and "Explicit River" in html
        assert "hidden by your exclusions" not in html


def test_a_tampered_cookie_is_ignored(works):
    client = Client()
    client.cookies[COOKIE] = "not-signed"
    assert "Tagged Meadow" in client.get("/").content.decode()


def test_a_reader_with_exclusions_is_not_served_the_readers_shared_copy(works):
    other = logged_in(UserFactory())
    assert "Tagged Meadow" in other.get("/tags/Persephone/works").content.decode()  # kept for readers
    excluding = UserFactory()
    save_exclusions(user=excluding, exclusions=Exclusions(tag_ids=(_ids(works)["Angst"],)))
    assert "Tagged Meadow" not in logged_in(excluding).get("/tags/Persephone/works").content.decode()
    assert "Tagged Meadow" in other.get("/tags/Persephone/works").content.decode()


@pytest.mark.usefixtures("page_cache_off")
@pytest.mark.parametrize(
    "url", ["/", "/tags/Persephone/works", "/users/author/works", "/works/search?characters=Persephone"]
)
def test_ten_saved_exclusions_cost_one_count_query_whatever_the_number_of_works(
    author, reader, django_assert_max_num_queries, url
):
    for number in range(3):
        make_story(author=author, title=f"Work {number}", characters=["Persephone"], freeforms=[f"Trope {number}"])
    client = logged_in(reader)
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as plain:
        client.get(url)
    from archive.tags.models import Tag

    excluded = []
    for number in range(10):
        excluded.append(make_story(author=author, freeforms=[f"Excluded {number}"], characters=["Persephone"]))
    ids = tuple(Tag.objects.filter(name__startswith="Excluded").values_list("pk", flat=True))
    save_exclusions(user=reader, exclusions=Exclusions(tag_ids=ids))
    mute(user=reader, muted=UserFactory())
    for number in range(3, 20):
        make_story(author=author, title=f"Work {number}", characters=["Persephone"], freeforms=[f"Trope {number}"])
    client = logged_in(reader)
    with django_assert_max_num_queries(len(plain.captured_queries) + 1):
        html = client.get(url).content.decode()
    assert "10 works hidden by your exclusions" in html


def test_a_logged_out_reader_clears_their_exclusions_by_saving_none(works):
    client = Client()
    client.post("/exclusions", {"tags": "Angst"})
    assert "Tagged Meadow" not in client.get("/").content.decode()
    response = client.post("/exclusions", {"tags": ""})
    assert response.cookies[COOKIE].value == ""
    assert "Tagged Meadow" in client.get("/").content.decode()


def test_a_logged_out_reader_with_exclusions_is_told_so_on_the_form(works):
    client = Client()
    client.post("/exclusions", {"crossovers": "on"})
    html = client.get("/exclusions").content.decode()
    assert "saved in this browser" in html and "checked" in html


def test_a_reader_who_muted_someone_is_not_served_a_work_page_kept_for_other_readers(author, reader):
    loud = UserFactory(username="loud")
    work = make_story(author=author, title="Quiet Work")
    post_comment(chapter=work.chapters.get(), user=loud, body="<p>A loud remark</p>")
    other = logged_in(UserFactory())
    assert "A loud remark" in other.get(work.get_absolute_url()).content.decode()  # kept for readers
    mute(user=reader, muted=loud)
    assert "A loud remark" not in logged_in(reader).get(work.get_absolute_url()).content.decode()


def test_a_work_page_is_still_served_from_the_cache_to_a_logged_out_reader_with_exclusions(
    works, django_assert_num_queries
):
    url = works["kept"].get_absolute_url()
    Client().get(url)  # kept
    client = Client()
    client.post("/exclusions", {"tags": "Angst"})
    with django_assert_num_queries(0):
        assert "Kept Orchard" in client.get(url).content.decode()


def test_an_edit_that_adds_a_warning_or_a_second_fandom_hides_the_work_from_those_excluding_it(author, reader):
    story = make_story(author=author, title="Quiet Harbour", characters=["Persephone"])
    save_exclusions(user=reader, exclusions=Exclusions(warnings=Warning.MAJOR_CHARACTER_DEATH, crossovers=True))
    client, author_client = logged_in(reader), logged_in(author)

    def edit(**fields):
        data = edit_form_data(story, characters="Persephone", **fields)
        assert author_client.post(f"/works/{story.pk}/edit", data).status_code == 302

    assert "Quiet Harbour" in client.get("/tags/Persephone/works").content.decode()
    edit(warnings=[Warning.MAJOR_CHARACTER_DEATH])
    assert "Quiet Harbour" not in client.get("/tags/Persephone/works").content.decode()
    edit(warnings=[Warning.NONE_APPLY], fandoms="Greek Mythology, Star Trek")
    assert "Quiet Harbour" not in client.get("/tags/Persephone/works").content.decode()
    edit(warnings=[Warning.NONE_APPLY], fandoms="Greek Mythology")
    assert "Quiet Harbour" in client.get("/tags/Persephone/works").content.decode()


FEEDS = {"tag feed": "/tags/Persephone/feed.atom", "author feed": "/users/author/works/feed.atom"}


@pytest.mark.parametrize("feed", FEEDS)
@pytest.mark.parametrize("kind", EXCLUSIONS)
def test_a_feed_opened_logged_in_leaves_out_what_the_readers_exclusions_hide(reader, works, feed, kind):
    plain = Client()
    assert works[kind].title in plain.get(FEEDS[feed]).content.decode()  # now kept in the shared cache
    save_exclusions(user=reader, exclusions=EXCLUSIONS[kind](_ids(works)))
    if kind == "cowritten":
        mute(user=reader, muted=works["other"])
    client = logged_in(reader)

    atom = client.get(FEEDS[feed]).content.decode()
    assert works[kind].title not in atom and "Kept Orchard" in atom
    assert works[kind].title in client.get(FEEDS[feed], {"show_excluded": "1"}).content.decode()
    assert works[kind].title in plain.get(FEEDS[feed]).content.decode()  # others' copy is untouched


def test_a_logged_out_readers_feed_leaves_out_what_their_cookie_excludes(works):
    client = Client()
    client.post("/exclusions", {"tags": "Angst"})

    response = client.get(FEEDS["tag feed"])
    assert "Tagged Meadow" not in response.content.decode()
    assert "public" not in response.get("Cache-Control", "")
    assert "Tagged Meadow" in Client().get(FEEDS["tag feed"]).content.decode()
