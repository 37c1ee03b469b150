"""Tag names that grow when case-folded or normalised ("ß" is "ss", "ﬃ" is "ffi", "İ" is "i̇"):
a tag of the longest name allowed still fits every column derived from it (its match key and
its slug), whatever field or wrangling form it comes through."""

import pytest

from archive.accounts.tests.factories import UserFactory
from archive.stories.models import Story
from archive.stories.tests.factories import make_story, work_form_data
from archive.tags.models import MAX_TAG_LENGTH, Tag
from archive.tags.names import MAX_KEY_LENGTH, match_key

pytestmark = pytest.mark.django_db

GROWING = ["ß", "ﬃ", "İ", "ﷺ"]


def long_name(char: str) -> str:
    return char * MAX_TAG_LENGTH


@pytest.mark.parametrize("char", GROWING)
def test_the_match_key_of_the_longest_name_fits_its_column(char):
    name = long_name(char)

    assert len(match_key(name)) <= MAX_KEY_LENGTH
    assert len(match_key(f"{name[:74]}/{name[:74]}", relationship=True)) <= MAX_KEY_LENGTH


def test_long_keys_stay_distinct_and_ignore_case_as_short_ones_do():
    one, other = "ß" * 149 + "a", "ß" * 149 + "b"

    assert match_key(one) != match_key(other)
    assert match_key(one) == match_key(one.upper().replace("SS", "ß")) == match_key("ß" * 149 + "A")
    assert match_key("ß" * 10) == "ss" * 10  # short keys are unchanged


@pytest.mark.parametrize("field", ["fandoms", "characters", "relationships", "freeforms"])
@pytest.mark.parametrize("char", GROWING)
def test_a_work_tagged_with_the_longest_growing_name_is_posted_and_the_tag_found_again(author_client, field, char):
    name = long_name(char)
    data = work_form_data(**{field: name}) if field != "fandoms" else work_form_data(fandoms=name)

    first = author_client.post("/works/new", data)
    second = author_client.post("/works/new", data)

    assert first.status_code == 302, first.context and first.context["form"].errors
    assert second.status_code == 302
    assert Tag.objects.filter(name=name).count() == 1
    assert Story.objects.filter(tag_links__tag__name=name).count() == 2


@pytest.mark.parametrize("char", GROWING)
def test_renaming_a_tag_to_the_longest_growing_name_works(client, char):
    make_story(freeforms=["Short"])
    client.force_login(UserFactory(is_staff=True))

    response = client.post("/wrangling/tags/Short/rename", {"name": long_name(char)})

    assert response.status_code == 302
    assert Tag.objects.filter(name=long_name(char)).exists()
