"""An OPDS 1.2 catalog at /opds/, so e-reader apps can browse the archive and download EPUBs.

E-readers never log in, so every feed lists through `Story.objects.visible_to` for an anonymous
reader, like the Atom feeds: drafts leak nowhere. Acquisition feeds cost the same few queries
however many works they hold (`for_cards()` prefetches authors and tags).
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Page
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from django.views.decorators.http import require_safe

from archive.core.pagination import paginate
from archive.core.prose import strip_controls
from archive.discovery.text import has_terms, match_text
from archive.downloads.templatetags.downloads import download_url
from archive.stories.feeds import FEED_SIZE, work_summary
from archive.stories.models import Story
from archive.tags.models import Tag

FANDOMS_PER_PAGE = 50

CATALOG = "application/atom+xml;profile=opds-catalog"
NAVIGATION = f"{CATALOG};kind=navigation"
ACQUISITION = f"{CATALOG};kind=acquisition"
OPENSEARCH = "application/opensearchdescription+xml"
TYPES = {"navigation": NAVIGATION, "acquisition": ACQUISITION, "search": OPENSEARCH}


def _visible_works():
    return Story.objects.visible_to(AnonymousUser())


def _page_url(request: HttpRequest, number: int) -> str:
    """This feed's URL at another page, keeping its other parameters (a search's `q`)."""
    params = request.GET.copy()
    params["page"] = number
    return request.build_absolute_uri(f"{escape_uri_path(request.path)}?{params.urlencode()}")


def _feed_links(request: HttpRequest, page: Page | None = None) -> dict[str, str]:
    links = {
        "self": request.build_absolute_uri(),
        "start": request.build_absolute_uri(reverse("opds:root")),
        "search": request.build_absolute_uri(reverse("opds:search_description")),
    }
    if page is not None and page.has_next():
        links["next"] = _page_url(request, page.next_page_number())
    if page is not None and page.number > 1:
        links["previous"] = _page_url(request, page.number - 1)
    return links


def _entry(request: HttpRequest, story: Story) -> dict:
    absolute = request.build_absolute_uri
    return {
        "id": absolute(story.get_absolute_url()),
        "title": strip_controls(story.title),
        "authors": [(author.username, absolute(author.get_absolute_url())) for author in story.authors.all()],
        "published": story.published_at,
        "updated": story.updated_at,
        "language": story.language,
        # HTML, written as escaped text in <content type="html">.
        "content": str(work_summary(story)),
        "categories": [strip_controls(link.tag.name) for link in story.tag_links.all()],
        "epub_url": absolute(download_url(story, "epub")),
        "work_url": absolute(story.get_absolute_url()),
    }


def _acquisition_feed(request: HttpRequest, works, *, title: str) -> HttpResponse:
    works = works.for_cards().order_by("-published_at", "-id")
    page = paginate(request, works, FEED_SIZE)
    entries = [_entry(request, story) for story in page]
    context = {
        "title": strip_controls(title),
        "updated": max((entry["updated"] for entry in entries), default=timezone.now()),
        "links": _feed_links(request, page),
        "entries": entries,
        "site_name": settings.SITE_NAME,
        "types": TYPES,
    }
    return render(request, "opds/acquisition.xml", context, content_type=ACQUISITION)


def _navigation_feed(request: HttpRequest, *, title: str, entries: list[dict], page: Page | None = None):
    context = {
        "title": strip_controls(title),
        "updated": timezone.now(),
        "links": _feed_links(request, page),
        "entries": entries,
        "site_name": settings.SITE_NAME,
        "types": TYPES,
    }
    return render(request, "opds/navigation.xml", context, content_type=NAVIGATION)


@require_safe
def root(request: HttpRequest) -> HttpResponse:
    absolute = request.build_absolute_uri
    entries = [
        {
            "id": absolute(reverse("opds:new")),
            "title": "New works",
            "content": "The newest posted works.",
            "href": absolute(reverse("opds:new")),
            "rel": "http://opds-spec.org/sort/new",
            "type": ACQUISITION,
        },
        {
            "id": absolute(reverse("opds:fandoms")),
            "title": "Fandoms",
            "content": "Works by fandom, the most used first.",
            "href": absolute(reverse("opds:fandoms")),
            "rel": "subsection",
            "type": NAVIGATION,
        },
    ]
    return _navigation_feed(request, title=settings.SITE_NAME, entries=entries)


@require_safe
def new_works(request: HttpRequest) -> HttpResponse:
    return _acquisition_feed(request, _visible_works(), title=f"New works · {settings.SITE_NAME}")


@require_safe
def fandoms(request: HttpRequest) -> HttpResponse:
    tags = Tag.objects.canonical().of_kind(Tag.Kind.FANDOM).filter(use_count__gt=0).order_by("-use_count", "name")
    page = paginate(request, tags.only("name", "use_count"), FANDOMS_PER_PAGE)
    entries = []
    for tag in page:
        href = request.build_absolute_uri(reverse("opds:fandom", args=[tag.name]))
        works = "work" if tag.use_count == 1 else "works"
        entries.append(
            {
                "id": href,
                "title": strip_controls(tag.name),
                "content": f"{tag.use_count} {works}",
                "href": href,
                "rel": "subsection",
                "type": ACQUISITION,
            }
        )
    return _navigation_feed(request, title=f"Fandoms · {settings.SITE_NAME}", entries=entries, page=page)


@require_safe
def fandom_works(request: HttpRequest, name: str) -> HttpResponse:
    tag = Tag.objects.named(name).of_kind(Tag.Kind.FANDOM).select_related("merger").first()
    if tag is None:
        raise Http404("No such fandom.")
    # A synonym's works are its canonical tag's (filter_id is the canonical's id).
    works = _visible_works().filter(filter_ids__has_all=[tag.filter_id])
    return _acquisition_feed(request, works, title=f"{(tag.merger or tag).name} · {settings.SITE_NAME}")


@require_safe
def search_description(request: HttpRequest) -> HttpResponse:
    search_url = request.build_absolute_uri(reverse("opds:search"))
    context = {
        "site_name": settings.SITE_NAME,
        # Built by hand: urlencode would escape the braces the template parameter needs.
        "template": f"{search_url}?q={{searchTerms}}",
        "type": ACQUISITION,
    }
    return render(request, "opds/search_description.xml", context, content_type=OPENSEARCH)


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    # Control characters can't stand in the feed's XML, and PostgreSQL refuses a NUL in a query.
    text = strip_controls(request.GET.get("q", ""))
    works = _visible_works()
    # No words to look for finds nothing, rather than listing every work.
    works = match_text(works, text) if has_terms(text) else works.none()
    return _acquisition_feed(request, works, title=f"Search: {text} · {settings.SITE_NAME}")
