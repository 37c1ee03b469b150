"""What is inside a downloaded EPUB: the container, the package, the contents, the chapters."""

import re
import zipfile
from io import BytesIO
from xml.etree import ElementTree

import pytest

from archive.accounts.tests.factories import UserFactory
from archive.downloads.tests.factories import write_rich_story
from archive.series.services import add_work, create_series
from archive.stories.models import Story
from archive.stories.tests.factories import make_story

pytestmark = pytest.mark.django_db

NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
    "xhtml": "http://www.w3.org/1999/xhtml",
}


def download(client, story: Story) -> zipfile.ZipFile:
    response = client.get(f"/downloads/{story.pk}/work.epub")
    assert response.status_code == 200
    return zipfile.ZipFile(BytesIO(response.content))


def text_of(epub: zipfile.ZipFile, name: str) -> str:
    return epub.read(name).decode()


def xml_of(epub: zipfile.ZipFile, name: str) -> ElementTree.Element:
    return ElementTree.fromstring(epub.read(name))  # noqa: S314 - the file we just built


def test_the_first_entry_is_the_uncompressed_mimetype(client, author):
    content = client.get(f"/downloads/{write_rich_story(author).pk}/work.epub").content
    epub = zipfile.ZipFile(BytesIO(content))

    first = epub.infolist()[0]
    assert first.filename == "mimetype"
    assert first.compress_type == zipfile.ZIP_STORED
    assert epub.read("mimetype") == b"application/epub+zip"
    # Readers sniff the bytes: the name and the type at fixed offsets, no extra field between.
    assert content[30:58] == b"mimetypeapplication/epub+zip"


def test_the_container_points_at_the_package(client, author):
    epub = download(client, make_story(author=author))

    container = text_of(epub, "META-INF/container.xml")

    assert 'full-path="OEBPS/content.opf"' in container
    assert "OEBPS/content.opf" in epub.namelist()


def test_the_package_holds_title_creators_language_subjects_and_description(client, author):
    story = write_rich_story(author)
    story.authors.add(UserFactory(username="cowriter"))

    metadata = xml_of(download(client, story), "OEBPS/content.opf").find("opf:metadata", NS)

    assert metadata.findtext("dc:title", namespaces=NS) == "The Long Way Round: “Home” 家へ"
    assert sorted(creator.text for creator in metadata.findall("dc:creator", NS)) == ["author", "cowriter"]
    assert metadata.findtext("dc:language", namespaces=NS) == "en"
    assert [subject.text for subject in metadata.findall("dc:subject", NS)] == [
        "Greek Mythology",
        "Hadestown",
        "Hades/Persephone",
        "Persephone",
        "Hades",
        "Slow Burn",
        "Found Family",
    ]
    assert metadata.findtext("dc:description", namespaces=NS) == "She said “go home”. So she did — 家へ."
    modified = metadata.find("opf:meta[@property='dcterms:modified']", NS).text
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", modified)


def test_the_identifier_is_a_stable_uuid_urn_the_ncx_repeats(client, author):
    story = make_story(author=author)
    other = make_story(author=author)

    first, second = download(client, story), download(client, story)

    identifier = xml_of(first, "OEBPS/content.opf").findtext("opf:metadata/dc:identifier", namespaces=NS)
    assert re.fullmatch(r"urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}", identifier)
    assert identifier == xml_of(second, "OEBPS/content.opf").findtext("opf:metadata/dc:identifier", namespaces=NS)
    assert identifier != xml_of(download(client, other), "OEBPS/content.opf").findtext(
        "opf:metadata/dc:identifier", namespaces=NS
    )
    uid = xml_of(first, "OEBPS/toc.ncx").find("ncx:head/ncx:meta[@name='dtb:uid']", NS)
    assert uid.get("content") == identifier


def test_the_same_work_gives_the_same_bytes(client, author):
    story = write_rich_story(author)

    assert client.get(f"/downloads/{story.pk}/a.epub").content == client.get(f"/downloads/{story.pk}/b.epub").content


def test_the_spine_reads_title_page_chapters_then_afterword(client, author):
    epub = download(client, write_rich_story(author, chapters=3))

    package = xml_of(epub, "OEBPS/content.opf")

    hrefs = {item.get("id"): item.get("href") for item in package.findall("opf:manifest/opf:item", NS)}
    spine = [hrefs[itemref.get("idref")] for itemref in package.findall("opf:spine/opf:itemref", NS)]
    assert spine == ["title.xhtml", "chapter-001.xhtml", "chapter-002.xhtml", "chapter-003.xhtml", "afterword.xhtml"]
    files = {name.removeprefix("OEBPS/") for name in epub.namelist() if name.startswith("OEBPS/")}
    assert set(hrefs.values()) == files - {"content.opf"}  # the manifest lists every other file


