"""Tag wrangling through /wrangling/: what staff can change, what readers see at once, and the log."""

import html
import re
from urllib.parse import quote

import pytest
from django.urls import reverse

from archive.accounts.tests.factories import UserFactory
from archive.core.tests.pages import listed_ids
from archive.stories.models import Story
from archive.stories.tests.factories import make_story
from archive.tags.models import ShipKind, Tag
from archive.wrangling import services
from archive.wrangling.models import WranglingLog

pytestmark = pytest.mark.django_db

TWD = "The Walking Dead (TV)"
CAROL = "Carol Peletier"
DARYL = "Daryl Dixon"


@pytest.fixture
def staff_client(client, wrangler):
    client.force_login(wrangler)
    return client


def tag(name: str) -> Tag:
    return Tag.objects.get(name=name)


def act(client, tag_name: str, action: str, /, **data):
    return client.post(reverse("wrangling:act", args=[tag_name, action]), data)


def text(response) -> str:
    return html.unescape(response.content.decode())


def alert(response) -> str:
    match = re.search(r'<div class="form-errors" role="alert">(.*?)</div>', response.content.decode(), re.S)
    return html.unescape(match[1]) if match else ""


def field_errors(response) -> list[str]:
    page = response.content.decode()
    return [html.unescape(error) for error in re.findall(r'<ul class="errorlist"[^>]*><li>(.*?)</li>', page, re.S)]


def log_lines(client) -> list[str]:
    page = client.get("/wrangling/log").content.decode()
    entries = re.findall(r'<ol class="wrangling-log">.*?</ol>', page, re.S)
    lines = re.findall(r"</time>\s*(.*?)</li>", entries[0], re.S) if entries else []
    return [" ".join(html.unescape(line).split()) for line in lines]


def snapshot() -> list[tuple]:
    """Everything wrangling can change, to show nothing did."""
    tags = [
        (
            t.name,
            t.kind,
            t.canonical,
            t.merger_id,
            t.ship_kind,
            t.use_count,
            tuple(sorted(t.fandoms.values_list("pk", flat=True))),
            tuple(sorted(t.characters.values_list("pk", flat=True))),
        )
        for t in Tag.objects.order_by("pk")
    ]
    works = list(Story.objects.order_by("pk").values_list("pk", "filter_ids"))
    return [tags, works, WranglingLog.objects.count()]


# The list of unwrangled tags


def test_the_wrangling_page_lists_unwrangled_characters_most_used_first_with_their_counts(staff_client):
    make_story(characters=["Carol", DARYL, CAROL])
    make_story(characters=[DARYL, CAROL])
    make_story(characters=[DARYL])
    make_story(characters=["Michonne"], post=False)
    make_story(characters=["Canon Character"], freeforms=["Fluff"])
    services.make_canonical(tag=tag("Canon Character"), user=None)

    response = staff_client.get("/wrangling/")

    assert response.status_code == 200
    rows = re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a></th>\s*<td>(\d+)</td>', response.content.decode())
    assert rows == [(DARYL, "3"), (CAROL, "2"), ("Carol", "1"), ("Michonne", "0")]
    assert f'<a href="{reverse("wrangling:tag", args=[DARYL])}">Wrangle</a>' in response.content.decode()


def test_the_wrangling_page_lists_another_kind_when_asked_and_leaves_out_synonyms(staff_client, wrangler):
    make_story(freeforms=["Fluff", "Angst"])
    make_story(freeforms=["Fluff", "fluffy"])
    services.make_canonical(tag=tag("Fluff"), user=wrangler)
    services.make_synonym(tag=tag("fluffy"), of=tag("Fluff"), user=wrangler)

    response = staff_client.get("/wrangling/?kind=freeform")

    rows = re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a></th>', response.content.decode())
    assert rows == ["Angst"]
    assert '<a href="?kind=freeform" aria-current="page">' in response.content.decode()


def test_the_wrangling_page_says_when_every_tag_of_a_kind_is_wrangled(staff_client):
    assert "Every fandom tag is wrangled." in staff_client.get("/wrangling/?kind=fandom").content.decode()


def test_a_bogus_kind_shows_characters(staff_client):
    make_story(characters=[CAROL])

    assert CAROL in staff_client.get("/wrangling/?kind=bogus").content.decode()


