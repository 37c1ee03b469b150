"""Story cards, rendered once and kept (archive/caching/fragments.py): a list page's twenty cards,
with the authors and tags they need fetched and built as models, were four fifths of what it cost
to render.

A card shows the work's own row, its authors and its tags, the same for every reader. Its key is
a digest of the row's shown values and `edited_at` (which every change to a work's tags moves),
with the versions of what tags mean (wrangling) and of everything (a renamed account): a work
that changes in any way a card shows gets a new key. Lists fetch their works with `card_rows()`;
only the cards not kept have their authors and tags fetched, here.
"""

from django.db.models import prefetch_related_objects
from django.template.loader import get_template
from django.utils.safestring import SafeString

from archive.caching import versions
from archive.caching.fragments import fragment_key, fragment_tokens, kept_fragments
from archive.stories.querysets import tags_and_authors

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
        # One query each for the authors, links and tags of all of them; works that have them are skipped.
        prepare=lambda missing: prefetch_related_objects(missing, *tags_and_authors()),
    )
