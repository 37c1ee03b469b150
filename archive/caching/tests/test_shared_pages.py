"""The shared page cache (archive/caching): what a logged-out reader is served from it.

Each change a reader would notice shows on the very next logged-out page; nothing one visitor may
see (a restricted work, a draft, their own controls, their consent, their CSRF token) reaches
another from the cache.
"""

import re

import pytest
from django.conf import settings
from django.test import Client

from archive.accounts.tests.factories import UserFactory, logged_in
from archive.comments.services import approve_comment, delete_comment, edit_comment, post_comment
from archive.kudos.services import leave_kudos
from archive.publishing.services import add_chapter, delete_chapter, delete_story, update_chapter, update_story
from archive.stories.models import Story
from archive.stories.tests.factories import make_story
from archive.tags.models import Tag
from archive.wrangling import services as wrangling

pytestmark = pytest.mark.django_db

CHAPTER = {"title": "The Second Door", "notes": "", "end_notes": "", "body": "<p>Behind the second door.</p>"}


def cached_twice(client: Client, url: str) -> str:
    """Fetch a page twice, so the second answer comes from the cache; its text."""
    first = client.get(url)
    second = client.get(url)
    assert first.status_code == second.status_code == 200
    assert second["ETag"] == first["ETag"] or "csrfmiddlewaretoken" in first.content.decode()
    return second.content.decode()


def text(response) -> str:
    return response.content.decode()


def _fields(story: Story) -> dict:
    return {"title": story.title, "summary": story.summary, "restricted": story.restricted}


def _tags(story: Story) -> dict:
    return {kind: [tag.name for tag in story.tags.filter(kind=kind)] for kind, _ in Tag.Kind.choices}


@pytest.fixture
def story(author):
    return make_story(author=author, title="The Orchard", characters=["Persephone"], chapters=1)


# What a change shows at once.


def test_a_posted_chapter_shows_on_the_next_work_page_and_front_page(client, story):
    work_url = story.get_absolute_url()
    assert "Chapter 2" not in cached_twice(client, work_url)
    cached_twice(client, "/")

    add_chapter(story=story, fields=CHAPTER, post=True)

    assert "The Second Door" in text(client.get(work_url))
    assert "2/" in text(client.get("/"))


def test_an_edited_chapter_shows_at_once(client, story):
    chapter = story.chapters.get()
    assert "Rewritten" not in cached_twice(client, chapter.get_absolute_url())

    update_chapter(chapter=chapter, fields={"body": "<p>Rewritten entirely.</p>"})

    assert "Rewritten entirely." in text(client.get(chapter.get_absolute_url()))


def test_an_approved_comment_shows_at_once_and_a_deleted_one_goes(client, author):
    story = make_story(author=author, moderate_comments=True)
    chapter = story.chapters.get()
    comment = post_comment(chapter=chapter, user=UserFactory(), body="Held until the author agrees.")
    assert "Held until the author agrees." not in cached_twice(client, chapter.get_absolute_url())

    approve_comment(comment=comment)
    assert "Held until the author agrees." in text(client.get(chapter.get_absolute_url()))
    cached_twice(client, chapter.get_absolute_url())

    delete_comment(comment=comment)
    assert "Held until the author agrees." not in text(client.get(chapter.get_absolute_url()))


def test_an_edited_comment_shows_at_once(client, story):
    chapter = story.chapters.get()
    comment = post_comment(chapter=chapter, user=UserFactory(), body="First thoughts.")
    assert "First thoughts." in cached_twice(client, chapter.get_absolute_url())

    edit_comment(comment=comment, body="Second thoughts.")

    assert "Second thoughts." in text(client.get(chapter.get_absolute_url()))


def test_kudos_show_at_once_on_the_work(client, story):
    fan = UserFactory(username="orchardfan")
    assert "orchardfan" not in cached_twice(client, story.get_absolute_url())

    leave_kudos(story=story, user=fan, ip="203.0.113.5")

    assert "orchardfan" in text(client.get(story.get_absolute_url()))