def test_a_tags_wrangling_page_shows_its_state_forms_and_history(staff_client, wrangler):
    make_story(relationships=["Carol Peletier/Daryl Dixon"])
    services.make_canonical(tag=tag("Carol Peletier/Daryl Dixon"), user=wrangler)

    response = staff_client.get(reverse("wrangling:tag", args=["carol peletier/daryl dixon"]))

    page = text(response)
    assert response.status_code == 200
    assert "Relationship (romantic) · canonical · 1 posted work" in " ".join(page.split())
    for action in ("synonym", "fandoms", "characters", "rename", "merge"):
        assert f'action="{reverse("wrangling:act", args=["Carol Peletier/Daryl Dixon", action])}"' in page
    assert "Made canonical “Carol Peletier/Daryl Dixon”" in page


def test_an_unknown_tag_has_no_wrangling_page(staff_client):
    assert staff_client.get("/wrangling/tags/Nobody").status_code == 404
    assert act(staff_client, "Nobody", "canonical").status_code == 404


# Each action, through its form


def test_making_a_tag_canonical_shows_on_its_pages_and_is_logged(staff_client, client):
    make_story(characters=[CAROL])

    response = act(staff_client, CAROL, "canonical")

    assert response.status_code == 302
    assert response.url == reverse("wrangling:tag", args=[CAROL])
    assert tag(CAROL).canonical
    assert "Canonical: works tagged with its synonyms" in client.get("/tags/Carol%20Peletier").content.decode()
    assert "canonical tag" in client.get("/tags/Carol%20Peletier/works").content.decode()
    assert CAROL not in staff_client.get("/wrangling/").content.decode()
    entry = WranglingLog.objects.get()
    assert (entry.user.username, entry.action, entry.tag_name) == ("wrangler", "canonical", CAROL)
    assert log_lines(staff_client) == [f"wrangler: Made canonical “{CAROL}”"]


def test_a_successful_action_says_so(staff_client):
    make_story(characters=[CAROL])

    response = staff_client.post(reverse("wrangling:act", args=[CAROL, "canonical"]), follow=True)

    assert f"“{CAROL}”: made canonical." in text(response)


def test_making_a_synonym_lists_its_works_on_the_canonical_page_at_once(staff_client, client):
    canonical_work = make_story(characters=[CAROL])
    synonym_work = make_story(characters=["Carol"])
    act(staff_client, CAROL, "canonical")

    response = act(staff_client, "Carol", "synonym", of="carol peletier")

    assert response.status_code == 302
    assert tag("Carol").merger == tag(CAROL)
    assert sorted(listed_ids(client.get("/tags/Carol%20Peletier/works"))) == sorted(
        [canonical_work.pk, synonym_work.pk]
    )
    assert client.get("/tags/Carol/works").url == "/tags/Carol%20Peletier/works"
    assert client.get("/tags/Carol").url == "/tags/Carol%20Peletier"
    assert "<li>Carol</li>" in client.get("/tags/Carol%20Peletier").content.decode()
    entry = WranglingLog.objects.first()
    assert (entry.user.username, entry.action, entry.tag_name, entry.detail) == (
        "wrangler",
        "synonym",
        "Carol",
        f"of {CAROL}",
    )
    assert log_lines(staff_client)[0] == f"wrangler: Made a synonym “Carol” — of {CAROL}"


def test_setting_fandoms_shows_on_the_tag_page_and_on_the_fandoms_page(staff_client, client):
    make_story(fandoms=[TWD, "Fear the Walking Dead"], characters=[CAROL])

    response = act(staff_client, CAROL, "fandoms", fandoms=f"{TWD.lower()}, Fear the Walking Dead")

    assert response.status_code == 302
    assert set(tag(CAROL).fandoms.values_list("name", flat=True)) == {TWD, "Fear the Walking Dead"}
    info = client.get("/tags/Carol%20Peletier").content.decode()
    assert f'<a class="tag" href="/tags/The%20Walking%20Dead%20(TV)/works">{TWD}</a>' in info
    fandoms = client.get("/fandoms").content.decode()
    assert len(re.findall(r'<a class="tag" href="/tags/Carol%20Peletier/works">Carol Peletier</a>', fandoms)) == 2
    entry = WranglingLog.objects.get()
    assert (entry.action, entry.tag_name, entry.detail) == ("fandoms", CAROL, f"{TWD}, Fear the Walking Dead")


