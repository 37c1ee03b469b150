"""Tag.use_count: how many posted works carry a tag (a canonical tag: with its synonyms' works)."""

import pytest

from archive.stories.models import Story
from archive.stories.tests.factories import make_story, work_form_data
from archive.tags.filtering import in_friendship, in_romance
from archive.tags.models import Tag
from archive.wrangling import services as wrangling

pytestmark = pytest.mark.django_db

TWD = "The Walking Dead (TV)"


def count(name: str) -> int:
    return Tag.objects.get(name=name).use_count


def counts(*names: str) -> dict[str, int]:
    return {name: count(name) for name in names}


def tag(name: str) -> Tag:
    return Tag.objects.get(name=name)


def work_form(**overrides) -> dict:
    return work_form_data(
        **{
            "title": "Prison Garden",
            "fandoms": TWD,
            "characters": "Carol Peletier",
            "relationships": "Carol Peletier/Daryl Dixon",
            "freeforms": "Fluff",
            "chapter-body": "They planted beans.",
            **overrides,
        }
    )


def edit_form(**overrides) -> dict:
    data = {key: value for key, value in work_form().items() if not key.startswith("chapter-") and key != "action"}
    data.update(overrides)
    return data


def post_work(client, **overrides) -> Story:
    response = client.post("/works/new", work_form(**overrides))
    assert response.status_code == 302
    return Story.objects.get(pk=response.url.rsplit("/", 1)[1])


# Posting, drafts, edits, deletions


def test_posting_a_work_counts_each_of_its_tags_once(author_client):
    post_work(author_client)

    assert counts(TWD, "Carol Peletier", "Carol Peletier/Daryl Dixon", "Fluff") == {
        TWD: 1,
        "Carol Peletier": 1,
        "Carol Peletier/Daryl Dixon": 1,
        "Fluff": 1,
    }


def test_characters_only_named_in_a_ship_are_not_counted(author_client):
    post_work(author_client)

    assert count("Daryl Dixon") == 0


def test_each_posted_work_adds_one(author_client):
    post_work(author_client)
    post_work(author_client, characters="carol peletier", relationships="Daryl Dixon/Carol Peletier")

    assert counts("Carol Peletier", "Carol Peletier/Daryl Dixon", "Fluff") == {
        "Carol Peletier": 2,
        "Carol Peletier/Daryl Dixon": 2,
        "Fluff": 2,
    }


def test_the_info_page_shows_the_count(author_client, client):
    post_work(author_client)
    post_work(author_client)

    assert '<a href="/tags/Fluff/works">2 posted works</a>' in client.get("/tags/Fluff").content.decode()


def test_saving_a_draft_counts_nothing(author_client):
    post_work(author_client, action="draft")

    assert counts(TWD, "Carol Peletier", "Carol Peletier/Daryl Dixon", "Fluff") == {
        TWD: 0,
        "Carol Peletier": 0,
        "Carol Peletier/Daryl Dixon": 0,
        "Fluff": 0,
    }


def test_posting_a_draft_counts_its_tags_once_even_if_posted_twice(author_client):
    draft = post_work(author_client, action="draft")

    assert author_client.post(f"/works/{draft.pk}/post").status_code == 302
    assert author_client.post(f"/works/{draft.pk}/post").status_code == 302

    assert counts(TWD, "Carol Peletier", "Fluff") == {TWD: 1, "Carol Peletier": 1, "Fluff": 1}


def test_editing_a_works_tags_moves_one_use_from_the_old_tag_to_the_new(author_client):
    story = post_work(author_client)
    post_work(author_client)

    response = author_client.post(f"/works/{story.pk}/edit", edit_form(characters="Daryl Dixon", freeforms="Angst"))

    assert response.status_code == 302
    assert counts("Carol Peletier", "Daryl Dixon", "Fluff", "Angst", TWD, "Carol Peletier/Daryl Dixon") == {
        "Carol Peletier": 1,
        "Daryl Dixon": 1,
        "Fluff": 1,
        "Angst": 1,
        TWD: 2,
        "Carol Peletier/Daryl Dixon": 2,
    }


def test_saving_a_work_without_changing_its_tags_leaves_the_counts(author_client):
    story = post_work(author_client)

    author_client.post(f"/works/{story.pk}/edit", edit_form(title="Retitled"))

    assert counts(TWD, "Carol Peletier", "Fluff") == {TWD: 1, "Carol Peletier": 1, "Fluff": 1}


