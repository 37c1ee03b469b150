"""FanFicFare's Archive of Our Own adapter downloads a work from this archive as it would from AO3.

The adapter only accepts AO3's domains and builds https://archiveofourown.org/... URLs, so the
test adapter changes one thing: `mod_url_request`, the hook FanFicFare itself uses to send AO3
requests to a mirror, sends them to the live test server. Everything it reads (the chapter index,
the work page's meta block, the entire work) is our real markup. Nothing goes to the network:
every request is rewritten, there is no login, and the adult check is answered in the config.
"""

import io
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import fanficfare
import pytest
from django.utils import timezone
from fanficfare.adapters.adapter_archiveofourownorg import ArchiveOfOurOwnOrgAdapter
from fanficfare.configurable import Configuration
from fanficfare.writers import getWriter

from archive.accounts.tests.factories import UserFactory
from archive.publishing.services import add_chapter, create_story
from archive.series.services import add_work, create_series
from archive.stories.choices import Category, Rating, Warning
from archive.stories.models import Story
from archive.tags.models import Tag

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # FanFicFare's own use of a BeautifulSoup alias deprecated in bs4 4.
    pytest.mark.filterwarnings("ignore:Call to deprecated method:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:Access to deprecated property:DeprecationWarning"),
]

DEFAULTS_INI = Path(fanficfare.__file__).with_name("defaults.ini")
# What a reader would put in personal.ini, plus what keeps a test fast and offline.
PERSONAL_INI = """
[archiveofourown.org]
is_adult:true
always_login:false
slow_down_sleep_time:0
use_basic_cache:false
[overrides]
never_make_cover:true
include_images:false
"""

CHAPTERS = [
    {
        "title": "The Crossing",
        "notes": "<p>Before the river.</p>",
        "body": "<p>Orpheus went down to the river at dusk.</p>",
        "end_notes": "<p>Lyre tuned.</p>",
    },
    {"title": "The Bargain", "notes": "", "body": "<p>Hades named his price.</p>", "end_notes": ""},
    {
        "title": "The Looking Back",
        "notes": "<p>Last one.</p>",
        "body": "<p>He turned, and the light went out of the world.</p>",
        "end_notes": "",
    },
]


PRELUDE = {"title": "Prelude", "summary": "", "notes": "", "end_notes": "", "language": "en", "categories": 0}


def posted_work() -> Story:
    author = UserFactory(username="quillfeather")
    story = create_story(
        author=author,
        story_fields={
            "title": "Songs for the Underworld",
            "summary": "<p>A singer, a bargain, <em>one</em> look back.</p>",
            "notes": "<p>Written for the myth exchange.</p>",
            "end_notes": "<p>Thank you for reading.</p>",
            "rating": Rating.MATURE,
            "warnings": Warning.VIOLENCE | Warning.MAJOR_CHARACTER_DEATH,
            "categories": Category.FM | Category.GEN,
            "language": "en",
            "expected_chapters": 3,
        },
        tags_by_kind={
            Tag.Kind.FANDOM: ["Greek Mythology", "Hadestown"],
            Tag.Kind.RELATIONSHIP: ["Orpheus/Eurydice", "Hades & Orpheus"],
            Tag.Kind.CHARACTER: ["Orpheus", "Eurydice", "Hades"],
            Tag.Kind.FREEFORM: ["Angst", "Canon Divergence"],
        },
        # Marked main: their star and "(main)" sit outside the tag links FanFicFare reads.
        mains_by_kind={Tag.Kind.CHARACTER: ["Eurydice", "Hades"], Tag.Kind.RELATIONSHIP: ["Hades & Orpheus"]},
        chapter_fields=CHAPTERS[0],
        post=True,
    )
    for chapter in CHAPTERS[1:]:
        add_chapter(story=story, fields=chapter, post=True)
    Story.objects.filter(pk=story.pk).update(kudos_count=12, bookmark_count=3, hit_count=1234)
    story.refresh_from_db()
    return story


@pytest.fixture
def fanficfare(live_server) -> Iterator[Callable[..., ArchiveOfOurOwnOrgAdapter]]:
    """FanFicFare's AO3 adapter for a work on the live server, with extra personal.ini settings."""
    made = []

    class ThisArchiveAdapter(ArchiveOfOurOwnOrgAdapter):
        def mod_url_request(self, url: str) -> str:
            return url.replace("https://archiveofourown.org", live_server.url, 1)

    def adapter_for(story: Story, **settings: str) -> ArchiveOfOurOwnOrgAdapter:
        configuration = Configuration(["base_otw", "archiveofourown.org"], "epub")
        configuration.read_file(io.StringIO(DEFAULTS_INI.read_text(encoding="utf-8")))
        extra = "".join(f"{key}:{value}\n" for key, value in settings.items())
        configuration.read_file(io.StringIO(PERSONAL_INI + extra))
        made.append(configuration)
        return ThisArchiveAdapter(configuration, f"https://archiveofourown.org/works/{story.pk}")

    yield adapter_for
    # A kept-alive connection would hold a live server thread, and its database connection, open.
    for configuration in made:
        if configuration.fetcher and configuration.fetcher.requests_session:
            configuration.fetcher.requests_session.close()


