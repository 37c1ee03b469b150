"""Malformed input never crashes: crawl the demo archive, then replay what it found with bad values.

The demo archive is crawled logged out, as its reader, as its author and as staff, following
every same-site link and form, a few pages per URL pattern (a work's chapters are one pattern,
not eight pages). The first page of each pattern is then asked for again with each query
parameter seen for it (in links and GET forms, plus `page`), and each part of its path that names
something (an id, a username, a tag), replaced by every value in `BAD`; each POST form found is
sent with each of its fields so replaced in turn (the others as the page gave them) and with
`next` pointing somewhere it must not go. A role after the first tries only a sample of values
where an earlier one tried them all, and a form of many fields (a work's) a sample too, which
keeps the run near a minute. No answer may be a 5xx; every one that is, is listed with its URL.

Every request runs in a savepoint rolled back afterwards and the client's cookies are put back,
so a form that deletes a work or logs out leaves the next request the same archive and session.
"""

import logging
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve

from archive.bookmarks.services import add_to_list, create_list
from archive.cocreators.services import invite_cocreator
from archive.comments.services import post_comment
from archive.history.models import Reading
from archive.notifications.models import Kind, Notification
from archive.publishing.services import update_chapter
from archive.series.models import Series
from archive.stories.models import Story
from archive.stories.tests.factories import make_story

pytestmark = pytest.mark.django_db

# Each already percent-encoded, as it would stand in a URL or a form body.
BAD = [
    "",
    "text",
    "-1",
    "99999999999999999999999999",
    str(2**63),
    "%00",
    "a%00b",
    "%ff%fe",
    "x" * 5000,
    quote("'\"<script>&", safe=""),
    quote('"unclosed', safe=""),
    "a*",
    "a%3Ab",
    "NOT",
    quote("a & | !", safe=""),
    "(",
    "9999-12-31",
    "0000-00-00",
]
# What each form field is also sent with (the fuller list above goes to query parameters and paths).
BAD_FIELDS = ["", "text", "-1", str(2**63), "a%00b", "%ff%fe", "x" * 5000, quote("'\"<>", safe=""), "9999-12-31"]
# What a page or form an earlier role has already been through is asked for again with.
SAMPLE = [str(2**63), "a%00b", "%ff%fe", "x" * 5000, "9999-12-31"]
SAMPLE_FIELDS = [str(2**63), "a%00b", "x" * 5000]
# A form with many fields (a work's) sends each of them these: every send that passes saves a work.
WIDE_FORM = 8
BAD_NEXT = ["zzz", quote("//evil.example", safe=""), quote("javascript:alert(1)", safe="")]
# The crawl's own bounds: pages fetched per role, and pages fetched per URL pattern.
MAX_PAGES = 150
PER_ROUTE = 3
SKIPPED = ("/static/", "/admin/")


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str]]
    actions: list[str] = field(default_factory=list)  # its buttons named "action": Preview, Post, Save...


@dataclass
class Page:
    links: list[str] = field(default_factory=list)
    forms: list[Form] = field(default_factory=list)


