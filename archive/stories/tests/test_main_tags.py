"""An author marks a work's main characters and relationships; readers see them first and marked (#13)."""

import re

import pytest

from archive.publishing.tests.test_story_form import field_errors, post_accepted, post_rejected
from archive.stories.models import MAX_MAIN_TAGS, Story
from archive.stories.tests.factories import edit_form_data, make_story, work_form_data
from archive.tags.filtering import in_romance
from archive.tags.models import Tag

pytestmark = pytest.mark.django_db

CAROL, DARYL, MERLE, MAGGIE, GLENN = "Carol Peletier", "Daryl Dixon", "Merle Dixon", "Maggie Greene", "Glenn Rhee"
CARYL = f"{CAROL}/{DARYL}"


def mains(story: Story) -> list[str]:
    return list(story.tag_links.filter(main=True).order_by("pk").values_list("tag__name", flat=True))


# The form


def test_an_author_marks_main_characters_and_a_relationship_on_a_new_work(author_client):
    story = post_accepted(
        author_client,
        characters=f"{CAROL}, {DARYL}, {MERLE}",
        relationships=CARYL,
        main_characters=f"{CAROL}, {DARYL}",
        main_relationships=CARYL,
    )

    assert mains(story) == [CAROL, DARYL, CARYL]


def test_a_main_character_typed_in_another_case_marks_the_works_own_tag(author_client):
    story = post_accepted(author_client, characters=f"{CAROL}, {MERLE}", main_characters="carol  peletier")

    assert mains(story) == [CAROL]
    assert Tag.objects.filter(name__iexact="carol peletier").count() == 1


def test_a_main_character_who_is_not_among_the_works_characters_is_refused_next_to_the_field(author_client):
    page = post_rejected(author_client, characters=CAROL, main_characters=f"{CAROL}, {GLENN}")

    assert field_errors(page, "main_characters") == [f"“{GLENN}” is not in characters; add it there first."]
    assert f'value="{CAROL}, {GLENN}"' in page  # what the author typed is kept


def test_a_main_relationship_must_be_one_of_the_works_relationships(author_client):
    page = post_rejected(author_client, characters=CAROL, main_relationships=CAROL)

    assert field_errors(page, "main_relationships") == [f"“{CAROL}” is not in relationships; add it there first."]


def test_more_main_characters_than_the_limit_are_refused_with_the_limit_in_the_message(author_client):
    names = [CAROL, DARYL, MERLE, MAGGIE, GLENN]
    assert len(names) > MAX_MAIN_TAGS[Tag.Kind.CHARACTER]

    page = post_rejected(author_client, characters=", ".join(names), main_characters=", ".join(names))

    limit = MAX_MAIN_TAGS[Tag.Kind.CHARACTER]
    assert field_errors(page, "main_characters") == [
        f"Mark at most {limit} main characters; you marked 5. The others can stay as background."
    ]
    assert f"Up to {limit} of the characters above" in page  # the form says the limit up front


def test_more_main_relationships_than_the_limit_are_refused(author_client):
    ships = [CARYL, f"{MAGGIE}/{GLENN}", f"{DARYL} & {MERLE}"]

    page = post_rejected(author_client, relationships=", ".join(ships), main_relationships=", ".join(ships))

    assert field_errors(page, "main_relationships")[0].startswith("Mark at most 2 main relationships")


def test_the_edit_form_shows_the_main_ones_and_saves_a_change(author, author_client):
    story = make_story(author=author, characters=[CAROL, DARYL], main_characters=[CAROL])
    page = author_client.get(f"/works/{story.pk}/edit").content.decode()
    assert re.search(rf'name="main_characters" value="{CAROL}"', page)

    response = author_client.post(
        f"/works/{story.pk}/edit", edit_form_data(story, characters=f"{CAROL}, {DARYL}", main_characters=DARYL)
    )

    assert response.status_code == 302
    assert mains(story) == [DARYL]


def test_clearing_the_main_characters_makes_every_character_main_again(author, author_client):
    story = make_story(author=author, characters=[CAROL, DARYL], main_characters=[CAROL])

    author_client.post(f"/works/{story.pk}/edit", edit_form_data(story, characters=f"{CAROL}, {DARYL}"))

    story.refresh_from_db()
    assert mains(story) == []
    assert set(story.main_ids) == {Tag.objects.get(name=name).pk for name in (CAROL, DARYL)}


