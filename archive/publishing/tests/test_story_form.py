"""The "Post a new work" form: bad input is explained next to its field and saves nothing;
good input is kept as the author wrote it, and made safe."""

import html
import re

import pytest

from archive.chapters.models import Chapter
from archive.stories.models import Story
from archive.stories.tests.factories import BLANK_WORK_FORM, make_story, work_form_data
from archive.tags.models import Tag


def work_form(**overrides) -> dict:
    """What the "Post a new work" form sends when filled in."""
    return work_form_data(**overrides)


def field_errors(page: str, field: str) -> list[str]:
    """The messages listed under one field (its id is id_<name>), as a reader sees them."""
    block = re.search(rf'<ul class="errorlist" id="id_{re.escape(field)}_error">(.*?)</ul>', page, re.S)
    return [html.unescape(message) for message in re.findall(r"<li>(.*?)</li>", block.group(1))] if block else []


def rows() -> tuple[int, int, int]:
    return Story.objects.count(), Chapter.objects.count(), Tag.objects.count()


def post_rejected(client, **overrides) -> str:
    """Post the form, check it came back with nothing saved, and return the page."""
    before = rows()
    response = client.post("/works/new", work_form(**overrides))
    assert response.status_code == 200
    assert rows() == before
    page = response.content.decode()
    assert 'class="form-errors" role="alert"' in page
    return page


def post_accepted(client, **overrides) -> Story:
    response = client.post("/works/new", work_form(**overrides))
    assert response.status_code == 302, re.findall(r'<ul class="errorlist".*?</ul>', response.content.decode(), re.S)
    return Story.objects.latest("pk")


# Bad input


@pytest.mark.parametrize("fandoms", ["", "   ", " , ,"])
def test_a_work_without_a_fandom_is_refused_at_the_fandom_field(author_client, fandoms):
    page = post_rejected(author_client, fandoms=fandoms)

    assert field_errors(page, "fandoms") == ["Name at least one fandom."]


def test_a_work_without_an_archive_warning_is_refused_at_the_warnings(author_client):
    data = work_form()
    del data["warnings"]
    before = rows()

    response = author_client.post("/works/new", data)

    assert response.status_code == 200
    assert rows() == before
    assert field_errors(response.content.decode(), "warnings") == ["Choose at least one archive warning."]


def test_an_unknown_warning_is_refused(author_client):
    page = post_rejected(author_client, warnings=["64"])

    assert field_errors(page, "warnings") == ["Select a valid choice. 64 is not one of the available choices."]


def test_a_title_of_256_characters_is_refused(author_client):
    page = post_rejected(author_client, title="x" * 256)

    assert field_errors(page, "title") == ["Ensure this value has at most 255 characters (it has 256)."]


def test_a_title_of_255_characters_is_accepted(author_client):
    assert post_accepted(author_client, title="題" * 255).title == "題" * 255


def test_a_work_without_a_title_is_refused(author_client):
    page = post_rejected(author_client, title="   ")

    assert field_errors(page, "title") == ["This field is required."]


@pytest.mark.parametrize(
    "body",
    ["", "   \r\n\r\n   ", "<p> </p>", "<p>&nbsp;</p>", "<p></p><br><br>", "<script>alert(1)</script>"],
    ids=["empty", "whitespace", "empty paragraph", "nbsp paragraph", "breaks", "only a script"],
)
def test_a_chapter_without_text_is_refused_at_the_chapter_text(author_client, body):
    page = post_rejected(author_client, **{"chapter-body": body})

    assert field_errors(page, "chapter-body") == ["A chapter needs some text."]


def test_a_refused_form_keeps_everything_the_author_wrote(author_client):
    page = post_rejected(
        author_client, fandoms="", title="My Title", **{"chapter-body": "A whole chapter I'd hate to lose."}
    )

    assert 'value="My Title"' in page
    assert "A whole chapter I&#x27;d hate to lose." in page


def test_a_tag_of_151_characters_is_refused_at_its_field(author_client):
    long_tag = "a" * 151
    page = post_rejected(author_client, freeforms=f"Fluff, {long_tag}")

    assert field_errors(page, "freeforms") == [f"“{'a' * 40}…” is 151 characters long; a tag may have at most 150."]


def test_a_tag_of_150_characters_is_accepted(author_client):
    story = post_accepted(author_client, characters="c" * 150)

    assert list(story.tag_links.values_list("tag__name", flat=True)) == ["Greek Mythology", "c" * 150]


