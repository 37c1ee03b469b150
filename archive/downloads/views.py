"""Downloads of a work: /downloads/<id>/<slug>.epub and /downloads/<id>/<slug>.html.

Only works every reader may find (`Story.objects.visible_to`): a draft is a 404 even for its
authors, whose file would otherwise hold what nobody else can read. The file holds the posted
chapters; book.py gathers them, epub.py and html.py lay them out.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from archive.downloads import epub as epub_format
from archive.downloads import html as html_format
from archive.downloads.book import Book, make_book, posted_chapters
from archive.stories.models import Story


def _book(request: HttpRequest, story_id: int, *, keep_images: bool) -> Book:
    story = get_object_or_404(Story.objects.visible_to(request.user).for_reading(), pk=story_id)
    chapters = posted_chapters(story)
    if not chapters:
        raise Http404("This work has no posted chapters.")
    site_url = request.build_absolute_uri("/")
    return make_book(story=story, chapters=chapters, site_url=site_url, keep_images=keep_images)


def _attachment(content: bytes, *, content_type: str, filename: str) -> HttpResponse:
    disposition = content_disposition_header(as_attachment=True, filename=filename)
    return HttpResponse(content, content_type=content_type, headers={"Content-Disposition": disposition})


@require_safe
def epub(request: HttpRequest, story_id: int, slug: str) -> HttpResponse:
    # EPUB readers may not fetch remote images, so the file links to them instead.
    book = _book(request, story_id, keep_images=False)
    content = epub_format.build_epub(book)
    return _attachment(content, content_type=epub_format.MEDIA_TYPE, filename=f"{book.slug}.epub")


@require_safe
def html(request: HttpRequest, story_id: int, slug: str) -> HttpResponse:
    book = _book(request, story_id, keep_images=True)
    content = html_format.build_html(book)
    return _attachment(content, content_type=html_format.MEDIA_TYPE, filename=f"{book.slug}.html")