def test_setting_no_fandoms_clears_them(staff_client):
    make_story(fandoms=[TWD], characters=[CAROL])
    act(staff_client, CAROL, "fandoms", fandoms=TWD)

    act(staff_client, CAROL, "fandoms", fandoms="")

    assert not tag(CAROL).fandoms.exists()


def test_linking_characters_shows_on_the_tag_pages_and_puts_the_works_on_their_pages_with_ships(staff_client, client):
    story = make_story(characters=[CAROL, DARYL])
    ship_work = make_story(relationships=["Caryl"])

    response = act(staff_client, "Caryl", "characters", characters=f"{CAROL}, daryl dixon", ship_kind="platonic")

    assert response.status_code == 302
    caryl = tag("Caryl")
    assert caryl.ship_kind == ShipKind.PLATONIC
    assert set(caryl.characters.values_list("name", flat=True)) == {CAROL, DARYL}
    info = client.get("/tags/Caryl").content.decode()
    assert "Relationship (platonic)" in info
    assert "Characters in this relationship" in info
    assert "Caryl" in client.get("/tags/Daryl%20Dixon").content.decode()
    assert sorted(listed_ids(client.get("/tags/Carol%20Peletier/works?with_ships=on"))) == sorted(
        [story.pk, ship_work.pk]
    )
    entry = WranglingLog.objects.get()
    assert (entry.action, entry.tag_name, entry.detail) == ("characters", "Caryl", f"Platonic: {CAROL}, {DARYL}")


def test_merging_moves_the_works_and_deletes_the_tag(staff_client, client):
    kept = make_story(freeforms=["Fluff"])
    moved = make_story(freeforms=["fluffy"])
    both = make_story(freeforms=["Fluff", "fluffy"])

    response = act(staff_client, "fluffy", "merge", into="FLUFF")

    assert response.status_code == 302
    assert response.url == reverse("wrangling:tag", args=["Fluff"])
    assert not Tag.objects.filter(name="fluffy").exists()
    assert sorted(listed_ids(client.get("/tags/Fluff/works"))) == sorted([kept.pk, moved.pk, both.pk])
    assert client.get("/tags/fluffy/works").status_code == 404
    assert client.get("/tags/fluffy").status_code == 404
    assert tag("Fluff").use_count == 3
    entry = WranglingLog.objects.get()
    assert (entry.user.username, entry.action, entry.tag_name, entry.detail) == (
        "wrangler",
        "merge",
        "Fluff",
        "“fluffy” merged into it",
    )
    assert log_lines(staff_client) == ["wrangler: Merged “Fluff” — “fluffy” merged into it"]


def test_merging_a_relationship_carries_its_fandoms_and_characters(staff_client):
    make_story(fandoms=[TWD], relationships=["Carol/Daryl"])
    make_story(fandoms=[TWD], relationships=["Caryl"])
    act(staff_client, "Carol/Daryl", "fandoms", fandoms=TWD)

    act(staff_client, "Carol/Daryl", "merge", into="Caryl")

    caryl = tag("Caryl")
    assert list(caryl.fandoms.values_list("name", flat=True)) == [TWD]
    assert set(caryl.characters.values_list("name", flat=True)) == {"Carol", "Daryl"}


def test_renaming_moves_the_pages_to_the_new_name_at_once(staff_client, client):
    story = make_story(characters=["Carol Pelletier"])

    response = act(staff_client, "Carol Pelletier", "rename", name="  Carol   Peletier ")

    assert response.status_code == 302
    assert response.url == reverse("wrangling:tag", args=[CAROL])
    assert listed_ids(client.get("/tags/Carol%20Peletier/works")) == [story.pk]
    assert client.get("/tags/Carol%20Pelletier/works").status_code == 404
    assert f'<a class="tag" href="/tags/Carol%20Peletier/works">{CAROL}</a>' in client.get("/").content.decode()
    entry = WranglingLog.objects.get()
    assert (entry.action, entry.tag_name, entry.detail) == ("rename", CAROL, "from “Carol Pelletier”")


def test_renaming_to_another_case_of_the_same_name_is_allowed(staff_client):
    make_story(characters=["carol peletier"])

    act(staff_client, "carol peletier", "rename", name=CAROL)

    assert Tag.objects.filter(kind=Tag.Kind.CHARACTER).get().name == CAROL