def test_fanficfare_reads_a_works_metadata_and_every_chapter(fanficfare):
    story = posted_work()
    adapter = fanficfare(story)

    book = adapter.getStory()
    meta = book.getMetadata
    today = timezone.localdate(story.published_at)

    assert meta("title") == "Songs for the Underworld"
    assert meta("author") == "quillfeather"
    assert meta("authorUrl") == "https://archiveofourown.org/users/quillfeather/pseuds/quillfeather"
    assert meta("rating") == "Mature"
    # FanFicFare sorts its lists unless told to keep a list in order.
    tags = {
        name: book.getList(name, removeallentities=True)
        for name in ("warnings", "ao3categories", "fandoms", "ships", "characters", "freeformtags")
    }
    assert tags == {
        "warnings": ["Graphic Depictions Of Violence", "Major Character Death"],
        "ao3categories": ["F/M", "Gen"],
        "fandoms": ["Greek Mythology", "Hadestown"],
        "ships": ["Hades & Orpheus", "Orpheus/Eurydice"],
        "characters": ["Eurydice", "Hades", "Orpheus"],
        "freeformtags": ["Angst", "Canon Divergence"],
    }
    assert meta("language") == "English"
    assert "A singer, a bargain, <em>one</em> look back." in meta("description")
    assert meta("numChapters") == "3"
    assert meta("chapterslashtotal") == "3/3"
    assert meta("numWords") == f"{story.word_count:,}"
    assert meta("status") == "Completed"
    assert book.getMetadataRaw("datePublished").date() == today
    assert book.getMetadataRaw("dateUpdated").date() == today
    assert (meta("kudos"), meta("bookmarks"), meta("hits")) == ("12", "3", "1,234")

    chapters = book.getChapters()
    assert [chapter["title"] for chapter in chapters] == [
        "1. The Crossing",
        "2. The Bargain",
        "3. The Looking Back",
    ]
    texts = [chapter["html"] for chapter in chapters]
    for text, chapter in zip(texts, CHAPTERS, strict=True):
        assert chapter["body"] in text
        assert "Chapter Text" not in text
    # The work's notes open the first chapter, a chapter's end notes close it, the work's end notes
    # close the last one.
    assert "Written for the myth exchange." in texts[0]
    assert "Lyre tuned." in texts[0]
    assert "Thank you for reading." in texts[2]
    assert "Thank you for reading." not in texts[0]


def test_fanficfare_reading_chapter_by_chapter_gets_each_chapters_notes_and_writes_an_epub(fanficfare):
    story = posted_work()
    adapter = fanficfare(story, use_view_full_work="false")

    epub = io.BytesIO()
    getWriter("epub", adapter.configuration, adapter).writeStory(outstream=epub, forceOverwrite=True)

    texts = [chapter["html"] for chapter in adapter.story.getChapters()]
    assert "Before the river." in texts[0]
    assert "Last one." in texts[2]
    assert "Before the river." not in texts[2]
    with zipfile.ZipFile(epub) as book:
        assert book.read("mimetype") == b"application/epub+zip"
        content = "".join(book.read(name).decode() for name in book.namelist() if name.endswith(".xhtml"))
    assert "Songs for the Underworld" in content
    assert "quillfeather" in content
    assert "He turned, and the light went out of the world." in content


def test_fanficfare_reads_the_series_name_index_and_address(fanficfare):
    story = posted_work()
    author = story.authors.get()
    prelude = create_story(
        author=author,
        story_fields={**PRELUDE, "warnings": Warning.NONE_APPLY, "rating": Rating.GENERAL},
        tags_by_kind={Tag.Kind.FANDOM: ["Greek Mythology"]},
        chapter_fields={"title": "", "notes": "", "end_notes": "", "body": "<p>Before the songs.</p>"},
        post=True,
    )
    series = create_series(creator=author, title="Katabasis & Other Songs")
    add_work(series=series, story=prelude)
    add_work(series=series, story=story)

    book = fanficfare(story).getStory()

    assert book.getMetadata("series", removeallentities=True) == "Katabasis & Other Songs [2]"
    assert book.getMetadata("seriesUrl") == f"https://archiveofourown.org/series/{series.pk}"
