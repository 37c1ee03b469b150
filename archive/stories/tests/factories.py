"""Stories made the way authors make them: through the services, so every counter is right."""

from archive.accounts.tests.factories import UserFactory
from archive.publishing.services import add_chapter, create_story
from archive.stories.choices import Rating, Warning
from archive.stories.models import Story
from archive.tags.models import Tag


def make_story(
    *,
    author=None,
    title: str = "A Story",
    fandoms=("Greek Mythology",),
    characters=(),
    relationships=(),
    freeforms=(),
    main_characters=(),
    main_relationships=(),
    chapters: int = 1,
    post: bool = True,
    expected_chapters: int | None = None,
    body: str = "Once upon a time there were five words.",
    **story_fields,
) -> Story:
    author = author or UserFactory()
    fields = {
        "title": title,
        "summary": "",
        "notes": "",
        "end_notes": "",
        "rating": Rating.GENERAL,
        "warnings": Warning.NONE_APPLY,
        "categories": 0,
        "language": "en",
        "expected_chapters": expected_chapters,
        **story_fields,
    }
    story = create_story(
        author=author,
        story_fields=fields,
        tags_by_kind={
            Tag.Kind.FANDOM: list(fandoms),
            Tag.Kind.CHARACTER: list(characters),
            Tag.Kind.RELATIONSHIP: list(relationships),
            Tag.Kind.FREEFORM: list(freeforms),
        },
        mains_by_kind={Tag.Kind.CHARACTER: list(main_characters), Tag.Kind.RELATIONSHIP: list(main_relationships)},
        chapter_fields={"title": "", "notes": "", "end_notes": "", "body": f"<p>{body}</p>"},
        post=post,
    )
    for number in range(2, chapters + 1):
        add_chapter(
            story=story,
            fields={"title": f"Part {number}", "notes": "", "end_notes": "", "body": f"<p>{body}</p>"},
            post=post,
        )
    story.refresh_from_db()
    return story


BLANK_WORK_FORM = {
    "title": "The Long Way Round",
    "summary": "",
    "notes": "",
    "end_notes": "",
    "rating": "teen",
    "warnings": ["8"],
    "categories": [],
    "language": "en",
    "fandoms": "Greek Mythology",
    "characters": "",
    "relationships": "",
    "freeforms": "",
    "expected_chapters": "",
    "chapter-title": "",
    "chapter-notes": "",
    "chapter-end_notes": "",
    "chapter-body": "They left at dawn.",
    "action": "post",
}


def work_form_data(**fields) -> dict:
    """What the "Post a new work" form sends: these fields, and the rest as a minimal valid work."""
    return {**BLANK_WORK_FORM, **fields}


def edit_form_data(story: Story, **fields) -> dict:
    """What the "Edit work" form sends for this work: these fields, and the rest as a minimal valid work."""
    data = work_form_data(title=story.title, **fields)
    return {key: value for key, value in data.items() if not key.startswith("chapter-") and key != "action"}