def test_the_log_lists_the_newest_change_first_and_survives_the_tags_deletion(staff_client):
    make_story(freeforms=["Fluff", "fluffy"])
    act(staff_client, "Fluff", "canonical")
    act(staff_client, "fluffy", "merge", into="Fluff")

    assert log_lines(staff_client) == [
        "wrangler: Merged “Fluff” — “fluffy” merged into it",
        "wrangler: Made canonical “Fluff”",
    ]


# Refusals: a message, and nothing changes


def refused(response, message: str) -> None:
    assert response.status_code == 400
    assert message in alert(response) or message in field_errors(response)


def test_a_synonym_of_a_tag_that_is_not_canonical_is_refused(staff_client):
    make_story(characters=[CAROL, "Carol"])
    before = snapshot()

    response = act(staff_client, "Carol", "synonym", of=CAROL)

    refused(response, f"“{CAROL}” isn't canonical; make it canonical first.")
    assert snapshot() == before


def test_a_synonym_of_a_tag_of_another_kind_is_refused(staff_client, wrangler):
    make_story(characters=["Carol"], freeforms=[CAROL])
    services.make_canonical(tag=tag(CAROL), user=wrangler)
    before = snapshot()

    response = act(staff_client, "Carol", "synonym", of=CAROL)

    refused(response, f"“{CAROL}” is a additional tag, not a character.")
    assert snapshot() == before


def test_a_synonym_of_itself_is_refused(staff_client, wrangler):
    make_story(characters=[CAROL])
    services.make_canonical(tag=tag(CAROL), user=wrangler)
    before = snapshot()

    response = act(staff_client, CAROL, "synonym", of=CAROL.upper())

    refused(response, "A tag can't be a synonym of itself.")
    assert snapshot() == before


@pytest.mark.parametrize(("action", "field"), [("synonym", "of"), ("merge", "into")])
def test_naming_a_tag_that_does_not_exist_is_refused(staff_client, action, field):
    make_story(characters=[CAROL])
    before = snapshot()

    response = act(staff_client, CAROL, action, **{field: "Nobody"})

    refused(response, "There is no tag “Nobody”.")
    assert snapshot() == before


def test_merging_a_tag_into_itself_is_refused(staff_client):
    story = make_story(characters=[CAROL])
    before = snapshot()

    response = act(staff_client, CAROL, "merge", into="carol peletier")

    refused(response, "A tag can't be merged into itself.")
    assert snapshot() == before
    assert tag(CAROL) in story.tags.all()


def test_merging_into_a_tag_of_another_kind_is_refused(staff_client):
    make_story(characters=[CAROL], freeforms=["Fluff"])
    before = snapshot()

    response = act(staff_client, CAROL, "merge", into="Fluff")

    refused(response, "“Fluff” is a additional tag, not a character.")
    assert snapshot() == before


def test_renaming_to_the_name_of_another_tag_is_refused(staff_client):
    make_story(characters=[CAROL, "Carol"], freeforms=["Fluff"])
    before = snapshot()

    for new_name in ("carol", " FLUFF "):
        response = act(staff_client, CAROL, "rename", name=new_name)
        refused(response, f"“{'Carol' if new_name == 'carol' else 'Fluff'}” already exists; merge into it instead.")
    assert snapshot() == before


def test_renaming_a_relationship_to_another_spelling_of_an_existing_ship_is_refused(staff_client):
    make_story(relationships=["Caryl", "Carol/Daryl"])
    before = snapshot()

    response = act(staff_client, "Caryl", "rename", name="Daryl / Carol")

    refused(response, "“Carol/Daryl” already exists; merge into it instead.")
    assert snapshot() == before


def test_renaming_a_relationship_to_the_name_of_a_tag_of_another_kind_is_refused(staff_client):
    make_story(relationships=["Caryl"], freeforms=["Daryl/Carol"])
    before = snapshot()

    response = act(staff_client, "Caryl", "rename", name="Daryl/Carol")

    refused(response, "“Daryl/Carol” already exists; merge into it instead.")
    assert snapshot() == before