# What the archive stores


def test_main_ids_hold_the_marked_ones_and_the_roles_in_main_relationships_only():
    story = make_story(
        characters=[CAROL, MERLE], relationships=[CARYL, f"{MAGGIE}/{GLENN}"], main_characters=[CAROL],
        main_relationships=[CARYL],
    )  # fmt: skip
    ids = {tag.name: tag.pk for tag in Tag.objects.all()}

    story.refresh_from_db()
    assert set(story.main_ids) == {ids[CAROL], ids[CARYL], in_romance(ids[CAROL]), in_romance(ids[DARYL])}


def test_a_work_with_nothing_marked_counts_all_its_characters_and_relationships_as_main():
    story = make_story(characters=[CAROL], relationships=[CARYL], freeforms=["Angst"])
    ids = {tag.name: tag.pk for tag in Tag.objects.all()}

    story.refresh_from_db()
    assert set(story.main_ids) == {ids[CAROL], ids[CARYL], in_romance(ids[CAROL]), in_romance(ids[DARYL])}


# What readers see


def test_the_work_page_lists_main_characters_first_and_marks_them(client):
    story = make_story(characters=[MERLE, CAROL, DARYL], main_characters=[DARYL, CAROL])

    page = client.get(story.get_absolute_url()).content.decode()

    block = re.search(r'<dd class="character tags">(.*?)</dd>', page, re.S).group(1)
    assert re.findall(r'<a class="tag"[^>]*>([^<]*)</a>', block) == [CAROL, DARYL, MERLE]
    assert block.count('<li class="main">') == 2
    assert block.count('<span class="visually-hidden"> (main)</span>') == 2


def test_a_work_with_nothing_marked_shows_its_tags_as_typed_and_unmarked(client):
    story = make_story(characters=[MERLE, CAROL])

    page = client.get(story.get_absolute_url()).content.decode()

    assert "(main)" not in page
    assert page.index(MERLE) < page.index(CAROL)


def test_a_card_lists_main_ones_first_and_marks_them(client):
    make_story(characters=[MERLE, CAROL], relationships=[f"{MAGGIE}/{GLENN}", CARYL], main_relationships=[CARYL])

    page = client.get("/").content.decode()

    items = re.findall(r'<li class="(relationship|character)( main)?"><a class="tag"[^>]*>([^<]*)</a>', page)
    assert items == [
        ("relationship", " main", CARYL),
        ("relationship", "", f"{MAGGIE}/{GLENN}"),
        ("character", "", MERLE),
        ("character", "", CAROL),
    ]


def test_changing_the_main_characters_changes_the_kept_card_and_work_page(author, author_client, client):
    story = make_story(author=author, characters=[CAROL, DARYL])
    assert "(main)" not in client.get("/").content.decode()
    assert "(main)" not in client.get(story.get_absolute_url()).content.decode()

    author_client.post(
        f"/works/{story.pk}/edit", edit_form_data(story, characters=f"{CAROL}, {DARYL}", main_characters=DARYL)
    )

    assert "(main)" in client.get("/").content.decode()
    assert "(main)" in client.get(story.get_absolute_url()).content.decode()


def test_the_preview_shows_the_main_ones_first_and_marked_and_saves_nothing(author_client):
    data = work_form_data(characters=f"{MERLE}, {CAROL}", main_characters="carol peletier", action="preview")
    before = Story.objects.count()

    page = author_client.post("/works/new", data).content.decode()

    assert Story.objects.count() == before
    shown = page[page.index('<section class="preview-page"') : page.index("</section>")]
    block = re.search(r'<dd class="character tags">(.*?)</dd>', shown, re.S).group(1)
    assert re.findall(r'<a class="tag"[^>]*>([^<]*)</a>', block) == [CAROL, MERLE]
    assert block.count("(main)") == 1
    assert 'name="main_characters" value="carol peletier"' in page  # as typed, to post or change


@pytest.mark.parametrize("url", ["/works/new", "/works/search"])
def test_the_main_fields_suggest_tags_of_their_kind_as_the_others_do(author_client, url):
    page = author_client.get(url).content.decode()

    for name, kind in [("main_characters", "character"), ("main_relationships", "relationship")]:
        assert re.search(rf'<input(?=[^>]*name="{name}")(?=[^>]*data-tag-kind="{kind}")[^>]*>', page), name
