"""`manage.py generate_archive`: a realistic archive, the same for a seed, consistent with the services."""

import hashlib
from collections import Counter, defaultdict
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Q, Sum

from archive.accounts.models import validate_username
from archive.chapters.models import Chapter
from archive.comments.models import Comment
from archive.stories.choices import work_filter_ids
from archive.stories.integrity import stale_values
from archive.stories.models import Story, StoryTag
from archive.stories.services import refresh_story_filters
from archive.tags.filtering import index_works, is_plain
from archive.tags.models import Tag
from archive.tags.names import match_key, parse_relationship

pytestmark = pytest.mark.django_db

WORKS = 60


def generate(works: int = WORKS, seed: int = 1) -> str:
    out = StringIO()
    call_command("generate_archive", "--works", str(works), "--seed", str(seed), verbosity=0, stdout=out)
    return out.getvalue()


def digest() -> str:
    """Everything that should repeat for a seed, in id order."""
    rows = [
        list(
            Story.objects.order_by("id").values_list(
                "id",
                "title",
                "summary",
                "rating",
                "warnings",
                "categories",
                "language",
                "expected_chapters",
                "word_count",
                "chapter_count",
                "comment_count",
                "filter_ids",
                "role_ids",
                "main_ids",
                "published_at",
                "updated_at",
                "created_at",
            )
        ),  # fmt: skip
        list(StoryTag.objects.order_by("id").values_list("id", "content_object_id", "tag_id", "main")),
        list(Story.authors.through.objects.order_by("id").values_list("id", "story_id", "user_id")),
        list(Tag.objects.order_by("id").values_list("id", "name", "kind", "canonical", "merger_id", "use_count")),
        list(Tag.characters.through.objects.order_by("id").values_list("from_tag_id", "to_tag_id")),
        list(Tag.fandoms.through.objects.order_by("id").values_list("from_tag_id", "to_tag_id")),
        list(Chapter.objects.order_by("id").values_list("id", "story_id", "position", "body", "published_at")),
        list(Comment.objects.order_by("id").values_list("id", "chapter_id", "user_id", "parent_id", "created_at")),
        list(get_user_model().objects.order_by("id").values_list("id", "username", "password", "date_joined")),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def wipe() -> None:
    Story.objects.all().delete()  # with their chapters, comments and links
    Tag.objects.all().delete()
    get_user_model().objects.all().delete()


def test_it_adds_the_works_users_chapters_and_comments_it_reports():
    output = generate()

    stories = Story.objects.all()
    assert stories.count() == WORKS
    assert get_user_model().objects.count() == WORKS // 5
    totals = stories.aggregate(chapters=Sum("chapter_count"), comments=Sum("comment_count"))
    assert Chapter.objects.posted().count() == totals["chapters"]
    assert Comment.objects.count() == totals["comments"] > 0
    assert Comment.objects.filter(parent__isnull=False).exists()
    assert f"Generated {WORKS} works" in output
    assert f"{Chapter.objects.count()} chapters, {Tag.objects.count()} tags" in output


def test_the_same_seed_gives_the_same_rows_and_another_seed_does_not():
    generate(seed=7)
    first = digest()
    wipe()
    generate(seed=7)
    assert digest() == first
    wipe()
    generate(seed=8)
    assert digest() != first


def test_filter_ids_are_what_the_tag_rules_compute_from_each_works_tags():
    generate()
    tag_ids = defaultdict(list)
    for story_id, tag_id in StoryTag.objects.order_by("id").values_list("content_object_id", "tag_id"):
        tag_ids[story_id].append(tag_id)

    indexed = index_works(tag_ids)

    for story in Story.objects.all():
        expected = indexed[story.pk]
        facts = work_filter_ids(
            rating=story.rating, warnings=story.warnings, restricted=False, fandom_count=expected.fandom_count
        )
        assert story.filter_ids == sorted([*expected.filter_ids, *facts])
        assert story.role_ids == expected.role_ids
        assert (story.relationship_count, story.fandom_count) == (expected.relationship_count, expected.fandom_count)
    assert Story.objects.filter(relationship_count__gt=0).exists()
    assert Story.objects.filter(fandom_count__gt=1).exists(), "some crossovers"
    assert any(story.role_ids for story in Story.objects.all()), "characters in relationships"


def test_use_counts_are_the_posted_works_carrying_each_tag():
    generate()
    posted = Counter(
        filter_id
        for filter_ids in Story.objects.published().values_list("filter_ids", flat=True)
        for filter_id in filter_ids
        if is_plain(filter_id)
    )

    assert {tag.pk: tag.use_count for tag in Tag.objects.all()} == {tag.pk: posted[tag.pk] for tag in Tag.objects.all()}


def test_the_story_services_recompute_the_same_filter_ids_and_use_counts():
    generate()
    before = digest()
    # Start the services from nothing, as if every work had just been tagged.
    Tag.objects.update(use_count=0)
    Story.objects.update(filter_ids=[], role_ids=[], relationship_count=0, fandom_count=0)

    refresh_story_filters(Story.objects.values_list("pk", flat=True))

    assert digest() == before


def test_drafts_have_no_posted_chapters_comments_or_uses():
    generate(works=200)
    drafts = Story.objects.drafts()

    assert drafts.exists()
    assert not drafts.filter(updated_at__isnull=False).exists()
    assert not drafts.exclude(chapter_count=0, word_count=0, comment_count=0).exists()
    assert not Chapter.objects.filter(story__in=drafts).posted().exists()
    only_on_drafts = Tag.objects.exclude(story_links__content_object__published_at__isnull=False)
    assert not only_on_drafts.filter(synonyms__isnull=True, use_count__gt=0).exists()


def test_counters_match_the_rows_they_count():
    generate()
    posted = {
        row["story_id"]: row
        for row in Chapter.objects.posted().values("story_id").annotate(count=Count("id"), words=Sum("word_count"))
    }
    comments = dict(Comment.objects.values_list("story_id").annotate(count=Count("id")))

    for story in Story.objects.all():
        chapters = posted.get(story.pk, {"count": 0, "words": 0})
        assert (story.chapter_count, story.word_count) == (chapters["count"], chapters["words"])
        assert story.comment_count == comments.get(story.pk, 0)
        if story.published_at:
            assert story.updated_at >= story.published_at
            assert story.expected_chapters is None or story.expected_chapters >= story.chapter_count
        assert 1 <= story.warnings


def test_check_counters_finds_nothing_stale_in_a_generated_archive():
    generate()

    assert stale_values() == []
    call_command("check_counters", stdout=StringIO())  # raises CommandError if anything is stale


def test_relationships_name_their_characters_and_every_character_has_a_fandom():
    generate()
    relationships = Tag.objects.filter(kind=Tag.Kind.RELATIONSHIP).prefetch_related("characters", "fandoms")

    assert relationships.exists()
    for relationship in relationships:
        ship = parse_relationship(relationship.name)
        assert relationship.ship_kind == ship.kind
        assert sorted(character.name for character in relationship.characters.all()) == sorted(ship.characters)
        assert relationship.fandoms.exists()
    assert not Tag.objects.filter(kind=Tag.Kind.CHARACTER, fandoms__isnull=True).exists()
    assert not Tag.objects.filter(kind=Tag.Kind.FANDOM, canonical=False).exists()


def test_some_tags_are_wrangled_and_synonyms_point_at_a_canonical_tag_of_their_kind():
    generate(works=500)
    synonyms = Tag.objects.filter(merger__isnull=False).select_related("merger")

    assert synonyms.filter(kind=Tag.Kind.CHARACTER).exists()
    assert Tag.objects.filter(kind=Tag.Kind.CHARACTER, canonical=False, merger__isnull=True).exists()
    for synonym in synonyms:
        assert synonym.merger.canonical and synonym.merger.kind == synonym.kind
    for tag in Tag.objects.all():
        assert tag.match_key == match_key(tag.name, relationship=tag.kind == Tag.Kind.RELATIONSHIP)


def test_users_cannot_log_in_and_have_unique_emails():
    generate()
    users = get_user_model().objects.all()

    assert not any(user.has_usable_password() for user in users)
    assert len({user.email.lower() for user in users}) == users.count()


def test_users_have_names_the_sign_up_form_would_accept():
    generate()
    names = list(get_user_model().objects.values_list("username", flat=True))

    for name in names:
        validate_username(name)
    assert len({name.lower() for name in names}) == len(names)


def test_it_adds_to_an_archive_that_already_has_one_and_new_rows_still_get_fresh_ids():
    generate(seed=1)
    generate(seed=1)  # the same names come up again and must be stepped around

    assert Story.objects.count() == 2 * WORKS
    users = get_user_model().objects.all()
    assert len({user.email.lower() for user in users}) == users.count() == 2 * (WORKS // 5)
    tag = Tag.objects.create(name="A Tag Typed Afterwards", kind=Tag.Kind.FREEFORM)
    assert tag.pk > Tag.objects.exclude(pk=tag.pk).order_by("-pk").first().pk


def test_every_work_is_in_the_search_index():
    generate()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM stories_story WHERE search_vector IS NULL OR search_vector = ''")
        assert cursor.fetchone()[0] == 0


def test_replies_sit_in_their_parents_thread_one_level_deeper_and_every_comment_shows():
    generate()

    comments = {comment.pk: comment for comment in Comment.objects.all()}
    replies = [comment for comment in comments.values() if comment.parent_id]
    assert replies
    for reply in replies:
        parent = comments[reply.parent_id]
        assert reply.thread_id == (parent.thread_id or parent.pk)
        assert reply.depth == parent.depth + 1
    assert all(comment.approved and not comment.guest_name for comment in comments.values())


def test_most_works_mark_one_or_two_main_characters_and_some_mark_none():
    generate(200)
    marked = Counter(
        Story.objects.annotate(
            mains=Count("tag_links", filter=Q(tag_links__main=True, tag_links__tag__kind=Tag.Kind.CHARACTER))
        ).values_list("mains", flat=True)
    )

    assert marked[1] + marked[2] > 0.6 * 200
    assert 0 < marked[0] < 0.3 * 200
    assert max(marked) <= 4
    assert not StoryTag.objects.filter(main=True, tag__kind__in=[Tag.Kind.FANDOM, Tag.Kind.FREEFORM]).exists()
