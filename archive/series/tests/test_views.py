import re

import pytest
from django.urls import reverse

from archive.accounts.tests.factories import UserFactory, logged_in
from archive.bookmarks.models import Bookmark
from archive.notifications.models import Subscription
from archive.publishing.services import add_chapter, update_story
from archive.series.models import Series
from archive.series.services import add_work, update_series
from archive.series.tests.factories import make_series, parts
from archive.stories.tests.factories import BLANK_WORK_FORM, make_story

pytestmark = pytest.mark.django_db

SERIES_DD = re.compile(r'<dd class="series">.*?</dd>', re.S)


@pytest.fixture
def trilogy(author):
    works = [make_story(author=author, title=title) for title in ("Descent", "Bargain", "Return")]
    return make_series(creator=author, works=works, summary="<p>Down and back.</p>", notes="<p>For the exchange.</p>")


def series_block(response) -> str:
    found = SERIES_DD.search(response.content.decode())
    return found.group(0) if found else ""


def _works(series):
    return [link.story for link in series.series_works.select_related("story").order_by("position")]


# The series page


def test_the_series_page_shows_its_details_stats_and_works_in_order(client, trilogy, author):
    page = client.get(trilogy.get_absolute_url()).content.decode()
    assert "The Underworld Cycle" in page
    assert author.username in page
    assert "Down and back." in page and "For the exchange." in page
    assert re.search(r'<dd class="works">3</dd>', page)
    assert re.search(r'<dd class="complete">No</dd>', page)
    assert page.index("Descent") < page.index("Bargain") < page.index("Return")
    assert "Edit series" not in page


def test_guests_dont_see_drafts_or_restricted_works_in_a_series(client, reader_client, author, trilogy):
    hidden = _works(trilogy)[1]
    update_story(story=hidden, fields={"restricted": True}, tags_by_kind={"fandom": ["Greek Mythology"]})
    add_work(series=trilogy, story=make_story(author=author, title="Unfinished", post=False))
    guest = client.get(trilogy.get_absolute_url()).content.decode()
    assert "Bargain" not in guest and "Unfinished" not in guest
    assert re.search(r'<dd class="works">2</dd>', guest)
    member = reader_client.get(trilogy.get_absolute_url()).content.decode()
    assert "Bargain" in member and "Unfinished" not in member


def test_a_series_with_nothing_posted_is_a_404_to_all_but_its_creators(client, author, author_client):
    series = make_series(creator=author, works=[make_story(author=author, title="Draft", post=False)])
    assert client.get(series.get_absolute_url()).status_code == 404
    page = author_client.get(series.get_absolute_url())
    assert page.status_code == 200
    assert "Edit series" in page.content.decode()


def test_the_series_page_costs_the_same_queries_however_many_works(client, author, django_assert_max_num_queries):
    small = make_series(creator=author, works=[make_story(author=author)])
    big = make_series(creator=author, works=[make_story(author=author) for _ in range(8)], title="Big")
    for series in (small, big):  # the cards, kept once rendered
        client.get(series.get_absolute_url(), {"nocache": 1})
    with django_assert_max_num_queries(10) as captured:
        assert client.get(small.get_absolute_url(), {"nocache": 1}).status_code == 200
    with django_assert_max_num_queries(len(captured)):
        assert client.get(big.get_absolute_url(), {"nocache": 1}).status_code == 200


# Each work's meta block


def test_a_work_page_says_which_part_it_is_with_links_to_its_neighbours(client, trilogy):
    first, second, third = _works(trilogy)
    block = series_block(client.get(second.get_absolute_url()))
    assert f'<span class="position">Part 2 of <a href="/series/{trilogy.pk}">The Underworld Cycle</a></span>' in block
    assert f'<a class="previous" href="/works/{first.pk}">' in block
    assert f'<a class="next" href="/works/{third.pk}">' in block
    assert 'class="previous"' not in series_block(client.get(first.get_absolute_url()))
    assert 'class="next"' not in series_block(client.get(third.get_absolute_url()))


