"""Giving an author's words back when a form post is refused before it can be saved.

Two refusals would otherwise throw away what was typed: a session that expired while the author
was writing (the log-in redirect drops the POST), and a CSRF token that no longer matches (a log
out or log in in another tab rotates it). Both render `give_back.html` with status 403, every
submitted text field in a read-only textarea (escaped like all user text), and a log-in link that
opens in a new tab, so the text stays on screen while the author logs in again.

This lives in core, under every app, because the chapters, stories, comments, bookmarks and profiles
apps use it.
"""

from collections.abc import Callable
from functools import wraps
from urllib.parse import unquote, urlsplit

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django.utils.encoding import escape_uri_path
from django.utils.http import url_has_allowed_host_and_scheme

# Never echoed: the token itself, the button pressed, and anything that looks like a password.
SKIPPED_FIELDS = {"csrfmiddlewaretoken", "action"}
LABELS = {
    "title": "Title",
    "summary": "Summary",
    "notes": "Beginning notes",
    "end_notes": "End notes",
    "body": "Text",
    "fandoms": "Fandoms",
    "characters": "Characters",
    "relationships": "Relationships",
    "freeforms": "Additional tags",
}
PREFIXES = {"chapter": "first chapter"}
MAX_ROWS = 20
# A short value without a space in a field not known to hold writing is a choice ("teen", "en",
# a warning's number): nothing anyone would need to copy back.
WRITING_LENGTH = 40

SESSION_EXPIRED = "session"
CSRF_REJECTED = "csrf"


def given_back_fields(request: HttpRequest) -> list[dict]:
    """The submitted text worth giving back, in the order the form sent it, with a label each."""
    fields = []
    for name in request.POST:
        if name in SKIPPED_FIELDS or "password" in name.lower():
            continue
        value = "\n".join(value for value in request.POST.getlist(name) if value.strip())
        prefix, _, field = name.rpartition("-")
        if not value or (field not in LABELS and " " not in value.strip() and len(value) < WRITING_LENGTH):
            continue
        label = LABELS.get(field, field.replace("_", " ").capitalize())
        if prefix:
            label = f"{label} ({PREFIXES.get(prefix, prefix.replace('_', ' '))})"
        rows = min(MAX_ROWS, max(2, value.count("\n") + 2, len(value) // 80 + 1))
        fields.append({"name": name, "label": label, "value": value, "rows": rows})
    return fields


def _is_our_page(path: str) -> bool:
    """Whether `path`, written as a link, is a page of this site that one of our views answers.

    The referer's host being ours is not enough: its path is written into a link, where a second
    slash, or a backslash (browsers read one as a slash), or a control character browsers drop
    turns the rest into another site's address (`//evil.example/x`). So the path must start with
    one slash, hold nothing a browser reads differently, and resolve in our URLconf.
    """
    if not path.startswith("/") or path.startswith("//") or any(char == "\\" or char <= " " for char in path):
        return False
    try:
        resolve(unquote(path))
    except Resolver404:
        return False
    return True


def form_path(request: HttpRequest) -> str:
    """The page the form was on (its referer, if a page of ours), else the address it posted to."""
    referer = request.headers.get("referer", "")
    if referer and url_has_allowed_host_and_scheme(referer, {request.get_host()}, request.is_secure()):
        parts = urlsplit(referer)
        if _is_our_page(parts.path):
            return parts.path + (f"?{parts.query}" if parts.query else "")
    posted_to = escape_uri_path(request.path)
    return posted_to if _is_our_page(posted_to) else reverse("stories:home")


def give_back(request: HttpRequest, *, reason: str) -> HttpResponse:
    context = {"fields": given_back_fields(request), "reason": reason, "form_path": form_path(request)}
    return render(request, "give_back.html", context, status=403)


def login_required_keeping_post(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """`login_required`, except that a logged-out POST carrying text gets its text back.

    A GET (or an empty POST) still redirects to log in, as `login_required` does.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if request.method == "POST" and given_back_fields(request):
            return give_back(request, reason=SESSION_EXPIRED)
        return redirect_to_login(request.get_full_path())

    return wrapper


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """settings.CSRF_FAILURE_VIEW: the post was refused, but what was typed comes back."""
    return give_back(request, reason=CSRF_REJECTED)
