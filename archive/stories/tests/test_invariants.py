"""Random sequences of everything authors, readers and wranglers do, through the services, with
every derived value checked against its rows after each step (archive/stories/integrity.py).

Hypothesis picks the steps: post a work (or a draft, or a restricted one), edit its tags, rating
and privacy, add, edit, post and delete chapters, delete works, comment (held on moderated works),
approve and delete comments, leave and remove kudos, bookmark, make bookmarks private or public,
and wrangle (canonical, synonym, merge, link a ship's characters). A failure prints the shortest
sequence of steps that breaks an invariant.
"""

import os

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from archive.accounts.tests.factories import UserFactory
from archive.bookmarks.models import Bookmark
from archive.bookmarks.services import BookmarkError, create_bookmark, delete_bookmark, update_bookmark
from archive.comments.models import Comment
from archive.comments.services import CommentRefused, approve_comment, delete_comment, post_comment
from archive.kudos.models import Kudos
from archive.kudos.services import leave_kudos, remove_kudos
from archive.publishing.services import (
    LastChapterError,
    add_chapter,
    create_story,
    delete_chapter,
    delete_story,
    update_chapter,
    update_story,
)
from archive.stories.choices import Rating, Warning
from archive.stories.integrity import stale_values
from archive.stories.models import Story
from archive.tags.models import Tag
from archive.wrangling import services as wrangling
from archive.wrangling.services import WranglingError

# A few names, so that works share tags and wrangling touches works.
FANDOMS = ["Myth", "The Sea"]
CHARACTERS = ["Ann", "Bo", "Cy", "Annie"]
RELATIONSHIPS = ["Ann/Bo", "Bo & Cy", "Ann/Cy", "Annie/Bo"]
FREEFORMS = ["Fluff", "Angst", "Fluffy"]

pick = st.integers(min_value=0, max_value=10_000)
tags = st.fixed_dictionaries(
    {
        Tag.Kind.FANDOM: st.lists(st.sampled_from(FANDOMS), min_size=1, max_size=2, unique=True),
        Tag.Kind.CHARACTER: st.lists(st.sampled_from(CHARACTERS), max_size=3, unique=True),
        Tag.Kind.RELATIONSHIP: st.lists(st.sampled_from(RELATIONSHIPS), max_size=2, unique=True),
        Tag.Kind.FREEFORM: st.lists(st.sampled_from(FREEFORMS), max_size=2, unique=True),
    }
)
story_fields = st.fixed_dictionaries(
    {
        "rating": st.sampled_from(Rating.values),
        "restricted": st.booleans(),
        "moderate_comments": st.booleans(),
        "expected_chapters": st.none() | st.integers(min_value=1, max_value=3),
    }
)
bodies = st.sampled_from(
    ["<p>One.</p>", "<p>Two words.</p>", "<p>Now three words.</p>", "<p>A few more words here.</p>"]
)


def _chapter(body: str) -> dict:
    return {"title": "", "notes": "", "end_notes": "", "body": body}


def _one(queryset, index: int):
    items = list(queryset.order_by("pk"))
    return items[index % len(items)] if items else None


class ArchiveMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        # Each run starts from an empty archive and leaves nothing behind: its own savepoint.
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.authors = [UserFactory(username=f"writer{n}") for n in range(2)]
        self.readers = [UserFactory(username=f"reader{n}") for n in range(3)]
        self.wrangler = UserFactory(username="wrangler", is_staff=True)

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    def _story(self, index: int) -> Story | None:
        return _one(Story.objects.all(), index)

    # Authors

    @rule(who=pick, fields=story_fields, typed=tags, body=bodies, post=st.booleans())
    def post_work(self, who, fields, typed, body, post):
        create_story(
            author=self.authors[who % 2],
            story_fields={"title": "A Work", "warnings": Warning.NONE_APPLY, "language": "en", **fields},
            tags_by_kind=typed,
            chapter_fields=_chapter(body),
            post=post,
        )

    @precondition(lambda self: Story.objects.exists())
    @rule(index=pick, fields=story_fields, typed=tags)
    def edit_work(self, index, fields, typed):
        story = self._story(index)
        if fields["expected_chapters"] is not None and fields["expected_chapters"] < story.chapter_count:
            fields["expected_chapters"] = None  # the form refuses fewer than are posted
        update_story(story=story, fields=fields, tags_by_kind=typed)

    @precondition(lambda self: Story.objects.exists())
    @rule(index=pick, body=bodies, post=st.booleans())
    def add_a_chapter(self, index, body, post):
        add_chapter(story=self._story(index), fields=_chapter(body), post=post)

    @precondition(lambda self: Story.objects.exists())
    @rule(index=pick, body=bodies, post=st.booleans())
    def edit_a_chapter(self, index, body, post):
        chapter = _one(self._story(index).chapters.all(), index)
        update_chapter(chapter=chapter, fields={"body": body}, post=post)

    @precondition(lambda self: Story.objects.exists())
    @rule(index=pick)
    def delete_a_chapter(self, index):
        chapter = _one(self._story(index).chapters.all(), index // 7)
        try:
            delete_chapter(chapter=chapter)
        except LastChapterError:
            pass

    @precondition(lambda self: Story.objects.exists())
    @rule(index=pick)
    def post_a_draft_work(self, index):
        from archive.publishing.services import post_story

        post_story(story=self._story(index))

    @precondition(lambda self: Story.objects.exists())
    @rule(index=pick)
    def delete_a_work(self, index):
        delete_story(story=self._story(index))

    # Readers

    @precondition(lambda self: Story.objects.published().exists())
    @rule(index=pick, who=pick, reply=st.booleans())
    def comment(self, index, who, reply):
        story = _one(Story.objects.published(), index)
        chapter = _one(story.chapters.posted(), who)
        parent = _one(Comment.objects.filter(chapter=chapter), index) if reply else None
        user = [*self.readers, *self.authors][who % 5]
        try:
            post_comment(chapter=chapter, user=user, body="Lovely.", parent=parent)
        except CommentRefused:
            pass

    @precondition(lambda self: Comment.objects.filter(approved=False).exists())
    @rule(index=pick)
    def approve(self, index):
        approve_comment(comment=_one(Comment.objects.filter(approved=False), index))

    @precondition(lambda self: Comment.objects.exists())
    @rule(index=pick)
    def delete_a_comment(self, index):
        delete_comment(comment=_one(Comment.objects.all(), index))

    @precondition(lambda self: Story.objects.published().exists())
    @rule(index=pick, who=pick)
    def kudos(self, index, who):
        leave_kudos(story=_one(Story.objects.published(), index), user=self.readers[who % 3], ip="")

    @precondition(lambda self: Kudos.objects.exists())
    @rule(index=pick)
    def take_kudos_back(self, index):
        remove_kudos(kudos=_one(Kudos.objects.all(), index))

    @precondition(lambda self: Story.objects.published().exists())
    @rule(index=pick, who=pick, private=st.booleans())
    def bookmark(self, index, who, private):
        try:
            create_bookmark(user=self.readers[who % 3], story=_one(Story.objects.published(), index), private=private)
        except BookmarkError:
            pass

    @precondition(lambda self: Bookmark.objects.exists())
    @rule(index=pick, private=st.booleans())
    def change_a_bookmark(self, index, private):
        update_bookmark(bookmark=_one(Bookmark.objects.all(), index), note="", tags=[], private=private)

    @precondition(lambda self: Bookmark.objects.exists())
    @rule(index=pick)
    def delete_a_bookmark(self, index):
        delete_bookmark(bookmark=_one(Bookmark.objects.all(), index))

    # Wranglers

    @precondition(lambda self: Tag.objects.exists())
    @rule(index=pick)
    def make_canonical(self, index):
        wrangling.make_canonical(tag=_one(Tag.objects.all(), index), user=self.wrangler)

    @precondition(lambda self: Tag.objects.canonical().exists())
    @rule(index=pick, other=pick)
    def make_synonym(self, index, other):
        tag = _one(Tag.objects.all(), index)
        of = _one(Tag.objects.canonical().filter(kind=tag.kind), other)
        if of is not None:
            try:
                wrangling.make_synonym(tag=tag, of=of, user=self.wrangler)
            except WranglingError:
                pass

    @precondition(lambda self: Tag.objects.count() > 1)
    @rule(index=pick, other=pick)
    def merge(self, index, other):
        tag = _one(Tag.objects.all(), index)
        into = _one(Tag.objects.filter(kind=tag.kind).exclude(pk=tag.pk), other)
        if into is not None:
            wrangling.merge(tag=tag, into=into, user=self.wrangler)

    @precondition(lambda self: Tag.objects.filter(kind=Tag.Kind.RELATIONSHIP).exists())
    @rule(index=pick, members=st.lists(st.sampled_from(CHARACTERS), max_size=3, unique=True), romantic=st.booleans())
    def link_characters(self, index, members, romantic):
        ship = _one(Tag.objects.filter(kind=Tag.Kind.RELATIONSHIP), index)
        characters = list(Tag.objects.filter(kind=Tag.Kind.CHARACTER, name__in=members))
        wrangling.link_characters(
            tag=ship, characters=characters, ship_kind="romantic" if romantic else "platonic", user=self.wrangler
        )

    @invariant()
    def every_derived_value_matches_its_rows(self):
        stale = stale_values(chapter_text=True)
        assert stale == [], "\n".join(map(str, stale))

    @invariant()
    def no_work_expects_fewer_chapters_than_it_has(self):
        for story in Story.objects.all():
            assert story.expected_chapters is None or story.expected_chapters >= story.chapter_count


@pytest.mark.django_db
def test_random_sequences_of_the_services_keep_every_derived_value_true():
    run_state_machine_as_test(
        ArchiveMachine,
        settings=settings(
            max_examples=30,
            stateful_step_count=20,
            deadline=None,
            database=None,  # nothing written to .hypothesis/
            # The same sequences on every run, so CI passes or fails on the code alone; set
            # ARCHIVE_EXPLORE=1 to try new ones (how the merge bug in wrangling was found).
            derandomize=not os.environ.get("ARCHIVE_EXPLORE"),
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