def test_a_guest_is_never_led_to_a_restricted_work(client, trilogy):
    first, second, third = _works(trilogy)
    update_story(story=second, fields={"restricted": True}, tags_by_kind={"fandom": ["Greek Mythology"]})
    block = series_block(client.get(third.get_absolute_url()))
    assert "Part 2 of" in block
    assert f'<a class="previous" href="/works/{first.pk}">' in block


def test_a_work_in_no_series_has_no_series_entry(client, author):
    assert series_block(client.get(make_story(author=author).get_absolute_url())) == ""


def test_a_work_page_costs_the_same_queries_however_long_its_series(
    client, author, trilogy, django_assert_max_num_queries
):
    small = _works(trilogy)[1]
    long = make_series(creator=author, works=[make_story(author=author) for _ in range(9)], title="Long")
    big = _works(long)[4]
    for work in (small, big):
        client.get(work.get_absolute_url(), {"nocache": 1})
    with django_assert_max_num_queries(20) as captured:
        assert client.get(small.get_absolute_url(), {"nocache": 1}).status_code == 200
    with django_assert_max_num_queries(len(captured)):
        assert client.get(big.get_absolute_url(), {"nocache": 1}).status_code == 200


def test_a_series_creator_gets_no_subscribe_button_on_their_own_series(author_client, trilogy):
    page = author_client.get(trilogy.get_absolute_url()).content.decode()
    assert "subscribe-form" not in page


def test_a_series_creator_cant_subscribe_to_their_own_series_by_posting_either(author_client, author, trilogy):
    response = author_client.post(reverse("notifications:subscribe_series", args=[trilogy.pk]), follow=True)

    assert "You can subscribe to other authors&#x27; series only." in response.content.decode()
    assert not Subscription.objects.filter(series=trilogy).exists()
    refused = author_client.post(
        reverse("notifications:subscribe_series", args=[trilogy.pk]), HTTP_ACCEPT="application/json"
    )
    assert refused.status_code == 400
    assert not Subscription.objects.filter(series=trilogy).exists()


# Caching: the next logged-out reader sees each change


def test_a_renamed_series_shows_on_its_page_and_its_works_pages_at_once(client, trilogy):
    work = _works(trilogy)[0]
    for url in (trilogy.get_absolute_url(), work.get_absolute_url()):
        client.get(url)
        assert "The Underworld Cycle" in client.get(url).content.decode()
    update_series(series=trilogy, fields={"title": "Katabasis"})
    for url in (trilogy.get_absolute_url(), work.get_absolute_url()):
        assert "Katabasis" in client.get(url).content.decode()


def test_a_reordered_or_grown_series_shows_on_every_work_page_at_once(client, author, trilogy):
    first, second, third = _works(trilogy)
    for work in (first, second, third):
        client.get(work.get_absolute_url())
    add_work(series=trilogy, story=third, position=1)
    assert "Part 2 of" in series_block(client.get(first.get_absolute_url()))
    assert "Part 1 of" in series_block(client.get(third.get_absolute_url()))
    fourth = make_story(author=author, title="Coda")
    add_work(series=trilogy, story=fourth)
    assert f'href="/works/{fourth.pk}"' in series_block(client.get(second.get_absolute_url()))


def test_a_neighbour_made_restricted_leaves_the_guests_links_at_once(client, trilogy):
    first, second, _ = _works(trilogy)
    client.get(first.get_absolute_url())
    assert f'/works/{second.pk}"' in series_block(client.get(first.get_absolute_url()))
    update_story(story=second, fields={"restricted": True}, tags_by_kind={"fandom": ["Greek Mythology"]})
    assert f'/works/{second.pk}"' not in series_block(client.get(first.get_absolute_url()))


# The work form's Series box


