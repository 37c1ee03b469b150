"""A work as an EPUB 3 file, built with the standard library's zipfile.

The layout is the OCF container every reader expects: `mimetype` first and stored uncompressed,
`META-INF/container.xml` pointing at the package document, and under `OEBPS/` the package
(`content.opf`), the EPUB 3 navigation (`nav.xhtml`), an NCX for EPUB 2 readers, a stylesheet,
a title page, one XHTML file per chapter and an afterword with the work's end notes. The same
work gives the same bytes (fixed timestamps, fixed order), so a file can be compared or cached.
"""

import zipfile
from io import BytesIO

from django.template.loader import render_to_string

from archive.downloads.book import Book

MEDIA_TYPE = "application/epub+zip"

CONTAINER_XML = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""


def build_epub(book: Book) -> bytes:
    pages = [
        ("content.opf", "downloads/epub/content.opf", {}),
        ("nav.xhtml", "downloads/epub/nav.xhtml", {}),
        ("toc.ncx", "downloads/epub/toc.ncx", {}),
        ("style.css", "downloads/style.css", {}),
        ("title.xhtml", "downloads/epub/title.xhtml", {}),
        *((chapter.filename, "downloads/epub/chapter.xhtml", {"chapter": chapter}) for chapter in book.chapters),
        ("afterword.xhtml", "downloads/epub/afterword.xhtml", {}),
    ]
    stamp = book.modified.timetuple()[:6]
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        # Readers identify the format by these first bytes: first entry, uncompressed, no extras.
        archive.writestr(zipfile.ZipInfo("mimetype", stamp), MEDIA_TYPE, compress_type=zipfile.ZIP_STORED)
        archive.writestr(
            zipfile.ZipInfo("META-INF/container.xml", stamp), CONTAINER_XML, compress_type=zipfile.ZIP_DEFLATED
        )
        for name, template, context in pages:
            text = render_to_string(template, {"book": book, **context})
            archive.writestr(zipfile.ZipInfo(f"OEBPS/{name}", stamp), text, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