def test_the_table_of_contents_lists_every_chapter_in_the_nav_and_the_ncx(client, author):
    epub = download(client, write_rich_story(author, chapters=12))

    nav = xml_of(epub, "OEBPS/nav.xhtml")
    toc = nav.find(".//xhtml:nav[@{http://www.idpf.org/2007/ops}type='toc']", NS)
    entries = [(link.text, link.get("href")) for link in toc.findall(".//xhtml:a", NS)]
    chapters = [("Chapter 1: Setting Out", "chapter-001.xhtml")] + [
        (f"Chapter {number}: Part {number}", f"chapter-{number:03d}.xhtml") for number in range(2, 13)
    ]
    assert entries == [("Preface", "title.xhtml"), *chapters, ("Afterword", "afterword.xhtml")]

    points = xml_of(epub, "OEBPS/toc.ncx").findall("ncx:navMap/ncx:navPoint", NS)
    assert [point.findtext("ncx:navLabel/ncx:text", namespaces=NS) for point in points][1:-1] == [
        text for text, _ in chapters
    ]
    assert [point.get("playOrder") for point in points] == [str(order) for order in range(1, 15)]


def test_the_title_page_shows_the_works_preface(client, author):
    title_page = text_of(download(client, write_rich_story(author)), "OEBPS/title.xhtml")

    for expected in (
        '<h1 class="title">The Long Way Round: “Home” 家へ</h1>',
        "General Audiences",
        "No Archive Warnings Apply",
        "F/F, Gen",
        ">Hadestown</a>",
        ">Hades/Persephone</a>",
        ">Persephone</a>",
        ">Found Family</a>",
        "<dd>English</dd>",
        "Chapters: 3/?",
        "<p>She said “go home”.</p>",
        "<p>Work notes up front.</p>",
        'href="afterword.xhtml#endnotes"',
    ):
        assert expected in title_page


def test_each_chapter_has_its_heading_and_notes_in_place_and_the_work_ends_with_its_end_notes(client, author):
    epub = download(client, write_rich_story(author, chapters=3))

    for number in (2, 3):
        chapter = text_of(epub, f"OEBPS/chapter-{number:03d}.xhtml")
        positions = [
            chapter.index(text)
            for text in (
                f"Chapter {number}: Part {number}",
                f"Notes before chapter {number}.",
                f"Words of chapter {number}.",
                f"Notes after chapter {number}.",
            )
        ]
        assert positions == sorted(positions)
        assert "chapter 1." not in chapter
    assert "Work end notes at the back." in text_of(epub, "OEBPS/afterword.xhtml")
    assert "Work end notes" not in text_of(epub, "OEBPS/chapter-003.xhtml")


def test_every_page_is_well_formed_xhtml_that_keeps_the_authors_characters_and_links(client, author):
    epub = download(client, write_rich_story(author))

    for name in epub.namelist():
        if name.endswith((".xhtml", ".opf", ".ncx", ".xml")):
            xml_of(epub, name)  # raises on anything XML can't read
    chapter = text_of(epub, "OEBPS/chapter-001.xhtml")
    assert "“Look,” she said\u00a0— it’s" in chapter
    assert "東京へ行きます。 مرحبا بالعالم" in chapter
    assert '<a href="https://example.org/map?a=1&amp;b=2" rel="nofollow">the map</a>' in chapter
    assert "&nbsp;" not in chapter
    assert "<br/>" in chapter
    # An EPUB holds no remote images: the image becomes a link to it.
    assert '<a href="https://example.org/map.png" class="image">[Image: A map]</a>' in chapter
    assert "<img" not in chapter


def test_an_arabic_work_reads_right_to_left(client, author):
    story = make_story(author=author, title="قصة", language="ar", body="مرحبا بالعالم")

    epub = download(client, story)

    assert 'page-progression-direction="rtl"' in text_of(epub, "OEBPS/content.opf")
    chapter = text_of(epub, "OEBPS/chapter-001.xhtml")
    assert 'xml:lang="ar"' in chapter
    assert '<div class="userstuff text" dir="rtl"><p>مرحبا بالعالم</p></div>' in chapter


def test_a_work_in_a_series_says_so_in_its_package_and_title_page(client, author):
    series = create_series(creator=author, title="Katabasis")
    add_work(series=series, story=make_story(author=author, title="Descent"))
    story = make_story(author=author, title="Return")
    add_work(series=series, story=story)

    epub = download(client, story)
    package = xml_of(epub, "OEBPS/content.opf")
    metas = {meta.get("property"): meta.text for meta in package.iter("{http://www.idpf.org/2007/opf}meta")}
    assert metas["belongs-to-collection"] == "Katabasis"
    assert (metas["collection-type"], metas["group-position"]) == ("series", "2")
    assert re.search(r"Part 2 of <a href=\"[^\"]+/series/\d+\">Katabasis</a>", text_of(epub, "OEBPS/title.xhtml"))