def test_editing_a_drafts_tags_counts_nothing(author_client):
    draft = post_work(author_client, action="draft")

    author_client.post(f"/works/{draft.pk}/edit", edit_form(freeforms="Angst"))

    assert counts("Fluff", "Angst") == {"Fluff": 0, "Angst": 0}


def test_deleting_a_posted_work_takes_its_uses_away(author_client):
    story = post_work(author_client)
    post_work(author_client, freeforms="")

    assert author_client.post(f"/works/{story.pk}/delete").status_code == 302

    assert counts(TWD, "Carol Peletier", "Fluff") == {TWD: 1, "Carol Peletier": 1, "Fluff": 0}


def test_deleting_a_draft_changes_no_count(author_client):
    post_work(author_client)
    draft = post_work(author_client, action="draft")

    author_client.post(f"/works/{draft.pk}/delete")

    assert counts(TWD, "Fluff") == {TWD: 1, "Fluff": 1}


# Wrangling


def test_a_canonical_tag_counts_its_synonyms_works(wrangler):
    make_story(characters=["Carol Peletier"])
    make_story(characters=["Carol"])
    make_story(characters=["Carol"])

    wrangling.make_canonical(tag=tag("Carol Peletier"), user=wrangler)
    wrangling.make_synonym(tag=tag("Carol"), of=tag("Carol Peletier"), user=wrangler)

    assert count("Carol Peletier") == 3


def test_a_work_with_a_tag_and_its_synonym_is_counted_once(wrangler):
    make_story(characters=["Carol Peletier", "Carol"])
    make_story(characters=["Carol"])

    wrangling.make_canonical(tag=tag("Carol Peletier"), user=wrangler)
    wrangling.make_synonym(tag=tag("Carol"), of=tag("Carol Peletier"), user=wrangler)

    assert count("Carol Peletier") == 2


def test_a_synonym_counts_nothing_of_its_own_since_its_works_count_under_the_canonical(wrangler):
    make_story(characters=["Carol Peletier"])
    make_story(characters=["Carol"])
    make_story(characters=["Carol"])

    wrangling.make_canonical(tag=tag("Carol Peletier"), user=wrangler)
    wrangling.make_synonym(tag=tag("Carol"), of=tag("Carol Peletier"), user=wrangler)

    assert (count("Carol"), count("Carol Peletier")) == (0, 3)


def test_a_work_posted_with_a_synonym_counts_for_the_canonical(wrangler):
    make_story(characters=["Carol Peletier"])
    make_story(characters=["Carol"])
    wrangling.make_canonical(tag=tag("Carol Peletier"), user=wrangler)
    wrangling.make_synonym(tag=tag("Carol"), of=tag("Carol Peletier"), user=wrangler)

    make_story(characters=["carol"])
    make_story(characters=["carol"], post=False)

    assert count("Carol Peletier") == 3


def test_deleting_a_work_tagged_with_a_synonym_takes_the_use_from_the_canonical(author_client, wrangler):
    post_work(author_client, characters="Carol Peletier")
    story = post_work(author_client, characters="Carol")
    wrangling.make_canonical(tag=tag("Carol Peletier"), user=wrangler)
    wrangling.make_synonym(tag=tag("Carol"), of=tag("Carol Peletier"), user=wrangler)

    author_client.post(f"/works/{story.pk}/delete")

    assert count("Carol Peletier") == 1


def test_making_a_synonym_canonical_again_gives_its_works_back(wrangler):
    make_story(characters=["Carol Peletier"])
    make_story(characters=["Carol"])
    wrangling.make_canonical(tag=tag("Carol Peletier"), user=wrangler)
    wrangling.make_synonym(tag=tag("Carol"), of=tag("Carol Peletier"), user=wrangler)

    wrangling.make_canonical(tag=tag("Carol"), user=wrangler)

    assert counts("Carol Peletier", "Carol") == {"Carol Peletier": 1, "Carol": 1}