def test_an_author_posts_a_work_into_a_new_series_then_a_second_as_part_one(author_client, author):
    response = author_client.post(reverse("chapters:story_create"), {**BLANK_WORK_FORM, "series-new_title": "Myths"})
    assert response.status_code == 302
    series = Series.objects.get(title="Myths")
    form = {**BLANK_WORK_FORM, "title": "Prologue", "series-series": series.pk, "series-part": "1"}
    assert author_client.post(reverse("chapters:story_create"), form).status_code == 302
    assert parts(series) == [(1, "Prologue"), (2, "The Long Way Round")]


def test_choosing_a_series_and_a_new_title_is_refused_next_to_the_field_and_posts_nothing(author_client, author):
    series = make_series(creator=author)
    form = {**BLANK_WORK_FORM, "series-series": series.pk, "series-new_title": "Other"}
    response = author_client.post(reverse("chapters:story_create"), form)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose one of your series or type a new title, not both." in page
    assert "They left at dawn." in page  # nothing typed is lost
    assert not author.stories.exists()


def test_another_authors_series_is_not_offered_and_cant_be_chosen(author_client):
    theirs = make_series(creator=UserFactory(), title="Not Yours")
    assert "Not Yours" not in author_client.get(reverse("chapters:story_create")).content.decode()
    response = author_client.post(reverse("chapters:story_create"), {**BLANK_WORK_FORM, "series-series": theirs.pk})
    assert response.status_code == 200
    assert not theirs.series_works.exists()


def _edit_form(story) -> dict:
    return {**BLANK_WORK_FORM, "title": story.title}


def test_editing_a_work_changes_its_part_or_takes_it_out(author_client, trilogy):
    first, second, third = _works(trilogy)
    url = reverse("stories:edit", args=[third.pk])
    assert "Part in “The Underworld Cycle”" in author_client.get(url).content.decode()
    response = author_client.post(url, {**_edit_form(third), f"series-part_{trilogy.pk}": "1"})
    assert response.status_code == 302
    assert parts(trilogy) == [(1, "Return"), (2, "Descent"), (3, "Bargain")]
    form = {**_edit_form(first), f"series-part_{trilogy.pk}": "2", f"series-remove_{trilogy.pk}": "on"}
    assert author_client.post(reverse("stories:edit", args=[first.pk]), form).status_code == 302
    assert parts(trilogy) == [(1, "Return"), (2, "Bargain")]


# The series' own pages


def test_its_creator_renames_and_reorders_a_series_without_javascript(author_client, trilogy):
    first, second, third = _works(trilogy)
    url = reverse("series:edit", args=[trilogy.pk])
    page = author_client.get(url).content.decode()
    assert "Part number of “Bargain”" in page
    form = {
        "title": "Katabasis",
        "summary": "",
        "notes": "",
        "complete": "on",
        f"order-part_{first.pk}": "3",
        f"order-part_{second.pk}": "1",
        f"order-part_{third.pk}": "2",
    }
    assert author_client.post(url, form).status_code == 302
    trilogy.refresh_from_db()
    assert (trilogy.title, trilogy.complete) == ("Katabasis", True)
    assert parts(trilogy) == [(1, "Bargain"), (2, "Return"), (3, "Descent")]


def test_a_blank_title_is_refused_next_to_the_field_and_changes_nothing(author_client, trilogy):
    first, second, third = _works(trilogy)
    form = {"title": " ", f"order-part_{first.pk}": "3", f"order-part_{second.pk}": "1", f"order-part_{third.pk}": "2"}
    response = author_client.post(reverse("series:edit", args=[trilogy.pk]), form)
    assert "Give the series a title." in response.content.decode()
    assert parts(trilogy) == [(1, "Descent"), (2, "Bargain"), (3, "Return")]