def test_a_work_made_restricted_is_gone_from_logged_out_pages_at_once(client, story):
    tag_url = "/tags/Persephone/works"
    assert "The Orchard" in cached_twice(client, tag_url)
    cached_twice(client, story.get_absolute_url())

    update_story(story=story, fields={"restricted": True}, tags_by_kind=_tags(story))

    assert client.get(story.get_absolute_url()).status_code in (302, 404)
    assert "The Orchard" not in text(client.get(tag_url))
    assert "The Orchard" not in text(client.get("/"))


def test_a_deleted_work_is_gone_at_once(client, story):
    url = story.get_absolute_url()
    cached_twice(client, url)
    assert "The Orchard" in cached_twice(client, "/users/author/works")

    delete_story(story=story)

    assert client.get(url).status_code == 404
    assert "The Orchard" not in text(client.get("/users/author/works"))


def test_a_deleted_chapter_is_gone_at_once(client, story):
    second = add_chapter(story=story, fields=CHAPTER, post=True)
    second_url = second.get_absolute_url()
    assert "The Second Door" in cached_twice(client, story.get_absolute_url())
    cached_twice(client, second_url)

    delete_chapter(chapter=second)

    assert "The Second Door" not in text(client.get(story.get_absolute_url()))
    assert client.get(second_url).status_code == 404


def test_a_renamed_tag_shows_at_once_on_the_works_that_carry_it(client, story):
    tag = Tag.objects.get(name="Persephone")
    assert "Kore" not in cached_twice(client, story.get_absolute_url())
    cached_twice(client, "/")

    wrangling.rename(tag=tag, name="Kore", user=UserFactory(is_staff=True))

    assert "Kore" in text(client.get(story.get_absolute_url()))
    assert "Kore" in text(client.get("/"))


def test_a_synonym_or_a_merge_shows_at_once_on_the_canonical_tags_page(client, author):
    wrangler = UserFactory(is_staff=True)
    canonical = Tag.objects.create(name="Persephone", kind=Tag.Kind.CHARACTER, canonical=True)
    make_story(author=author, title="Under Kore", characters=["Kore"])
    make_story(author=author, title="Under Proserpina", characters=["Proserpina"])
    assert "Under Kore" not in cached_twice(client, "/tags/Persephone/works")

    wrangling.make_synonym(tag=Tag.objects.get(name="Kore"), of=canonical, user=wrangler)
    assert "Under Kore" in cached_twice(client, "/tags/Persephone/works")

    wrangling.merge(tag=Tag.objects.get(name="Proserpina"), into=canonical, user=wrangler)
    assert "Under Proserpina" in text(client.get("/tags/Persephone/works"))


def test_a_new_work_shows_at_once_in_lists_and_feeds(client, author):
    make_story(author=author, title="First Harvest", characters=["Persephone"])
    for url in ("/", "/tags/Persephone/works", "/tags/Persephone/feed.atom", "/users/author/works/feed.atom"):
        cached_twice(client, url)

    make_story(author=author, title="Second Harvest", characters=["Persephone"])

    for url in ("/", "/tags/Persephone/works", "/tags/Persephone/feed.atom", "/users/author/works/feed.atom"):
        assert "Second Harvest" in text(client.get(url)), url


# What never passes from one visitor to another.


def test_a_restricted_work_or_a_draft_is_never_served_from_the_cache(client, reader_client, author):
    restricted = make_story(author=author, title="Members Only", restricted=True)
    draft = make_story(author=author, title="Not Yet", post=False)
    assert reader_client.get(restricted.get_absolute_url()).status_code == 200

    for story in (restricted, draft):
        assert client.get(story.get_absolute_url()).status_code in (302, 404)
        assert "Members Only" not in text(client.get(story.get_absolute_url()))