def seventy_six_tags() -> dict:
    return {
        field: ", ".join(f"{field} {n}" for n in range(19))
        for field in ("fandoms", "characters", "relationships", "freeforms")
    }


def test_more_than_75_tags_in_all_is_refused(author_client):
    page = post_rejected(author_client, **seventy_six_tags())

    assert (
        "A work may have at most 75 fandom, character, relationship and additional tags together; this one has 76."
        in html.unescape(page)
    )


def test_75_tags_in_all_is_accepted(author_client):
    tags = seventy_six_tags()
    tags["freeforms"] = ", ".join(f"freeforms {n}" for n in range(18))

    story = post_accepted(author_client, **tags)

    assert story.tag_links.count() == 75


@pytest.mark.parametrize("name", ["Hermes <3", "Apollo*", "a > b", "x^2", "{curly}", "a = b", "back`tick"])
def test_a_tag_with_a_forbidden_character_is_refused_at_its_field(author_client, name):
    page = post_rejected(author_client, characters=f"Zeus, {name}")

    assert field_errors(page, "characters") == [f"“{name}” contains a character tags can't use (* < > ^ {{ }} = or `)."]


@pytest.mark.parametrize("character", ["Hermes", "hermes", "  HERMES "])
def test_one_name_as_both_a_fandom_and_a_character_is_refused(author_client, character):
    page = post_rejected(author_client, fandoms="Hermes", characters=character)

    assert field_errors(page, "characters") == [f"“{character.strip()}” is also in fandoms; a tag has one kind."]


def test_a_name_that_is_already_a_tag_of_another_kind_is_refused(author_client):
    make_story(fandoms=["Hermes"])

    page = post_rejected(author_client, characters="hermes")

    assert field_errors(page, "characters") == ["“Hermes” is already a fandom tag, so it can't be a character."]


def test_tags_typed_twice_in_different_cases_are_merged_into_one(author_client):
    story = post_accepted(author_client, freeforms="Fluff, fluff,  FLUFF , Angst")

    assert list(story.tag_links.order_by("id").values_list("tag__name", flat=True)) == [
        "Greek Mythology",
        "Fluff",
        "Angst",
    ]
    assert Tag.objects.filter(name__iexact="fluff").count() == 1


def test_a_tag_typed_in_another_case_joins_the_existing_tag(author_client):
    existing = make_story(freeforms=["Slow Burn"]).tag_links.get(tag__name="Slow Burn").tag

    story = post_accepted(author_client, freeforms="slow burn")

    assert story.tag_links.get(tag__kind=Tag.Kind.FREEFORM).tag == existing
    page = author_client.get(story.get_absolute_url()).content.decode()
    assert ">Slow Burn</a>" in page


# Prose, end to end


def chapter_page(client, story: Story) -> str:
    return client.get(story.chapters.get().get_absolute_url()).content.decode()


def test_pasted_plain_text_becomes_paragraphs_on_the_chapter_page(author_client, reader_client):
    body = "The first paragraph.\r\nStill the first.\r\n\r\n\r\nThe second paragraph.\r\n \r\nThe third."
    story = post_accepted(author_client, **{"chapter-body": body})

    page = chapter_page(reader_client, story)

    assert "<p>The first paragraph.<br>Still the first.</p><p>The second paragraph.</p><p>The third.</p>" in page
    assert story.word_count == 11


TYPOGRAPHY = (
    "“Well…” she said — ‘it’s naïve’ – 1990–2000. 我爱你。こんにちは。 مرحبا بالعالم. Ελλάδα. Ñandú. "
    "👩\u200d❤️\u200d👨 می\u200cخواهم."  # a ZWJ emoji sequence; Persian needs its zero-width non-joiner
)


def test_typography_and_every_script_survive_byte_for_byte(author_client, reader_client):
    story = post_accepted(
        author_client,
        title="「夜」 — “Night”…",
        summary=TYPOGRAPHY,
        notes=TYPOGRAPHY,
        freeforms="Ελληνικά, 日本語タグ, عربي",
        **{"chapter-body": TYPOGRAPHY, "chapter-title": "‘Part’ — One"},
    )

    page = reader_client.get(story.chapters.get().get_absolute_url()).content
    assert page.count(TYPOGRAPHY.encode()) == 3  # summary, notes, chapter text
    for text in ("「夜」 — “Night”…", "‘Part’ — One", "Ελληνικά", "日本語タグ", "عربي"):
        assert text.encode() in page, text
    assert "「夜」 — “Night”…".encode() in reader_client.get("/").content