class _Parser(HTMLParser):
    """Links and forms in a page (or an Atom/OPDS feed: its <link href>s)."""

    def __init__(self, url: str):
        super().__init__(convert_charrefs=True)
        self.url, self.page, self.form, self.select, self.textarea = url, Page(), None, None, None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag in ("a", "link") and attributes.get("href"):
            self.page.links.append(attributes["href"])
        elif tag == "form":
            method = attributes.get("method", "get").lower()
            self.form = Form(attributes.get("action") or self.url, method, [])
            self.page.forms.append(self.form)
        elif self.form is None:
            return
        elif tag == "input" and attributes.get("name"):
            kind = attributes.get("type", "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in attributes:
                if not any(name == attributes["name"] for name, _ in self.form.fields) and kind == "radio":
                    self.form.fields.append((attributes["name"], attributes.get("value", "on")))
                return
            if kind in ("submit", "button", "image", "reset", "file"):
                if kind == "submit" and not any(name == attributes["name"] for name, _ in self.form.fields):
                    self.form.fields.append((attributes["name"], attributes.get("value", "")))
                return
            self.form.fields.append((attributes["name"], attributes.get("value", "")))
        elif tag == "button" and attributes.get("name") and attributes.get("type", "submit") == "submit":
            if not any(name == attributes["name"] for name, _ in self.form.fields):
                self.form.fields.append((attributes["name"], attributes.get("value", "")))
            if attributes["name"] == "action":
                self.form.actions.append(attributes.get("value", ""))
        elif tag == "textarea" and attributes.get("name"):
            self.textarea = [attributes["name"], ""]
            self.form.fields.append(("", ""))  # its place, filled at </textarea>
        elif tag == "select" and attributes.get("name"):
            self.select = [attributes["name"], None, False]
        elif tag == "option" and self.select is not None:
            if self.select[1] is None or ("selected" in attributes and not self.select[2]):
                self.select[1], self.select[2] = attributes.get("value", ""), "selected" in attributes

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.form = None
        elif tag == "textarea" and self.textarea is not None and self.form is not None:
            self.form.fields[-1] = (self.textarea[0], self.textarea[1].removeprefix("\n"))
            self.textarea = None
        elif tag == "select" and self.select is not None and self.form is not None:
            self.form.fields.append((self.select[0], self.select[1] or ""))
            self.select = None


def _local(url: str) -> str | None:
    """The path and query of a same-site URL; None for another site, a fragment or a script."""
    parts = urlsplit(url)
    if parts.scheme not in ("", "http", "https") or (parts.netloc and parts.netloc != "testserver"):
        return None
    if not parts.path.startswith("/") or parts.path.startswith(SKIPPED):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _route(path: str) -> str | None:
    try:
        return resolve(urlsplit(path).path).route
    except Resolver404:
        return None


def _encoded(value: str) -> str:
    return quote(value, safe="")


def _body(fields: list[tuple[str, str]]) -> str:
    """A form body from (name, already-encoded value) pairs."""
    return "&".join(f"{_encoded(name)}={value}" for name, value in fields)


_PARAM = re.compile(r"<[^>]+>")


def _path_variants(path: str, route: str, values: list[str]) -> list[str]:
    """This path with each part a URL pattern fills in (an id, a name) replaced by each bad value."""
    variants = []
    segments, patterns = path.split("/"), ("/" + route).split("/")
    if len(segments) != len(patterns):
        return variants
    for index, pattern in enumerate(patterns):
        if "<" not in pattern:
            continue
        prefix, suffix = _PARAM.split(pattern, maxsplit=1)
        for value in values:
            replaced = [*segments]
            replaced[index] = f"{prefix}{value or 'x%20'}{suffix}"  # an empty segment would be another route
            variants.append("/".join(replaced))
    return variants


def _query_variants(path: str, params: list[tuple[str, str]], names: list[str]) -> list[str]:
    """This path with each of these parameters in turn set to each bad value, the others as found."""
    variants = []
    for name in names:
        for value in BAD:
            kept = [(other, _encoded(text)) for other, text in params if other != name]
            variants.append(f"{path}?{_body([*kept, (name, value)])}")
    return variants


class Crawler:
    def __init__(self, client: Client, role: str):
        self.client, self.role = client, role
        self.pages: dict[str, str] = {}  # route -> the first path seen for it
        self.params: dict[str, dict[str, str]] = {}  # route -> every query parameter seen for it, with a value
        # (route, method, field names) -> the first form seen: one URL pattern may take several forms.
        self.forms: dict[tuple[str, str, tuple[str, ...]], Form] = {}
        self.failures: list[str] = []
        self.requests = 0

    def request(self, method: str, url: str, body: str | None = None):
        saved = SimpleCookie()
        saved.update(self.client.cookies)
        savepoint = transaction.savepoint()
        try:
            if method == "get":
                response = self.client.get(url)
            else:
                response = self.client.post(url, body or "", content_type="application/x-www-form-urlencoded")
        finally:
            transaction.savepoint_rollback(savepoint)
            self.client.cookies = saved
        self.requests += 1
        if response.status_code >= 500:
            error = getattr(response, "exc_info", None)
            reason = f"{error[0].__name__}: {str(error[1])[:200]}" if error else ""
            shown = url if len(url) < 300 else url[:300] + "…"
            self.failures.append(f"{self.role} {method.upper()} {shown} -> {response.status_code} {reason}")
        return response

    def crawl(self, starts: list[str]) -> None:
        """Fetch pages breadth first, up to PER_ROUTE of each URL pattern, noting the first of each."""
        queue, fetched, seen = [*starts], Counter(), set()
        while queue and sum(fetched.values()) < MAX_PAGES:
            path = queue.pop(0)
            route = _route(path)
            if route is not None:
                params = self.params.setdefault(route, {})
                for name, value in parse_qsl(urlsplit(path).query, keep_blank_values=True):
                    params.setdefault(name, value)
            if route is None or path in seen or fetched[route] >= PER_ROUTE:
                continue
            seen.add(path)
            fetched[route] += 1
            self.pages.setdefault(route, path)
            response = self.request("get", path)
            if response.status_code != 200 or not re.search("html|xml", response.get("Content-Type", "")):
                continue
            parser = _Parser(path)
            parser.feed(response.content.decode(errors="replace"))
            queue.extend(local for link in parser.page.links if (local := _local(link)) is not None)
            for form in parser.page.forms:
                action = _local(form.action)
                if action is None or (form_route := _route(action)) is None:
                    continue
                form.action = action
                names = tuple(sorted({name for name, _ in form.fields if name != "csrfmiddlewaretoken"}))
                self.forms.setdefault((form_route, form.method, names), form)
                if form.method == "get":
                    params = [(name, _encoded(value)) for name, value in form.fields if name]
                    queue.append(f"{action.split('?')[0]}?{_body(params)}")

    def replay_pages(self, covered: set[tuple]) -> None:
        """Each page with each bad value in its path and in each parameter an earlier role has not tried."""
        for route, path in self.pages.items():
            parts = urlsplit(path)
            params = list(self.params[route].items())
            names = [name for name in {**self.params[route], "page": ""} if ("get", route, name) not in covered]
            values = SAMPLE if ("get", route) in covered else BAD
            for url in [*_path_variants(parts.path, route, values), *_query_variants(parts.path, params, names)]:
                self.request("get", url)
            covered |= {("get", route), *(("get", route, name) for name in names)}

    def replay_forms(self, covered: set[tuple]) -> None:
        """Each form with each field in turn set to each bad value (a sample, if an earlier role sent it)."""
        for key, form in self.forms.items():
            route, method, names = key
            if method != "post":
                continue
            wide = len(names) > WIDE_FORM
            values = SAMPLE_FIELDS if ("post", *key) in covered or wide else BAD_FIELDS
            covered.add(("post", *key))
            fields = [(name, _encoded(value)) for name, value in form.fields if name]
            for name in names:
                for value in values:
                    kept = [(other, text) for other, text in fields if other != name]
                    self.request("post", form.action, _body([*kept, (name, value)]))
            for value in BAD_NEXT:
                kept = [(other, text) for other, text in fields if other != "next"]
                self.request("post", form.action, _body([*kept, ("next", value)]))
            for url in _path_variants(urlsplit(form.action).path, route, SAMPLE):
                self.request("post", url, _body(fields))
            # Above, the form's first button was sent (Preview, on the work and chapter forms); each
            # of its other buttons (Post, Save as draft) gets a sample of the bad values too.
            for action in form.actions[1:]:
                pressed = [(other, text) for other, text in fields if other != "action"] + [("action", action)]
                for name in names:
                    for value in SAMPLE_FIELDS:
                        kept = [(other, text) for other, text in pressed if other != name]
                        self.request("post", form.action, _body([*kept, (name, value)]))
            if "preview" in form.actions:
                covered.add(("preview", route))


STARTS = [
    "/",
    "/works/search",
    "/works/search?q=lighthouse&sort=best",
    "/fandoms",
    "/opds/",
    "/opds/search?q=the",
    "/autocomplete/tags?q=a",
    "/healthz",
    "/users/login",
    "/users/signup",
]
OWN_PAGES = [
    "/dashboard",
    "/inbox",
    "/subscriptions",
    "/preferences",
    "/history",
    "/profile/edit",
    "/comments/blocked",
    "/works/new",
    "/users/{username}/lists",
    "/users/{username}/bookmarks",
    "/wrangling/",
    "/wrangling/log",
]


@pytest.fixture
def demo(settings, monkeypatch):
    # Thousands of 404s and 400s: only errors are worth a log line here.
    for name in ("django.request", "django.security"):
        monkeypatch.setattr(logging.getLogger(name), "level", logging.ERROR)
    # Limits are tested elsewhere (test_ratelimits.py); here they would only stop forms early.
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS, "100000/s")
    call_command("load_demo", verbosity=0)
    User = get_user_model()
    User.objects.create_user(username="demo-wrangler", password="unused-password", is_staff=True)  # noqa: S106
    author, reader = User.objects.get(username="quillfeather"), User.objects.get(username="lanternreader")
    # What the demo alone lacks, so the crawl meets those pages and forms too: a reader's bookmark,
    # list, subscriptions, history and notification; an author's draft, a chapter with an older
    # revision, and a comment held for approval.
    work = Story.objects.written_by(author).published().order_by("pk").first()
    client = Client()
    client.force_login(reader)
    client.post(f"{work.get_absolute_url()}/bookmark", {"note": "Lovely.", "tags": "Favourites", "next": "/"})
    client.post(f"{work.get_absolute_url()}/subscribe")
    client.post(f"{work.get_absolute_url()}/lists", {"list": "later"})
    client.post(f"/users/{author.username}/subscribe")
    chapter = work.chapters.order_by("position").first()
    Reading.objects.create(user=reader, story=work, chapter=chapter, chapter_number=1, last_read_at=work.updated_at)
    Notification.objects.create(
        recipient=reader, kind=Kind.NEW_STORY_BY_AUTHOR, story=work, text="New work", url=work.get_absolute_url()
    )
    update_chapter(chapter=chapter, fields={"title": "Renamed", "notes": "", "end_notes": "", "body": "<p>New.</p>"})
    make_story(author=author, title="A draft", post=False)
    invite_cocreator(story=work, inviter=author, username=reader.username)  # the reader's invitation page
    series = Series.objects.filter(creators=author).order_by("pk").first()
    Story.objects.filter(pk=work.pk).update(moderate_comments=True)
    post_comment(chapter=chapter, user=reader, body="Held for approval.")
    reading_list = create_list(user=reader, name="Summer reading")
    add_to_list(reading_list=reading_list, story=work)
    # Pages deeper than the crawl's few pages per URL pattern reach.
    return {
        "lanternreader": [f"/users/{reader.username}/lists/{reading_list.pk}", f"/works/{work.pk}/invitation"],
        "quillfeather": [
            f"{chapter.get_absolute_url()}/revisions",
            f"/works/{work.pk}/co-creators",
            f"/works/{work.pk}/chapters/manage",
            f"/works/{work.pk}/chapters/new",
            f"/works/{work.pk}/edit",
            f"/series/{series.pk}/edit",
        ],
    }


