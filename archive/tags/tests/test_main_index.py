"""The rule for a work's main ids (`index_work`): marked ones, else all of their kind; and their roles."""

from archive.tags.filtering import in_friendship, in_romance, index_work
from archive.tags.models import Tag

FANDOM, CAROL, DARYL, MERLE, CARYL, DIXONS, ANGST = 1, 2, 3, 4, 5, 6, 7
KINDS = {
    FANDOM: Tag.Kind.FANDOM,
    CAROL: Tag.Kind.CHARACTER,
    DARYL: Tag.Kind.CHARACTER,
    MERLE: Tag.Kind.CHARACTER,
    CARYL: Tag.Kind.RELATIONSHIP,
    DIXONS: Tag.Kind.RELATIONSHIP,
    ANGST: Tag.Kind.FREEFORM,
}
ROLES = {CARYL: [in_romance(CAROL), in_romance(DARYL)], DIXONS: [in_friendship(DARYL), in_friendship(MERLE)]}
EVERYTHING = set(KINDS)


def test_with_nothing_marked_every_character_and_relationship_and_role_is_main_and_nothing_else():
    index = index_work(EVERYTHING, KINDS, ROLES)

    assert set(index.main_ids) == {CAROL, DARYL, MERLE, CARYL, DIXONS, *ROLES[CARYL], *ROLES[DIXONS]}


def test_marked_characters_leave_the_relationships_all_main_when_none_of_them_is_marked():
    index = index_work(EVERYTHING, KINDS, ROLES, {CAROL})

    assert set(index.main_ids) == {CAROL, CARYL, DIXONS, *ROLES[CARYL], *ROLES[DIXONS]}


def test_a_background_relationship_gives_its_characters_no_main_roles():
    index = index_work(EVERYTHING, KINDS, ROLES, {CAROL, CARYL})

    assert set(index.main_ids) == {CAROL, CARYL, *ROLES[CARYL]}
    assert set(index.role_ids) == {*ROLES[CARYL], *ROLES[DIXONS]}  # every role still counts as tagged


def test_a_mark_on_a_tag_the_work_does_not_have_is_ignored():
    assert index_work({FANDOM, CAROL}, KINDS, ROLES, {MERLE}).main_ids == [CAROL]