def test_another_user_cant_edit_or_delete_a_series(reader_client, trilogy):
    for name in ("series:edit", "series:delete"):
        assert reader_client.get(reverse(name, args=[trilogy.pk])).status_code == 404
        assert reader_client.post(reverse(name, args=[trilogy.pk]), {"title": "Mine"}).status_code == 404
    trilogy.refresh_from_db()
    assert trilogy.title == "The Underworld Cycle"


def test_deleting_a_series_keeps_its_works(author_client, author, trilogy):
    response = author_client.post(reverse("series:delete", args=[trilogy.pk]))
    assert response.status_code == 302
    assert not Series.objects.exists()
    assert author.stories.count() == 3


def test_the_authors_pages_list_their_series(client, author, trilogy):
    make_series(creator=author, title="Only Drafts", works=[make_story(author=author, post=False)])
    works_page = client.get(reverse("stories:by_author", args=[author.username])).content.decode()
    assert "The Underworld Cycle" in works_page and "Only Drafts" not in works_page
    listed = client.get(reverse("series:by_user", args=[author.username])).content.decode()
    assert "The Underworld Cycle" in listed and "Down and back." in listed and "Only Drafts" not in listed
    own = logged_in(author).get(reverse("series:by_user", args=[author.username])).content.decode()
    assert "Only Drafts" in own


# Subscribing, bookmarking, searching


def test_a_reader_subscribes_to_a_series_and_unsubscribes(reader_client, reader, trilogy):
    assert "Subscribe" in reader_client.get(trilogy.get_absolute_url()).content.decode()
    reader_client.post(reverse("notifications:subscribe_series", args=[trilogy.pk]))
    assert Subscription.objects.filter(user=reader, series=trilogy).exists()
    assert "Unsubscribe" in reader_client.get(trilogy.get_absolute_url()).content.decode()
    assert "The Underworld Cycle" in reader_client.get(reverse("notifications:subscriptions")).content.decode()
    reader_client.post(reverse("notifications:unsubscribe_series", args=[trilogy.pk]))
    assert not Subscription.objects.filter(user=reader).exists()


def test_a_reader_bookmarks_a_series_and_their_bookmarks_show_its_blurb(reader_client, reader, trilogy):
    url = reverse("bookmarks:save_series", args=[trilogy.pk])
    assert reader_client.get(url).status_code == 200
    reader_client.post(url, {"note": "Read in order!", "tags": "myth"})
    bookmark = Bookmark.objects.get(user=reader, series=trilogy)
    page = reader_client.get(reverse("bookmarks:by_user", args=[reader.username])).content.decode()
    assert "series-blurb" in page and "Down and back." in page and "Read in order!" in page
    assert reader_client.get(bookmark.get_absolute_url()).status_code == 200
    reader_client.post(reverse("bookmarks:delete", args=[bookmark.pk]))
    assert not Bookmark.objects.exists()
    assert all(work.bookmark_count == 0 for work in _works(trilogy))


def test_search_finds_the_works_of_a_series_by_its_title(client, author, trilogy):
    make_story(author=author, title="Standalone")
    page = client.get(reverse("search:works"), {"series": "underworld"}).content.decode()
    assert "Descent" in page and "Return" in page and "Standalone" not in page
    assert "in a series titled “underworld”" in page


def test_a_works_last_chapter_and_entire_work_end_with_the_way_on_to_the_next_work(client, author, trilogy):
    first, second, _ = _works(trilogy)
    add_chapter(story=first, fields={"title": "", "notes": "", "end_notes": "", "body": "<p>More.</p>"}, post=True)
    chapters = list(first.chapters.order_by("position"))
    next_work = f'<a rel="next" href="/works/{second.pk}">Next Work →</a>'
    assert next_work not in client.get(chapters[0].get_absolute_url()).content.decode()
    assert next_work in client.get(chapters[1].get_absolute_url()).content.decode()
    assert next_work in client.get(first.get_absolute_url(), {"view_full_work": "true"}).content.decode()
