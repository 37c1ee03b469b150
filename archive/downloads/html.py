"""A work as one self-contained HTML5 file: preface, contents, chapters, afterword, a <style>."""

from django.template.loader import render_to_string

from archive.downloads.book import Book

MEDIA_TYPE = "text/html; charset=utf-8"


def build_html(book: Book) -> bytes:
    return render_to_string("downloads/work.html", {"book": book}).encode()
