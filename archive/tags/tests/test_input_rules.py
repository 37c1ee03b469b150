"""The rules for tags typed on "Post a new work": tidied, merged, and refused with a reason."""

import html
import re

import pytest

from archive.chapters.models import Chapter
from archive.stories.models import Story
from archive.stories.tests.factories import make_story, work_form_data
from archive.tags.models import Tag

pytestmark = pytest.mark.django_db

TAG_FIELDS = ["fandoms", "characters", "relationships", "freeforms"]


def work_form(**overrides) -> dict:
    return work_form_data(
        **{
            "title": "Prison Garden",
            "summary": "Beans.",
            "categories": ["2"],
            "fandoms": "The Walking Dead (TV)",
            "chapter-body": "They planted beans.",
            **overrides,
        }
    )


def post_work(client, **overrides):
    return client.post("/works/new", work_form(**overrides))


def posted_story(response) -> Story:
    assert response.status_code == 302, field_errors(response)
    return Story.objects.get(pk=response.url.rsplit("/", 1)[1])


def story_tags(story: Story, kind: str) -> list[str]:
    return [link.tag.name for link in story.tag_links.select_related("tag").order_by("id") if link.tag.kind == kind]


def field_errors(response, field: str | None = None) -> list[str] | dict[str, list[str]]:
    """The errors listed under one field of the form (every field's when None), as shown."""
    page = response.content.decode()
    found = {
        name: [html.unescape(error) for error in re.findall(r"<li>(.*?)</li>", errors, re.S)]
        for name, errors in re.findall(r'<ul class="errorlist" id="id_([\w-]+)_error">(.*?)</ul>', page, re.S)
    }
    return found.get(field, []) if field else found


def form_alert(response) -> str:
    match = re.search(r'<div class="form-errors" role="alert">(.*?)</div>', response.content.decode(), re.S)
    return html.unescape(match[1]) if match else ""


@pytest.fixture
def nothing_saved():
    """After the test: no work, chapter or tag beyond those that existed before it."""
    before = set(Tag.objects.values_list("pk", flat=True))
    stories = set(Story.objects.values_list("pk", flat=True))
    yield
    assert set(Story.objects.values_list("pk", flat=True)) == stories
    assert not Chapter.objects.exclude(story__in=stories).exists()
    assert set(Tag.objects.values_list("pk", flat=True)) == before


# Tidying


def test_tags_are_trimmed_and_inner_spaces_made_single(author_client):
    story = posted_story(
        post_work(author_client, characters="   Carol    Peletier  ,\tDaryl Dixon\n", freeforms=" Slow  Burn ")
    )

    assert story_tags(story, Tag.Kind.CHARACTER) == ["Carol Peletier", "Daryl Dixon"]
    assert story_tags(story, Tag.Kind.FREEFORM) == ["Slow Burn"]


def test_empty_entries_between_commas_are_ignored(author_client):
    story = posted_story(post_work(author_client, freeforms=",Fluff,, ,  ,Angst,"))

    assert story_tags(story, Tag.Kind.FREEFORM) == ["Fluff", "Angst"]


def test_tags_keep_the_order_they_were_typed_in(author_client):
    story = posted_story(post_work(author_client, freeforms="Zombies, Angst, Fluff"))

    assert story_tags(story, Tag.Kind.FREEFORM) == ["Zombies", "Angst", "Fluff"]


def test_duplicates_whatever_their_case_are_merged_into_the_first_spelling(author_client):
    story = posted_story(post_work(author_client, freeforms="Found Family, found family, FOUND  FAMILY, Angst"))

    assert story_tags(story, Tag.Kind.FREEFORM) == ["Found Family", "Angst"]
    assert Tag.objects.of_kind(Tag.Kind.FREEFORM).count() == 2


def test_a_tag_typed_in_another_case_than_an_existing_tag_reuses_it(author_client):
    make_story(freeforms=["Found Family"])

    story = posted_story(post_work(author_client, freeforms="fOUND fAMILY"))

    assert story_tags(story, Tag.Kind.FREEFORM) == ["Found Family"]
    assert Tag.objects.get(name="Found Family").use_count == 2


def test_a_tag_of_exactly_150_characters_is_accepted(author_client):
    name = "x" * 150

    story = posted_story(post_work(author_client, freeforms=name))

    assert story_tags(story, Tag.Kind.FREEFORM) == [name]


def test_seventy_five_tags_are_accepted(author_client):
    freeforms = ", ".join(f"Trope {n}" for n in range(74))

    story = posted_story(post_work(author_client, freeforms=freeforms))

    assert story.tag_links.count() == 75


# Refusals: an error next to the field, nothing saved


@pytest.mark.parametrize(
    ("existing", "typed", "message"),
    [
        (
            {"characters": ["Carol Peletier"]},
            {"freeforms": "carol peletier"},
            "“Carol Peletier” is already a character tag, so it can't be a additional tag.",
        ),
        (
            {"freeforms": ["Zombies"]},
            {"fandoms": "ZOMBIES"},
            "“Zombies” is already a additional tag tag, so it can't be a fandom.",
        ),
        (
            {"fandoms": ["The Walking Dead (TV)"]},
            {"fandoms": "Crossover", "characters": "The Walking Dead (TV)"},
            "“The Walking Dead (TV)” is already a fandom tag, so it can't be a character.",
        ),
        (
            {"relationships": ["Carol Peletier/Daryl Dixon"]},
            {"freeforms": "Carol Peletier/Daryl Dixon"},
            "“Carol Peletier/Daryl Dixon” is already a relationship tag, so it can't be a additional tag.",
        ),
    ],
)
def test_a_name_that_is_already_a_tag_of_another_kind_is_an_error_next_to_the_field(
    author_client, existing, typed, message
):
    make_story(**{"fandoms": ["Other Fandom"], **existing})
    tags_before = Tag.objects.count()
    field = next(name for name in typed if name != "fandoms" or len(typed) == 1)

    response = post_work(author_client, **typed)

    assert response.status_code == 200
    assert field_errors(response, field) == [message]
    assert set(field_errors(response)) == {field}
    assert Story.objects.count() == 1
    assert Tag.objects.count() == tags_before


