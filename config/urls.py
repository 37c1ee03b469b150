from django.contrib import admin
from django.urls import include, path, register_converter

from archive.core import views as core_views
from archive.core.converters import IdConverter, TextConverter
from archive.tags.converters import TagNameConverter

# Once, before any app's patterns: ids and names no row could have are a 404 (archive/core/converters.py).
register_converter(IdConverter, "id")
register_converter(TextConverter, "text")
register_converter(TagNameConverter, "tag")

# Imported once the converters are registered: their patterns are built on import.
from archive.chapters import urls as chapters_urls  # noqa: E402
from archive.publishing import urls as publishing_urls  # noqa: E402
from archive.stories import urls as stories_urls  # noqa: E402

# A post too large to read gets a page that says so (and what to do), not a bare "Bad Request".
handler400 = "archive.core.views.bad_request"

urlpatterns = [
    # A work's author pages (archive/publishing) keep their names in the namespaces of what they change.
    path("", include((stories_urls.urlpatterns + publishing_urls.stories_urlpatterns, "stories"))),
    path("", include((chapters_urls.urlpatterns + publishing_urls.chapters_urlpatterns, "chapters"))),
    path("", include("archive.series.urls")),
    path("", include("archive.cocreators.urls")),
    path("", include("archive.comments.urls")),
    path("", include("archive.kudos.urls")),
    path("", include("archive.bookmarks.urls")),
    path("", include("archive.notifications.urls")),
    path("", include("archive.history.urls")),
    path("", include("archive.downloads.urls")),
    path("", include("archive.opds.urls")),
    path("", include("archive.search.urls")),
    path("", include("archive.profiles.urls")),
    path("", include("archive.tags.urls")),
    path("", include("archive.wrangling.urls")),
    path("", include("archive.discovery.urls")),
    path("users/", include("archive.accounts.urls")),
    path("healthz", core_views.healthz, name="healthz"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("admin/", admin.site.urls),
]