def test_a_logged_in_readers_page_is_theirs_and_never_shared(client, reader_client, story):
    mine = reader_client.get(story.get_absolute_url())
    shared = client.get(story.get_absolute_url())
    again = reader_client.get(story.get_absolute_url())

    assert "Log out" in text(mine) and "Log out" in text(again)
    assert "Log out" not in text(shared)
    assert "private" in mine["Cache-Control"]
    assert "public" in shared["Cache-Control"] and "s-maxage" in shared["Cache-Control"]
    assert "Cookie" in shared["Vary"]


def test_a_cached_mature_work_still_asks_each_new_visitor(story, author):
    mature = make_story(author=author, title="Pomegranate Seeds", rating="mature")
    consenting, newcomer = Client(), Client()
    url = mature.get_absolute_url()

    assert "adult content" in text(newcomer.get(url)).lower()
    assert "Pomegranate Seeds" in text(consenting.get(f"{url}?view_adult=true"))
    assert "adult content" not in text(consenting.get(url)).lower()  # their consent, in their session
    assert "adult content" in text(Client().get(url)).lower()  # nobody else's


def test_each_visitor_gets_their_own_csrf_token_and_a_guest_comment_works(author):
    story = make_story(author=author, comment_permission="everyone")
    chapter = story.chapters.get()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    pages = [visitor.get(chapter.get_absolute_url()) for visitor in (first, second, first)]
    tokens = [re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text(page)).group(1) for page in pages]

    assert len(set(tokens)) == 3  # masked afresh each time
    assert first.cookies[settings.CSRF_COOKIE_NAME].value != second.cookies[settings.CSRF_COOKIE_NAME].value
    assert "csrftoken" not in pages[2].cookies  # the first visitor's own cookie, kept

    posted = second.post(
        f"{chapter.get_absolute_url()}/comments",
        {"guest_name": "Passer-by", "guest_email": "", "body": "Lovely orchard.", "csrfmiddlewaretoken": tokens[1]},
    )
    assert posted.status_code in (200, 302), text(posted)[:3000]
    assert chapter.comments.filter(guest_name="Passer-by").exists()


def test_guest_kudos_work_from_a_cached_page(story):
    Client().get(story.get_absolute_url())  # someone else's visit fills the cache
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(story.get_absolute_url())
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text(page)).group(1)

    response = visitor.post(f"/works/{story.pk}/kudos", {"csrfmiddlewaretoken": token}, REMOTE_ADDR="198.51.100.4")

    assert response.status_code == 302
    assert story.kudos.count() == 1


def test_messages_are_never_cached_or_shared(story):
    visitor = Client()
    visitor.post(f"/works/{story.pk}/kudos", REMOTE_ADDR="198.51.100.8")
    with_message = visitor.get(story.get_absolute_url())

    assert "Thank you for leaving kudos!" in text(with_message)
    assert "Thank you for leaving kudos!" not in text(Client().get(story.get_absolute_url()))


# HTTP caching and hits.


def test_a_page_served_from_the_cache_costs_no_query(client, story, django_assert_num_queries):
    for url in (story.get_absolute_url(), "/", "/tags/Persephone/works", "/fandoms", "/users/author/works"):
        client.get(url)
        with django_assert_num_queries(0):
            assert client.get(url).status_code == 200