def test_a_name_typed_as_two_kinds_on_one_work_is_an_error(author_client, nothing_saved):
    response = post_work(author_client, characters="Carol Peletier", freeforms="carol peletier")

    assert response.status_code == 200
    assert field_errors(response, "freeforms") == ["“carol peletier” is also in characters; a tag has one kind."]


def test_an_error_keeps_everything_the_author_typed(author_client):
    make_story(characters=["Zombies"])

    response = post_work(author_client, freeforms="Zombies, Slow Burn", characters="Carol Peletier")

    page = response.content.decode()
    assert 'value="Zombies, Slow Burn"' in page
    assert 'value="Carol Peletier"' in page
    assert "They planted beans." in page
    assert "nothing was saved yet" in form_alert(response)
    assert Story.objects.count() == 1


def test_a_character_named_by_a_ship_that_is_already_a_relationship_elsewhere_is_fine(author_client):
    make_story(relationships=["Carol Peletier & Daryl Dixon"])

    story = posted_story(post_work(author_client, relationships="Daryl Dixon & Carol Peletier"))

    assert story_tags(story, Tag.Kind.RELATIONSHIP) == ["Carol Peletier & Daryl Dixon"]


@pytest.mark.parametrize(
    ("existing", "field"),
    [
        ({"freeforms": ["Daryl Dixon/Carol Peletier"]}, "relationships"),
        ({"relationships": ["Daryl Dixon/Carol Peletier"]}, "freeforms"),
    ],
)
def test_an_unsorted_ship_name_that_is_already_a_tag_of_another_kind_is_an_error_not_a_crash(
    author_client, existing, field
):
    make_story(**existing)

    response = post_work(author_client, **{field: "Daryl Dixon/Carol Peletier"})

    assert response.status_code == 200
    assert field_errors(response, field)
    assert Story.objects.count() == 1


@pytest.mark.parametrize("field", TAG_FIELDS)
def test_a_tag_longer_than_150_characters_is_an_error(author_client, nothing_saved, field):
    name = "y" * 151

    response = post_work(author_client, **{field: f"Fine Tag, {name}"})

    assert response.status_code == 200
    [error] = field_errors(response, field)
    assert error == f"“{'y' * 40}…” is 151 characters long; a tag may have at most 150."


def test_more_than_seventy_five_tags_is_an_error_for_the_form(author_client, nothing_saved):
    freeforms = ", ".join(f"Trope {n}" for n in range(75))

    response = post_work(author_client, freeforms=freeforms)

    assert response.status_code == 200
    assert form_alert(response).strip() == (
        "<p>A work may have at most 75 fandom, character, relationship and additional tags together; "
        "this one has 76.</p>"
    )


def test_duplicates_do_not_count_towards_the_limit(author_client):
    freeforms = ", ".join([f"Trope {n}" for n in range(74)] + ["trope 1", "TROPE 2"])

    story = posted_story(post_work(author_client, freeforms=freeforms))

    assert story.tag_links.count() == 75


@pytest.mark.parametrize("char", list("*<>^{}=`"))
@pytest.mark.parametrize("field", TAG_FIELDS)
def test_each_forbidden_character_is_an_error(author_client, nothing_saved, field, char):
    name = f"Bad{char}Tag"

    response = post_work(author_client, **{field: f"Good Tag, {name}"})

    assert response.status_code == 200
    assert field_errors(response, field) == [f"“{name}” contains a character tags can't use (* < > ^ {{ }} = or `)."]


def test_every_bad_tag_in_a_field_gets_its_own_error(author_client, nothing_saved):
    response = post_work(author_client, freeforms="a*b, c=d, " + "z" * 151)

    assert len(field_errors(response, "freeforms")) == 3


def test_a_draft_follows_the_same_rules(author_client, nothing_saved):
    response = post_work(author_client, freeforms="Bad*Tag", action="draft")

    assert response.status_code == 200
    assert field_errors(response, "freeforms")


def test_editing_a_work_follows_the_same_rules_and_keeps_its_tags(author, author_client):
    story = make_story(author=author, characters=["Carol Peletier"], freeforms=["Zombies"])
    make_story(characters=["Daryl Dixon"])

    response = author_client.post(
        f"/works/{story.pk}/edit",
        {
            **{key: value for key, value in work_form().items() if not key.startswith("chapter-")},
            "freeforms": "Daryl Dixon, Angst",
        },
    )

    assert response.status_code == 200
    assert field_errors(response, "freeforms") == [
        "“Daryl Dixon” is already a character tag, so it can't be a additional tag."
    ]
    assert story_tags(story, Tag.Kind.FREEFORM) == ["Zombies"]
    assert Tag.objects.get(name="Zombies").use_count == 1