def _client_for(username: str | None) -> Client:
    client = Client(raise_request_exception=False)
    if username:
        client.force_login(get_user_model().objects.get(username=username))
    return client


ROLES = [("guest", None), ("reader", "lanternreader"), ("author", "quillfeather"), ("staff", "demo-wrangler")]


def test_no_malformed_request_gets_a_server_error(demo):
    """Each role tries every bad value where no role before it has; elsewhere a sample."""
    started = time.monotonic()
    failures, covered, report = [], set(), []
    for role, username in ROLES:
        crawler = Crawler(_client_for(username), role)
        own = [page.format(username=username) for page in OWN_PAGES] if username else []
        crawler.crawl([*demo.get(username, []), *own, *STARTS])
        crawler.replay_pages(covered)
        crawler.replay_forms(covered)
        failures.extend(crawler.failures)
        report.append(
            f"{role}: {len(crawler.pages)} URL patterns, {len(crawler.forms)} forms, {crawler.requests} requests"
        )

    assert len({key[:2] for key in covered}) > 80, report
    # #12's forms each got every bad value: series, co-creators, manage chapters, chapter summaries
    # (the chapter forms), and Preview on the new-work, new-chapter and edit forms.
    posted = {key[1] for key in covered if key[0] == "post"}
    for route in [
        "series/<id:series_id>/edit",
        "works/<id:story_id>/co-creators",
        "works/<id:story_id>/invitation",
        "works/<id:story_id>/chapters/manage",
        "works/<id:story_id>/chapters/new",
        "works/<id:story_id>/chapters/<id:chapter_id>/edit",
        "works/<id:story_id>/edit",
        "works/new",
    ]:
        assert route in posted, f"no form of {route} was sent bad values"
    previewed = {key[1] for key in covered if key[0] == "preview"}
    assert {"works/new", "works/<id:story_id>/chapters/new", "works/<id:story_id>/edit"} <= previewed, previewed
    assert not failures, (
        f"{len(failures)} requests failed ({'; '.join(report)}; {time.monotonic() - started:.0f} s):\n"
        + "\n".join(failures)
    )