def test_a_matching_etag_gets_a_304_and_a_changed_page_a_new_etag(client, story):
    page = client.get(story.get_absolute_url())
    etag = page["ETag"]

    assert client.get(story.get_absolute_url(), HTTP_IF_NONE_MATCH=etag).status_code == 304
    update_chapter(chapter=story.chapters.get(), fields={"body": "<p>Changed.</p>"})
    changed = client.get(story.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_a_view_served_from_the_cache_still_counts_as_a_hit(story):
    from archive.hits.services import pending_hits

    Client(REMOTE_ADDR="203.0.113.1").get(story.get_absolute_url())
    Client(REMOTE_ADDR="203.0.113.2").get(story.get_absolute_url())  # from the cache
    Client(REMOTE_ADDR="203.0.113.2").get(story.get_absolute_url())  # the same visitor, the same day

    assert pending_hits(story.pk) == 2


def test_a_kept_work_page_shows_the_flushed_hits_without_being_rendered_again(
    settings, story, django_assert_num_queries
):
    from archive.hits.services import flush_hits

    settings.HITS_FLUSH_IN_PROCESS = False
    url = story.get_absolute_url()
    first = Client(REMOTE_ADDR="203.0.113.1").get(url)
    assert '<dd class="hits">0</dd>' in text(first)
    Client(REMOTE_ADDR="203.0.113.2").get(url)

    flush_hits()

    with django_assert_num_queries(0):  # the kept page, its count filled in as it is served
        again = Client(REMOTE_ADDR="203.0.113.2").get(url)
    assert '<dd class="hits">2</dd>' in text(again)
    assert again["ETag"] != first["ETag"]
    assert "<!--hits:" not in text(again)


def test_a_kept_work_page_outlives_the_lists_that_show_its_counts(settings, client, story, django_assert_num_queries):
    settings.PAGE_CACHE_SECONDS = 0  # lists of works are not kept at all
    for url in (story.get_absolute_url(), "/"):
        client.get(url)

    with django_assert_num_queries(0):
        assert "The Orchard" in text(client.get(story.get_absolute_url()))
    assert "The Orchard" in text(client.get("/"))  # rendered again, with its queries


def test_a_work_page_made_for_one_reader_shows_its_hits_as_a_number(story, author):
    page = text(logged_in(author).get(story.get_absolute_url()))  # an author's own view is never kept

    assert '<dd class="hits">0</dd>' in page
    assert "<!--hits:" not in page


def test_the_adult_warning_served_from_the_cache_is_not_a_hit(author):
    from archive.hits.services import pending_hits

    mature = make_story(author=author, rating="explicit")
    Client(REMOTE_ADDR="203.0.113.1").get(mature.get_absolute_url())
    Client(REMOTE_ADDR="203.0.113.2").get(mature.get_absolute_url())

    assert pending_hits(mature.pk) == 0


@pytest.mark.allowed_to_skip(reason="needs the Redis server production uses (REDIS_URL, or 127.0.0.1:6379)")
def test_on_redis_a_kept_page_is_served_counted_and_replaced_after_a_change(settings, story, redis_cache):
    """Production's cache: pages and versions in Redis, and the worker's recent pages checked
    against them with the hit counted in the same round trip."""
    from archive.hits.services import flush_hits, pending_hits

    settings.HITS_FLUSH_IN_PROCESS = False
    worker = Client()  # one handler, so its recent pages are used from the second request on
    for address in ("203.0.113.40", "203.0.113.41", "203.0.113.41"):
        assert "The Orchard" in text(worker.get(story.get_absolute_url(), REMOTE_ADDR=address))
    assert "The Orchard" in text(Client().get(story.get_absolute_url(), REMOTE_ADDR="203.0.113.42"))
    assert pending_hits(story.pk) == 3

    flush_hits()  # the kept copies show the new count, from the worker's memory or from Redis
    assert '<dd class="hits">3</dd>' in text(worker.get(story.get_absolute_url(), REMOTE_ADDR="203.0.113.40"))
    assert '<dd class="hits">3</dd>' in text(Client().get(story.get_absolute_url(), REMOTE_ADDR="203.0.113.43"))

    update_chapter(chapter=story.chapters.get(), fields={"body": "<p>Rewritten on Redis.</p>"})
    assert "Rewritten on Redis." in text(worker.get(story.get_absolute_url(), REMOTE_ADDR="203.0.113.40"))


def test_a_deleted_accounts_works_page_goes_at_once(client):
    from archive.publishing.account_deletion import Works, delete_account

    leaving = UserFactory(username="leaving")
    assert client.get("/users/leaving/works").status_code == 200
    assert client.get("/users/leaving/works").status_code == 200

    delete_account(user=leaving, works=Works.ORPHAN)

    assert client.get("/users/leaving/works").status_code == 404


def test_after_migrate_no_page_kept_before_it_is_served(client, story):
    """Every deploy migrates; its code may render any page differently."""
    from django.core.management.sql import emit_post_migrate_signal

    from archive.caching import versions

    cached_twice(client, story.get_absolute_url())
    before = versions.current([versions.EVERYTHING])

    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")

    assert versions.current([versions.EVERYTHING]) != before


def test_a_works_feed_is_kept_for_logged_in_readers_apart_and_costs_them_no_feed_query(
    client, reader_client, story, django_assert_max_num_queries
):
    feed = "/tags/Persephone/feed.atom"
    shared = client.get(feed).content
    reader_client.get(feed)  # kept for readers (their saved exclusions could change it: not `anyone`)
    with django_assert_max_num_queries(2):  # the reader's session and account, nothing of the feed
        mine = reader_client.get(feed)
    assert mine.content == shared
    assert "The Orchard" in mine.content.decode()


def test_a_works_chapter_feed_is_the_same_for_logged_in_readers_and_served_to_them_from_the_cache(
    client, reader_client, story, django_assert_num_queries
):
    feed = f"/works/{story.pk}/chapters/feed.atom"
    shared = client.get(feed).content
    with django_assert_num_queries(0):
        mine = reader_client.get(feed)
    assert mine.content == shared and mine.status_code == 200


def test_a_work_page_reads_its_versions_once_however_many_fragments_it_keeps(client, story, monkeypatch):
    """Its meta block, kudos section and the work it opens are kept under the tokens the page was
    looked up under, read before any of their rows: one read of the versions, not one each."""
    from django.core.cache import cache

    from archive.caching import versions

    versions.current([versions.EVERYTHING, versions.TAGS, versions.work(story.pk)])  # as after any change
    reads = []
    real_get_many = cache.get_many

    def counting_get_many(keys, *args, **kwargs):
        reads.extend(key for key in keys if key.startswith("version:"))
        return real_get_many(keys, *args, **kwargs)

    monkeypatch.setattr(cache, "get_many", counting_get_many)

    page = client.get(story.get_absolute_url()).content.decode()

    assert "The Orchard" in page and "Persephone" in page
    work_version = versions.lookup_keys([versions.work(story.pk)])[0]
    assert reads.count(work_version) == 1


@pytest.mark.allowed_to_skip(reason="needs the Redis server production uses (REDIS_URL, or 127.0.0.1:6379)")
@pytest.mark.parametrize("on_redis", [True, False])
def test_a_version_the_cache_lost_starts_anew_once_for_every_process(request, story, client, on_redis):
    """Lost versions are added in one round trip on Redis (SET NX and GET), never over a token
    another process added first; the page rendered under the new one is kept, then replaced."""
    from django.core.cache import cache

    from archive.caching import versions

    if on_redis:
        request.getfixturevalue("redis_cache")
    name = versions.work(story.pk)
    cache.delete_many(versions.lookup_keys([name, versions.EVERYTHING]))
    cache.add(versions.lookup_keys([versions.EVERYTHING])[0], "from-another-process", timeout=None)

    first = versions.current([name, versions.EVERYTHING])
    assert first[1] == "from-another-process"
    assert versions.current([name, versions.EVERYTHING]) == first
    assert "The Orchard" in text(client.get(story.get_absolute_url()))
    update_chapter(chapter=story.chapters.get(), fields={"body": "<p>After the loss.</p>"})
    assert versions.current([name])[0] != first[0]
    assert "After the loss." in text(client.get(story.get_absolute_url()))