@pytest.mark.parametrize("new_name", ["Carol*s*Daryl", "Carol <3", "Carol {Peletier}", "Carol = Daryl", "Carol^"])
def test_renaming_to_a_name_with_a_forbidden_character_is_refused(staff_client, new_name):
    make_story(characters=[CAROL])
    before = snapshot()

    response = act(staff_client, CAROL, "rename", name=new_name)

    assert response.status_code == 400
    assert snapshot() == before


def test_renaming_to_nothing_is_refused(staff_client):
    make_story(characters=[CAROL])
    before = snapshot()

    response = act(staff_client, CAROL, "rename", name="   ")

    assert response.status_code == 400
    assert snapshot() == before


def test_setting_a_tag_that_is_not_a_fandom_as_a_fandom_is_refused(staff_client):
    make_story(fandoms=[TWD], characters=[CAROL, DARYL])
    before = snapshot()

    response = act(staff_client, CAROL, "fandoms", fandoms=f"{TWD}, {DARYL}")

    refused(response, f"“{DARYL}” is a character tag.")
    assert snapshot() == before


def test_a_fandom_cannot_be_given_fandoms(staff_client):
    make_story(fandoms=[TWD, "Fear the Walking Dead"])
    before = snapshot()

    response = act(staff_client, TWD, "fandoms", fandoms="Fear the Walking Dead")

    # Only a hand-made request gets here: a fandom's page has no fandoms form to show the reason on.
    assert response.status_code == 400
    assert snapshot() == before


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("Caryl", {"characters": f"{CAROL}, Fluff", "ship_kind": "romantic"}, "“Fluff” is a additional tag tag."),
        ("Caryl", {"characters": CAROL, "ship_kind": "enemies"}, None),
        ("Caryl", {"characters": CAROL}, None),
        (CAROL, {"characters": DARYL, "ship_kind": "romantic"}, None),  # no such form on a character's page
    ],
)
def test_bad_character_links_are_refused(staff_client, name, data, message):
    make_story(characters=[CAROL, DARYL], relationships=["Caryl"], freeforms=["Fluff"])
    before = snapshot()

    response = act(staff_client, name, "characters", **data)

    assert response.status_code == 400
    if message:
        refused(response, message)
    assert snapshot() == before


def test_an_unknown_action_is_a_404(staff_client):
    make_story(characters=[CAROL])

    assert act(staff_client, CAROL, "delete").status_code == 404


def test_actions_only_answer_posts(staff_client):
    make_story(characters=[CAROL])

    assert staff_client.get(reverse("wrangling:act", args=[CAROL, "canonical"])).status_code == 405
    assert not tag(CAROL).canonical


# What wrangling must carry through to readers' pages


def test_a_characters_synonym_in_a_ship_puts_the_ships_works_on_the_canonical_page_with_ships(staff_client, client):
    make_story(characters=[CAROL])
    ship_work = make_story(relationships=["Carol/Daryl Dixon"])
    act(staff_client, CAROL, "canonical")

    act(staff_client, "Carol", "synonym", of=CAROL)

    assert ship_work.pk in listed_ids(client.get("/tags/Carol%20Peletier/works?with_ships=on"))


def test_merging_a_character_keeps_it_in_the_ships_that_named_it(staff_client, client):
    make_story(characters=[CAROL])
    ship_work = make_story(relationships=["Carol/Daryl Dixon"])

    act(staff_client, "Carol", "merge", into=CAROL)

    assert set(tag("Carol/Daryl Dixon").characters.values_list("name", flat=True)) == {CAROL, DARYL}
    assert ship_work.pk in listed_ids(client.get("/tags/Carol%20Peletier/works?with_ships=on"))


def test_merging_a_canonical_tag_lists_its_synonyms_works_on_the_tag_it_merged_into(staff_client, client):
    make_story(freeforms=["Fluff"])
    synonym_work = make_story(freeforms=["fluff!"])
    make_story(freeforms=["Fluffy"])
    act(staff_client, "Fluff", "canonical")
    act(staff_client, "Fluffy", "canonical")
    act(staff_client, "fluff!", "synonym", of="Fluffy")

    act(staff_client, "Fluffy", "merge", into="Fluff")

    assert synonym_work.pk in listed_ids(client.get("/tags/Fluff/works"))