def test_making_a_canonical_tag_a_synonym_moves_its_synonyms_works_too(wrangler):
    make_story(characters=["Carol Peletier"])
    make_story(characters=["Carol P."])
    make_story(characters=["Carol"])
    wrangling.make_canonical(tag=tag("Carol P."), user=wrangler)
    wrangling.make_synonym(tag=tag("Carol"), of=tag("Carol P."), user=wrangler)
    wrangling.make_canonical(tag=tag("Carol Peletier"), user=wrangler)

    wrangling.make_synonym(tag=tag("Carol P."), of=tag("Carol Peletier"), user=wrangler)

    assert count("Carol Peletier") == 3
    assert tag("Carol").merger == tag("Carol Peletier")


def test_merging_moves_every_use_into_the_other_tag_and_counts_shared_works_once(wrangler):
    make_story(freeforms=["Fluff"])
    make_story(freeforms=["Fluff", "fluffy"])
    make_story(freeforms=["fluffy"])
    make_story(freeforms=["fluffy"])

    wrangling.merge(tag=tag("fluffy"), into=tag("Fluff"), user=wrangler)

    assert count("Fluff") == 4
    assert not Tag.objects.filter(name="fluffy").exists()


def test_merging_a_tag_without_posted_works_changes_no_count(wrangler):
    make_story(freeforms=["Fluff"])
    make_story(freeforms=["fluffy"], post=False)

    wrangling.merge(tag=tag("fluffy"), into=tag("Fluff"), user=wrangler)

    assert count("Fluff") == 1


def test_merging_a_canonical_tag_counts_its_synonyms_works_under_the_tag_it_merged_into(wrangler):
    make_story(freeforms=["Fluff"])
    make_story(freeforms=["Fluffy"])
    make_story(freeforms=["fluff!"])
    wrangling.make_canonical(tag=tag("Fluff"), user=wrangler)
    wrangling.make_canonical(tag=tag("Fluffy"), user=wrangler)
    wrangling.make_synonym(tag=tag("fluff!"), of=tag("Fluffy"), user=wrangler)

    wrangling.merge(tag=tag("Fluffy"), into=tag("Fluff"), user=wrangler)

    assert tag("fluff!").merger == tag("Fluff")
    assert count("Fluff") == 3


def test_linking_a_relationships_characters_gives_its_works_the_derived_filter_ids(wrangler):
    story = make_story(relationships=["Caryl"])
    make_story(characters=["Carol Peletier", "Daryl Dixon"])
    carol, daryl = tag("Carol Peletier"), tag("Daryl Dixon")
    assert in_romance(carol.pk) not in Story.objects.get(pk=story.pk).role_ids

    wrangling.link_characters(tag=tag("Caryl"), characters=[carol, daryl], ship_kind="romantic", user=wrangler)

    role_ids = Story.objects.get(pk=story.pk).role_ids
    assert {in_romance(carol.pk), in_romance(daryl.pk)} <= set(role_ids)
    assert in_friendship(carol.pk) not in role_ids
    assert counts("Carol Peletier", "Daryl Dixon", "Caryl") == {"Carol Peletier": 1, "Daryl Dixon": 1, "Caryl": 1}


def test_relinking_a_ship_as_platonic_swaps_its_works_derived_ids(wrangler):
    story = make_story(relationships=["Carol Peletier/Daryl Dixon"])
    carol, daryl = tag("Carol Peletier"), tag("Daryl Dixon")

    wrangling.link_characters(
        tag=tag("Carol Peletier/Daryl Dixon"), characters=[carol, daryl], ship_kind="platonic", user=wrangler
    )

    role_ids = set(Story.objects.get(pk=story.pk).role_ids)
    assert {in_friendship(carol.pk), in_friendship(daryl.pk)} <= role_ids
    assert not {in_romance(carol.pk), in_romance(daryl.pk)} & role_ids


def test_linking_a_synonym_ships_characters_reaches_the_works_tagged_with_the_synonym(wrangler):
    story = make_story(relationships=["Caryl"])
    make_story(relationships=["Carol Peletier/Daryl Dixon"])
    wrangling.make_canonical(tag=tag("Carol Peletier/Daryl Dixon"), user=wrangler)
    wrangling.make_synonym(tag=tag("Caryl"), of=tag("Carol Peletier/Daryl Dixon"), user=wrangler)

    story = Story.objects.get(pk=story.pk)

    assert tag("Carol Peletier/Daryl Dixon").pk in story.filter_ids
    assert in_romance(tag("Carol Peletier").pk) in story.role_ids
    assert count("Carol Peletier/Daryl Dixon") == 2
