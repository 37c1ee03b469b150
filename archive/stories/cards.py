"""Story cards, rendered once and kept (archive/caching/fragments.py): a list page's twenty cards,
with the authors and tags they need fetched and built as models, were four fifths of what it cost
to render.

A card shows the work's own row, its authors and its tags, the same for every reader. Its key is
a digest of the row's shown values and `edited_at` (which every change to a work's tags moves),
with the versions of what tags mean (wrangling) and of everything (a renamed account): a work
that changes in any way a card shows gets a new key. Lists fetch their works with `card_rows()`;
only the cards not kept have their authors and tags fetched, here.
"""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.template.loader import get_template
from django.utils.safestring import SafeString

from archive.caching import versions
from archive.caching.fragments import fragment_key, fragment_tokens, kept_fragments
from archive.tags.models import Tag

TEMPLATE = "includes/story_card.html"
SHOWN = (
    "pk", "title", "summary", "rating", "warnings", "categories", "language", "expected_chapters",
    "chapter_count", "word_count", "comment_count", "kudos_count", "bookmark_count", "hit_count",
    "published_at", "updated_at", "edited_at",
)  # fmt: skip


def story_cards(stories) -> list[SafeString]:
    """The cards of these works (fetched with `card_rows()`, or with their tags already), in order."""
    stories = list(stories)
    tokens = fragment_tokens(TEMPLATE, versions.TAGS)
    keys = [fragment_key("card", [getattr(story, name) for name in SHOWN], tokens) for story in stories]
    template = get_template(TEMPLATE)
    return kept_fragments(
        stories,
        keys,
        lambda story: template.render({"story": story}),
        prepare=attach_tags_and_authors,
    )


def attach_tags_and_authors(stories) -> None:
    """What `prefetch_related_objects(stories, *tags_and_authors())` gives the works (authors by
    username, links in typed order with their tags' names, kinds and mergers), from three queries
    of plain values with each tag built once: Django's prefetching built a queryset per work and
    relation and cost a cold card more than rendering it."""
    from archive.stories.models import Story, StoryTag

    stories = [story for story in stories if "tag_links" not in getattr(story, "_prefetched_objects_cache", {})]
    if not stories:
        return
    ids = [story.pk for story in stories]
    user_model = get_user_model()
    authors: dict[int, list] = {pk: [] for pk in ids}
    writers = Story.authors.through.objects.filter(story_id__in=ids).order_by("user__username", "user_id")
    for story_id, user_id, username in writers.values_list("story_id", "user_id", "user__username"):
        authors[story_id].append(user_model.from_db("default", ["id", "username"], (user_id, username)))
    links = StoryTag.objects.filter(content_object_id__in=ids).order_by("id")
    links = list(links.values_list("id", "content_object_id", "tag_id"))
    # Tags looked up by id apart from their links: joined, PostgreSQL hashes the whole tag table.
    fields = ["id", "name", "kind", "merger_id"]
    rows = Tag.objects.filter(pk__in={tag_id for _, _, tag_id in links}).values_list(*fields)
    tags = {row[0]: Tag.from_db("default", fields, row) for row in rows}
    tag_links: dict[int, list] = {pk: [] for pk in ids}
    for link_id, story_id, tag_id in links:
        link = StoryTag.from_db("default", ["id", "content_object_id", "tag_id"], (link_id, story_id, tag_id))
        link._state.fields_cache["tag"] = tags[tag_id]
        tag_links[story_id].append(link)
    for story in stories:
        story._prefetched_objects_cache = {
            **getattr(story, "_prefetched_objects_cache", {}),
            "authors": _fetched(story.authors, authors[story.pk]),
            "tag_links": _fetched(story.tag_links, tag_links[story.pk]),
        }


def _fetched(manager, rows: list) -> QuerySet:
    """The related manager's queryset holding these rows already, as a prefetch leaves it: read
    as is, and narrowed further (`.filter()`) with a query of its own."""
    queryset = manager._apply_rel_filters(manager.model._default_manager.all())
    queryset._result_cache, queryset._prefetch_done = rows, True
    return queryset