def test_renaming_a_canonical_tag_keeps_its_synonyms_works_on_its_page(staff_client, client):
    make_story(characters=[CAROL])
    synonym_work = make_story(characters=["Carol"])
    act(staff_client, CAROL, "canonical")
    act(staff_client, "Carol", "synonym", of=CAROL)

    act(staff_client, CAROL, "rename", name="Carol Peletier (TWD)")

    assert synonym_work.pk in listed_ids(client.get("/tags/Carol%20Peletier%20(TWD)/works"))
    assert client.get("/tags/Carol/works").url == "/tags/Carol%20Peletier%20(TWD)/works"


# Permissions


WRANGLING_PAGES = ["/wrangling/", "/wrangling/?kind=freeform", "/wrangling/log", "/wrangling/tags/Carol"]
ACTIONS = [
    ("Carol", "canonical", {}),
    ("Carol", "synonym", {"of": CAROL}),
    ("Carol", "fandoms", {"fandoms": TWD}),
    ("Caryl", "characters", {"characters": CAROL, "ship_kind": "romantic"}),
    ("Carol", "merge", {"into": CAROL}),
    ("Carol", "rename", {"name": "Caroline"}),
]


@pytest.fixture
def wrangleable(wrangler):
    """Tags on which every action in ACTIONS would succeed for staff."""
    make_story(fandoms=[TWD], characters=[CAROL, "Carol"], relationships=["Caryl"])
    services.make_canonical(tag=tag(CAROL), user=wrangler)


@pytest.mark.parametrize(("name", "action", "data"), ACTIONS)
def test_each_action_succeeds_for_staff(staff_client, wrangleable, name, action, data):
    response = act(staff_client, name, action, **data)

    assert response.status_code == 302, (alert(response), field_errors(response))
    assert WranglingLog.objects.filter(action=action, user__username="wrangler").exists()


@pytest.mark.parametrize("url", WRANGLING_PAGES)
def test_a_visitor_who_is_not_logged_in_is_sent_to_log_in_from_any_wrangling_page(client, wrangleable, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response.url == reverse("accounts:login") + "?next=" + quote(url)


@pytest.mark.parametrize(("name", "action", "data"), ACTIONS)
def test_a_visitor_who_is_not_logged_in_is_sent_to_log_in_and_changes_nothing(client, wrangleable, name, action, data):
    before = snapshot()

    for response in (act(client, name, action, **data), client.get(reverse("wrangling:act", args=[name, action]))):
        assert response.status_code == 302
        assert response.url.startswith("/users/login?next=")
    assert snapshot() == before


@pytest.mark.parametrize("url", WRANGLING_PAGES)
def test_a_reader_who_is_not_staff_gets_403_on_every_wrangling_page_get_or_post(reader_client, wrangleable, url):
    assert reader_client.get(url).status_code == 403
    assert reader_client.post(url).status_code == 403


@pytest.mark.parametrize(("name", "action", "data"), ACTIONS)
def test_a_reader_who_is_not_staff_gets_403_on_every_action_and_changes_nothing(
    reader_client, wrangleable, name, action, data
):
    before = snapshot()

    assert act(reader_client, name, action, **data).status_code == 403
    assert reader_client.get(reverse("wrangling:act", args=[name, action])).status_code == 403
    assert snapshot() == before


def test_a_reader_who_is_not_staff_gets_403_even_for_unknown_tags_and_actions(reader_client):
    assert reader_client.get("/wrangling/tags/Nobody").status_code == 403
    assert reader_client.post("/wrangling/tags/Nobody/explode").status_code == 403


def test_a_ship_merged_into_another_gives_the_others_works_its_characters():
    """Found by the stateful test: merging "Bo & Cy" into "Annie/Bo" moves Cy into "Annie/Bo", so
    a work tagged only "Annie/Bo" now has Cy in a ship, and its role ids must say so."""
    from archive.stories.integrity import stale_values

    work = make_story(relationships=["Annie/Bo"])
    make_story(relationships=["Bo & Cy"])
    wrangler = UserFactory(is_staff=True)

    services.merge(tag=Tag.objects.get(name="Bo & Cy"), into=Tag.objects.get(name="Annie/Bo"), user=wrangler)

    assert stale_values(story_ids=[work.pk]) == []
    assert Tag.objects.get(name="Cy").pk in {tag.pk for tag in Tag.objects.get(name="Annie/Bo").characters.all()}