def test_a_work_in_arabic_reads_right_to_left(author_client, reader_client):
    story = post_accepted(author_client, language="ar", **{"chapter-body": "مرحبا بالعالم"})

    page = chapter_page(reader_client, story)

    assert '<div class="userstuff module" role="article" dir="rtl" lang="ar">' in page
    assert "<p>مرحبا بالعالم</p>" in page


def test_a_script_in_chapter_text_or_summary_never_reaches_the_page(author_client, reader_client):
    attack = "<p>Hi</p><script>alert('pwned')</script><img src=x onerror=alert(1)>"
    story = post_accepted(
        author_client,
        title="<script>alert('title')</script>",
        summary=attack,
        notes=attack,
        end_notes=attack,
        **{"chapter-body": attack, "chapter-notes": attack, "chapter-end_notes": attack},
    )

    pages = [
        reader_client.get(story.get_absolute_url()),
        reader_client.get(f"/works/{story.pk}?view_full_work=true"),
        reader_client.get("/"),
        author_client.get("/dashboard"),
        author_client.get(f"/works/{story.pk}/edit"),
    ]
    for response in pages:
        page = response.content.decode()
        # The only scripts are the site's own, loaded from its static files.
        scripts = re.findall(r"<script[^>]*>", page.lower())
        assert scripts, response.request["PATH_INFO"]
        assert all(re.fullmatch(r'<script src="/static/js/[\w-]+\.js"( defer)?>', tag) for tag in scripts), scripts
        assert "pwned" not in page, response.request["PATH_INFO"]
        assert "onerror" not in page, response.request["PATH_INFO"]
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;" in pages[0].content.decode()  # the title, as text


def test_plain_text_angle_brackets_are_shown_as_written(author_client, reader_client):
    story = post_accepted(author_client, summary="I <3 you", **{"chapter-body": "x < y & y > z"})

    page = chapter_page(reader_client, story)

    assert "<p>I &lt;3 you</p>" in page
    assert "<p>x &lt; y &amp; y &gt; z</p>" in page


def test_links_in_prose_get_rel_nofollow_and_scripted_links_lose_their_href(author_client, reader_client):
    body = '<p>See <a href="https://example.org/fic">this fic</a> and <a href="javascript:alert(1)">that</a>.</p>'
    story = post_accepted(author_client, summary='<a href="https://example.org/s">s</a>', **{"chapter-body": body})

    page = chapter_page(reader_client, story)

    assert '<a href="https://example.org/fic" rel="nofollow">this fic</a>' in page
    assert '<a href="https://example.org/s" rel="nofollow">s</a>' in page
    assert "javascript:" not in page
    assert '<a rel="nofollow">that</a>' in page


def test_control_characters_pasted_into_a_work_are_dropped_everywhere(author_client):
    story = post_accepted(
        author_client,
        title="Bell\x07 Tower",
        summary="A\x0c summary.",
        characters="Quasi\x07modo",
        **{"chapter-title": "Rung\x1b", "chapter-body": "Ding\x07 dong."},
    )

    chapter = story.chapters.get()
    assert story.title == "Bell Tower"
    assert story.summary == "<p>A summary.</p>"
    assert set(story.tags.names()) == {"Quasimodo", "Greek Mythology"}
    assert (chapter.title, chapter.body) == ("Rung", "<p>Ding dong.</p>")


def test_a_work_with_28_long_relationship_tags_is_posted_and_found_by_every_character(author_client, client):
    # Each ship names fifty two-character names (as in Chinese fandoms), so the work's characters
    # have 1,400 roles: more than a B-tree index row holds. They live outside the date indexes.
    ships = ["/".join(chr(0x4E00 + ship * 50 + member) + "子" for member in range(50)) for ship in range(28)]
    assert all(len(ship) <= 150 for ship in ships)
    form = {**BLANK_WORK_FORM, "title": "Everyone Loves Everyone", "relationships": ", ".join(ships)}

    response = author_client.post("/works/new", form)

    assert response.status_code == 302
    story = Story.objects.get(title="Everyone Loves Everyone")
    assert story.relationship_count == 28
    assert len(story.role_ids) == 28 * 50
    last = chr(0x4E00 + 27 * 50 + 49) + "子"
    found = client.get("/works/search", {"characters": last, "character_mode": "romantic"})
    assert f'id="work_{story.pk}"' in found.content.decode()
