"""Story cards are kept (archive/stories/cards.py): whatever a card shows is current on the next
list page, for logged-in readers too, whose pages are never kept whole."""

import pytest

from archive.accounts.tests.factories import UserFactory
from archive.kudos.services import leave_kudos
from archive.publishing.services import add_chapter, update_story
from archive.stories.tests.factories import make_story
from archive.tags.models import Tag
from archive.wrangling import services as wrangling

pytestmark = pytest.mark.django_db

CHAPTER = {"title": "", "notes": "", "end_notes": "", "body": "<p>Three more words.</p>"}


def front(client) -> str:
    return client.get("/").content.decode()


def test_a_card_shows_each_change_at_once(reader_client, author):
    story = make_story(author=author, title="The Orchard", characters=["Persephone"], summary="<p>Old summary</p>")
    assert "Old summary" in front(reader_client)

    update_story(
        story=story,
        fields={"summary": "<p>New summary</p>"},
        tags_by_kind={Tag.Kind.FANDOM: ["Greek Mythology"], Tag.Kind.CHARACTER: ["Persephone", "Demeter"]},
    )
    html = front(reader_client)
    assert "New summary" in html and "Demeter" in html

    leave_kudos(story=story, user=UserFactory(), ip="203.0.113.9")
    add_chapter(story=story, fields=CHAPTER, post=True)
    html = front(reader_client)
    assert '<dd class="kudos">1</dd>' in html
    assert '<dd class="chapters">2/?</dd>' in html or '<dd class="chapters">2/' in html

    wrangling.rename(tag=Tag.objects.get(name="Demeter"), name="Ceres", user=UserFactory(is_staff=True))
    assert "Ceres" in front(reader_client)


def test_a_renamed_author_shows_on_their_cards(reader_client, author, admin_client):
    make_story(author=author, title="The Orchard")
    assert ">author</a>" in front(reader_client)

    admin_client.post(
        f"/admin/accounts/user/{author.pk}/change/",
        {"username": "renamed", "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00", "is_active": "on"},
    )

    assert author.__class__.objects.get(pk=author.pk).username == "renamed"
    assert ">renamed</a>" in front(reader_client)


def test_a_card_built_from_the_lean_fetch_is_the_card_the_prefetch_builds(author, django_assert_num_queries):
    from archive.stories.cards import authors_and_tags, render_card, story_card
    from archive.stories.models import Story

    second = UserFactory(username="aardvark")
    stories = [
        make_story(author=author, title="One", fandoms=["Myth"], characters=["Kore", "Hades"], freeforms=["Cozy"]),
        make_story(author=author, title="Two", relationships=["Hades/Persephone"], characters=["Zeus"]),
        make_story(author=author, title="Three"),
    ]
    stories[0].authors.add(second)
    Tag.objects.create(name="Unused", kind=Tag.Kind.FREEFORM)
    prefetched = list(Story.objects.filter(pk__in=[s.pk for s in stories]).for_cards().order_by("pk"))
    lean = list(Story.objects.filter(pk__in=[s.pk for s in stories]).card_rows().order_by("pk"))

    with django_assert_num_queries(1):
        shown = authors_and_tags(lean)
    with django_assert_num_queries(0):
        for old, new in zip(prefetched, lean, strict=True):
            assert render_card(new, *shown[new.pk]) == story_card(old)
    assert shown[lean[0].pk][0] == ["aardvark", "author"]
    assert ("relationship", "Hades/Persephone", False) in shown[lean[1].pk][1]


def test_a_card_escapes_what_authors_typed_and_keeps_ao3s_markup(author):
    from archive.stories.cards import story_card
    from archive.stories.models import Story

    story = make_story(
        author=author,
        title='<script>alert("t")</script> & Co',
        relationships=["Kore/Hades & <b>Zeus</b>"],
        characters=["O'Brien"],
        summary="<p>A <em>summary</em></p>",
    )
    html = story_card(Story.objects.for_cards().get(pk=story.pk))

    assert "<script>" not in html and "&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt; &amp; Co" in html
    assert ">Kore/Hades &amp; &lt;b&gt;Zeus&lt;/b&gt;</a></li>" in html and "O&#x27;Brien" in html
    assert '<blockquote class="summary userstuff"><p>A <em>summary</em></p></blockquote>' in html
    assert f'<li class="story-card" id="work_{story.pk}">' in html
    assert '<li class="relationship"><a class="tag" href="/tags/' in html and '<dl class="stats">' in html


def test_a_drafts_card_on_the_dashboard_counts_the_chapters_it_will_post(client, author):
    make_story(author=author, title="Unfinished", chapters=3, post=False, expected_chapters=2)
    client.force_login(author)

    html = client.get("/dashboard").content.decode()

    assert "Unfinished" in html
    assert '<dd class="chapters">3/3</dd>' in html and '<dd class="words">0</dd>' not in html
