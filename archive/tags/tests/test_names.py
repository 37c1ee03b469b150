"""What a relationship tag's name means (archive/tags/names.py): its kind, its characters, its key."""

import pytest

from archive.tags.names import PLATONIC, ROMANTIC, Ship, match_key, parse_relationship, tidy


def test_a_slash_between_two_names_is_a_romantic_relationship():
    assert parse_relationship("Carol Peletier/Daryl Dixon") == Ship(ROMANTIC, ("Carol Peletier", "Daryl Dixon"))


def test_an_ampersand_between_two_names_is_a_platonic_relationship():
    assert parse_relationship("Carol Peletier & Daryl Dixon") == Ship(PLATONIC, ("Carol Peletier", "Daryl Dixon"))


def test_an_ampersand_without_spaces_is_platonic_too():
    assert parse_relationship("Carol&Daryl") == Ship(PLATONIC, ("Carol", "Daryl"))


def test_three_names_joined_by_slashes_are_a_romance_of_three():
    assert parse_relationship("Carol/Daryl/Michonne") == Ship(ROMANTIC, ("Carol", "Daryl", "Michonne"))


def test_three_names_joined_by_ampersands_are_a_friendship_of_three():
    assert parse_relationship("Carol & Daryl & Michonne") == Ship(PLATONIC, ("Carol", "Daryl", "Michonne"))


def test_any_slash_makes_a_mixed_relationship_romantic():
    ship = parse_relationship("Carol/Daryl & Michonne")

    assert ship == Ship(ROMANTIC, ("Carol", "Daryl", "Michonne"))


def test_spaces_around_and_inside_the_names_are_tidied():
    ship = parse_relationship("  Carol   Peletier  /   Daryl Dixon ")

    assert ship.characters == ("Carol Peletier", "Daryl Dixon")


@pytest.mark.parametrize("name", ["Carol/", "/Daryl", "Carol & ", " & ", "/", "Carol", "Carol Peletier", ""])
def test_a_name_without_two_characters_is_not_a_relationship(name):
    assert parse_relationship(name) is None


def test_a_name_repeated_on_both_sides_is_not_a_relationship():
    assert parse_relationship("Carol/Carol") is None


def test_a_romantic_key_ignores_the_order_case_and_spacing_of_the_names():
    keys = {
        match_key(name, relationship=True)
        for name in [
            "Carol Peletier/Daryl Dixon",
            "Daryl Dixon/Carol Peletier",
            "Carol Peletier / Daryl Dixon",
            "daryl  dixon/CAROL PELETIER",
            " Daryl Dixon /Carol Peletier ",
        ]
    }

    assert keys == {"carol peletier/daryl dixon"}


def test_a_platonic_key_ignores_the_order_of_the_names():
    assert match_key("Daryl & Carol", relationship=True) == match_key("Carol&Daryl", relationship=True) == "carol&daryl"


def test_a_romance_and_a_friendship_between_the_same_characters_have_different_keys():
    assert match_key("Carol/Daryl", relationship=True) != match_key("Carol & Daryl", relationship=True)


def test_every_order_of_three_names_has_one_key():
    orders = ["Carol/Daryl/Michonne", "Michonne/Carol/Daryl", "Daryl / Michonne / Carol"]

    assert {match_key(name, relationship=True) for name in orders} == {"carol/daryl/michonne"}


def test_a_romance_with_a_friend_is_not_the_same_ship_as_a_romance_of_three():
    assert match_key("Carol/Daryl & Michonne", relationship=True) != match_key(
        "Carol/Daryl/Michonne", relationship=True
    )


def test_order_counts_only_for_relationships():
    assert match_key("Carol/Daryl") == "carol/daryl"
    assert match_key("Daryl/Carol") == "daryl/carol"


def test_a_name_that_is_not_a_ship_keeps_its_tidied_name_as_its_key_even_as_a_relationship():
    assert match_key("  Carol  / ", relationship=True) == "carol /"


def test_a_plain_key_is_the_name_trimmed_with_single_spaces_and_no_case():
    assert match_key("  Slow    BURN ") == "slow burn"
    assert tidy("  Slow    BURN ") == "Slow BURN"
