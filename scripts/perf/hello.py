"""The bare Django baseline for make perf: no apps, no middleware, no templates, one view.

Served exactly like the archive (gunicorn with gunicorn.conf.py, the same workers), so the
ratio of a page's requests per second to this one's says what the archive adds on top of
Django and gunicorn themselves: gunicorn --config gunicorn.conf.py --pythonpath scripts/perf hello
"""

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpRequest, HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY="hello-only-secret",  # noqa: S106 - signs nothing; Django just requires one
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
)


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("hello")


urlpatterns = [path("", hello)]

application = get_wsgi_application()
