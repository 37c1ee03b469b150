"""Stored XSS: every payload of xss_payloads.txt, typed into every field a user can write, through
the forms a user would use, and no page, feed, download or JSON response that shows it runs it.

Payloads are batched, several to a field, each behind a marker (⟦n⟧) so that a finding names the
payload it came after (see executable.py). Prose fields are packed so the sanitizer sees every
payload: one that swallows what follows (an unclosed <script>, <plaintext>) ends its batch.
"""

import json
import re
from collections import defaultdict
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

from archive.accounts.forms import SignupForm
from archive.accounts.models import User
from archive.accounts.tests.factories import UserFactory
from archive.chapters.models import Chapter
from archive.cocreators.services import invite_cocreator
from archive.core.tests.executable import MARKER, Finding, epub_findings, epub_xhtml_files, html_findings, xml_findings
from archive.core.tests.payloads import (
    EVERY,
    PAYLOADS,
    WITH_NUL,
    batch_text,
    marked,
    pack,
    pack_prose,
    spread,
    tag_payloads,
)
from archive.stories.models import MAX_NOTES_LENGTH, MAX_SUMMARY_LENGTH, MAX_TITLE_LENGTH, Story
from archive.stories.tests.factories import work_form_data
from archive.tags.forms import FORBIDDEN
from archive.tags.models import Tag

pytestmark = pytest.mark.django_db

GUEST_NAME_LENGTH = 100
DISPLAY_NAME_LENGTH = 100
PRONOUNS_LENGTH = 50
BOOKMARK_TAG_LENGTH = 100
BOOKMARK_TAGS = 25
PASSWORD = "a-long-pass-42!"
COMMON_WORD = "Xylophonic"  # in every corpus work's text, so one search lists them all


class Corpus:
    """Fetches pages, checks them, and remembers which payloads went into which fields."""

    def __init__(self) -> None:
        self.findings: list[Finding] = []
        self.placed: dict[int, set[str]] = defaultdict(set)
        self.shown: set[int] = set()  # payloads whose marker some response showed
        self.checked = 0

    def place(self, batches: list[list[int]], field: str) -> None:
        for batch in batches:
            for index in batch:
                self.placed[index].add(field)

    def check_response(self, response, where: str) -> None:
        self.checked += 1
        content_type = response["Content-Type"].split(";")[0]
        if content_type != "application/epub+zip":
            self.shown.update(int(number) for number in MARKER.findall(response.content.decode()))
        if content_type == "text/html":
            self.findings += html_findings(response.content.decode(), where)
        elif content_type in {"application/atom+xml", "application/xml", "application/opensearchdescription+xml"}:
            self.findings += xml_findings(response.content, where)
        elif content_type == "application/epub+zip":
            assert epub_xhtml_files(response.content), where
            self.findings += epub_findings(response.content, where)
        elif content_type == "application/json":
            html = json.loads(response.content).get("html")
            if html:
                self.findings += html_findings(html, f"{where} (JSON html)")
        else:
            raise AssertionError(f"{where}: unexpected content type {content_type}")

    def get(self, client: Client, url: str, *, status: int = 200, **extra):
        response = client.get(url, **extra)
        assert response.status_code == status, f"GET {url} answered {response.status_code}"
        self.check_response(response, url)
        return response

    def get_all_pages(self, client: Client, url: str) -> None:
        """A paginated list, every page of it."""
        first = self.get(client, url)
        last = max((int(number) for number in re.findall(r"[?&;]page=(\d+)", first.content.decode())), default=1)
        joiner = "&" if "?" in url else "?"
        for number in range(2, last + 1):
            self.get(client, f"{url}{joiner}page={number}")

    def report(self) -> str:
        lines = [f"{len(self.findings)} executable constructs in {self.checked} responses:"]
        for finding in self.findings[:60]:
            lines.append(f"- {finding}")
            if finding.marker is not None and finding.marker < len(PAYLOADS):
                fields = ", ".join(sorted(self.placed.get(finding.marker, ()))) or "no field"
                lines.append(f"    payload {finding.marker}: {PAYLOADS[finding.marker]!r} (in {fields})")
        return "\n".join(lines)

    def assert_clean(self) -> None:
        assert not self.findings, self.report()
        # And the test wasn't vacuous: every payload posted came back on some page.
        missing = sorted(set(self.placed) - self.shown)
        assert not missing, [f"{index}: {PAYLOADS[index]!r} in {sorted(self.placed[index])}" for index in missing]


@pytest.fixture
def corpus(settings) -> Corpus:
    settings.RATELIMIT_ENABLE = False  # hundreds of posts from one address, on purpose
    return Corpus()


def logged_in(username: str, **fields) -> tuple[User, Client]:
    user = UserFactory(username=username, **fields)
    client = Client()
    client.force_login(user)
    return user, client


def post_work(client: Client, **fields) -> Story:
    response = client.post("/works/new", work_form_data(**fields))
    assert response.status_code == 302, _form_errors(response)
    return Story.objects.order_by("-pk").first()


def _form_errors(response) -> str:
    return " | ".join(re.findall(r'<ul class="errorlist"[^>]*>(.*?)</ul>', response.content.decode(), re.DOTALL))


def test_the_corpus_has_at_least_two_hundred_distinct_payloads():
    assert len(PAYLOADS) >= 200
    assert len(set(PAYLOADS)) == len(PAYLOADS)


def test_no_page_feed_or_download_runs_a_payload_written_into_a_work(corpus, client):
    author, author_client = logged_in("corpus_author")
    _, staff_client = logged_in("corpus_wrangler", is_staff=True)
    titles = pack(EVERY, MAX_TITLE_LENGTH)
    chapter_titles = pack(reversed(EVERY), 255)
    summaries = pack_prose(EVERY, MAX_SUMMARY_LENGTH)
    notes = pack_prose(EVERY, MAX_NOTES_LENGTH)
    end_notes = pack_prose(reversed(EVERY), MAX_NOTES_LENGTH)
    bodies = pack_prose(EVERY, 100_000)
    tagged = tag_payloads()
    tags_per_work = 15
    tag_groups = [tagged[start : start + tags_per_work] for start in range(0, len(tagged), tags_per_work)]
    count = max(len(titles), len(chapter_titles), len(summaries), len(tag_groups))
    for field, batches in [("story title", titles), ("chapter title", chapter_titles), ("summary", summaries),
                           ("story notes", notes), ("story end notes", end_notes), ("chapter notes", notes),
                           ("chapter end notes", end_notes), ("chapter text", bodies),
                           ("chapter summary", summaries)]:  # fmt: skip
        corpus.place(batches, field)
    for group in tag_groups:
        for kind in ("fandom", "character", "relationship", "additional tag"):
            corpus.place([group], f"{kind} tag")

    stories = []
    title_texts, chapter_title_texts = spread(titles, count), spread(chapter_titles, count)
    summary_texts, notes_texts, end_texts = spread(summaries, count), spread(notes, count), spread(end_notes, count)
    body_texts = spread(bodies, count)
    previews, previewed = [], []
    for number in range(count):
        group = tag_groups[number] if number < len(tag_groups) else []
        fields = {
            "title": title_texts[number] or f"Corpus work {number}",
            "summary": summary_texts[number],
            "notes": notes_texts[number],
            "end_notes": end_texts[number],
            # A fandom named exactly as the payload; a name has one kind, so the others add a mark.
            "fandoms": ", ".join([f"Corpus Fandom {number}", *(PAYLOADS[index] for index in group)]),
            "characters": ", ".join(f"{PAYLOADS[index]} ⟦{index}⟧" for index in group),
            "relationships": ", ".join(f"{PAYLOADS[index]} ⟦{index}⟧ r" for index in group),
            "freeforms": ", ".join(f"{PAYLOADS[index]} ⟦{index}⟧ a" for index in group),
            "comment_permission": "everyone",
            "chapter-title": chapter_title_texts[number],
            "chapter-summary": summary_texts[number],
            "chapter-notes": notes_texts[number],
            "chapter-end_notes": end_texts[number],
            "chapter-body": f"{COMMON_WORD}. {body_texts[number]}",
        }
        if number < 3:  # a preview renders the work from unsaved stand-ins, not from its rows
            previews.append(author_client.post("/works/new", work_form_data(**{**fields, "action": "preview"})))
            previewed.append(fields)
        stories.append(post_work(author_client, **fields))
    for response in previews:
        assert response.status_code == 200 and b"preview-page" in response.content
        corpus.check_response(response, "/works/new (Preview)")
    corpus_tags = Tag.objects.exclude(name__startswith="Corpus Fandom").exclude(name="Greek Mythology").order_by("pk")
    assert corpus_tags.filter(name__in=[PAYLOADS[index] for index in tagged]).count() == len(tagged)
    assert corpus_tags.filter(name__contains="⟦").count() >= 3 * len(tagged)

    # Every work's pages that show its fields; pages that repeat a context already seen (the
    # chapter's own URL, the comment form's heading, the chapter's edit form) for the first few.
    for number, story in enumerate(stories):
        chapter = Chapter.objects.filter(story=story).get()
        urls = [
            f"/works/{story.pk}",
            f"/works/{story.pk}?view_full_work=true",
            f"/works/{story.pk}/chapters/feed.atom",
            f"/downloads/{story.pk}/work.epub",
            f"/downloads/{story.pk}/work.html",
        ]
        if number < 3:
            urls += [
                f"/works/{story.pk}/navigate",
                f"/works/{story.pk}/chapters/{chapter.pk}",
                f"/works/{story.pk}/chapters/{chapter.pk}/comments",
            ]
        for url in urls:
            corpus.get(client, url)
        corpus.get(author_client, f"/works/{story.pk}/edit")
        if number < 3:
            corpus.get(author_client, f"/works/{story.pk}/chapters/{chapter.pk}/edit")
            corpus.get(author_client, f"/works/{story.pk}/chapters/manage")
    corpus.get(author_client, f"/works/{stories[0].pk}")  # as its author, with the author's links

    # Co-creators: the authors' page and the invitee's inbox line and invitation page name the work.
    invitee, invitee_client = logged_in("corpus_invitee")
    for story in stories:
        invite_cocreator(story=story, inviter=author, username=invitee.username)
        corpus.get(author_client, f"/works/{story.pk}/co-creators")
        corpus.get(invitee_client, f"/works/{story.pk}/invitation")
    corpus.get(author_client, f"/works/{stories[0].pk}/co-creators/leave")
    corpus.get_all_pages(invitee_client, "/inbox")

    # Previews of a new chapter and of a work's edit, from the same fields, as the new-work one was.
    for story, fields in zip(stories, previewed, strict=False):
        form = work_form_data(**fields)
        chapter_fields = {name[len("chapter-") :]: value for name, value in form.items() if name.startswith("chapter-")}
        work_fields = {name: value for name, value in form.items() if not name.startswith("chapter-")}
        for url, data in [
            (f"/works/{story.pk}/chapters/new", {**chapter_fields, "action": "preview"}),
            (f"/works/{story.pk}/edit", {**work_fields, "action": "preview"}),
        ]:
            response = author_client.post(url, data)
            assert response.status_code == 200 and b"preview-page" in response.content, url
            corpus.check_response(response, f"{url} (Preview)")
    # A name typed into the invite field comes back in the message next to it.
    for index in EVERY[::7]:
        response = author_client.post(f"/works/{stories[0].pk}/co-creators", {"username": PAYLOADS[index][:150]})
        assert response.status_code == 200
        corpus.check_response(response, "/co-creators (invite)")

    # Each tag's works page; a tag's other pages for the fandoms, named exactly as the payloads.
    for tag in corpus_tags:
        corpus.get(client, reverse("stories:tag_works", args=[tag.name]))
        if tag.kind == Tag.Kind.FANDOM:
            corpus.get(client, tag.get_absolute_url())
            corpus.get(client, reverse("stories:tag_feed", args=[tag.name]))
            corpus.get(client, reverse("opds:fandom", args=[tag.name]))
    for tag in corpus_tags[:5]:
        corpus.get(staff_client, reverse("wrangling:tag", args=[tag.name]))
    for url in ["/", "/users/corpus_author/works", "/fandoms", "/opds/new", "/opds/fandoms",
                f"/works/search?{urlencode({'q': COMMON_WORD})}", "/wrangling/"]:  # fmt: skip
        corpus.get_all_pages(staff_client if url.startswith("/wrangling") else client, url)
    for url in ["/users/corpus_author/works/feed.atom", "/opds/", "/dashboard", "/users/corpus_author/profile"]:
        corpus.get(author_client, url)
    for index in EVERY[::7]:  # what a reader types comes back on the results page
        corpus.get(client, f"/works/search?{urlencode({'q': PAYLOADS[index][:200]})}")
        corpus.get(client, f"/opds/search?{urlencode({'q': PAYLOADS[index][:200]})}")

    corpus.assert_clean()


def test_payloads_with_a_nul_character_are_refused_by_the_form(corpus):
    _, author_client = logged_in("corpus_author")
    assert WITH_NUL

    for index in WITH_NUL:
        response = author_client.post("/works/new", work_form_data(title=PAYLOADS[index], summary=PAYLOADS[index]))

        assert response.status_code == 200
        assert _form_errors(response).count("Null characters are not allowed.") == 2
        corpus.check_response(response, f"work form refusing payload {index}")
    assert not Story.objects.exists()
    corpus.assert_clean()


@pytest.mark.parametrize(
    "url",
    [
        "/autocomplete/tags?q=%00%3Cscript%3E",
        "/works/search?q=%00%3Cscript%3E",
        "/opds/search?q=%00%3Cscript%3E",
        "/users/corpus_author/bookmarks?q=%00&bookmark_tag=%00&tag=%00",
        "/?tag=%00",
        "/tags/%00%3Cscript%3E",
        "/tags/%00/works",
    ],
)
def test_a_nul_typed_into_a_query_gets_an_answer_not_a_server_error(client, url):
    UserFactory(username="corpus_author")

    assert client.get(url).status_code in {200, 404}


def test_an_opds_search_for_control_characters_is_still_a_valid_feed(client):
    response = client.get("/opds/search", {"q": "\x01\x0b<script>alert(1)</script>"})

    assert response.status_code == 200
    assert xml_findings(response.content, "OPDS search") == []


def test_tags_with_characters_tags_cant_use_are_refused_and_the_form_shows_them_safely(corpus, client):
    _, author_client = logged_in("corpus_author")
    refused = [index for index in EVERY if FORBIDDEN.search(PAYLOADS[index])][:75]

    response = author_client.post(
        "/works/new", work_form_data(freeforms=", ".join(PAYLOADS[index] for index in refused))
    )

    assert response.status_code == 200
    assert "contains a character tags can" in response.content.decode()
    assert not Story.objects.exists()
    corpus.check_response(response, "the refused work form")
    corpus.assert_clean()


def test_tag_autocomplete_answers_json_whose_strings_are_the_tag_names_as_typed(corpus, client):
    _, author_client = logged_in("corpus_author")
    tagged = tag_payloads()
    for start in range(0, len(tagged), 60):
        names = [f"{marked(index)} a" for index in tagged[start : start + 60]]
        post_work(author_client, freeforms=", ".join(names))

    for index in tagged:
        response = client.get("/autocomplete/tags", {"q": marked(index)})
        assert response["Content-Type"] == "application/json"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert [result["name"] for result in json.loads(response.content)["results"]] == [f"{marked(index)} a"]
    for index in range(len(PAYLOADS)):
        response = client.get("/autocomplete/tags", {"q": PAYLOADS[index]})
        assert response["Content-Type"] == "application/json"
        for result in json.loads(response.content)["results"]:
            assert Tag.objects.filter(name=result["name"]).exists(), result


def test_no_page_runs_a_payload_written_into_a_comment_or_a_guests_name(corpus, client):
    author, author_client = logged_in("corpus_author")
    _, reader_client = logged_in("corpus_reader")
    story = post_work(author_client, comment_permission="everyone")
    chapter = Chapter.objects.get(story=story)
    comments_url = f"/works/{story.pk}/chapters/{chapter.pk}/comments"
    bodies = pack(EVERY, 10_000)
    names = pack(EVERY, GUEST_NAME_LENGTH)
    corpus.place(bodies, "registered comment")
    corpus.place(bodies, "guest comment")
    corpus.place(names, "guest name")

    for body in bodies:
        response = reader_client.post(comments_url, {"body": batch_text(body)})
        assert response.status_code == 302, _form_errors(response)
    for number, name in enumerate(names):
        guest = {"guest_name": batch_text(name), "guest_email": "guest@example.org", "website": ""}
        body = batch_text(bodies[number]) if number < len(bodies) else "Lovely."
        response = client.post(comments_url, {**guest, "body": body})
        assert response.status_code == 302, _form_errors(response)
    # A script's post gets the re-rendered section back.
    response = client.post(
        comments_url,
        {"guest_name": batch_text(names[0]), "guest_email": "guest@example.org", "body": batch_text(bodies[0])},
        headers={"X-Requested-With": "fetch", "Accept": "text/html"},
    )
    corpus.check_response(response, "comment posted by script")
    comment = story.comments.filter(user__username="corpus_reader").order_by("pk").first()

    corpus.get_all_pages(client, f"/works/{story.pk}/chapters/{chapter.pk}")
    corpus.get_all_pages(client, f"/works/{story.pk}?view_full_work=true")
    corpus.get(client, f"{comments_url}/{comment.pk}/reply")
    corpus.get(reader_client, f"/comments/{comment.pk}/edit")
    corpus.get(reader_client, f"/comments/{comment.pk}/delete")
    corpus.get_all_pages(author_client, "/inbox")
    corpus.get(author_client, "/dashboard")
    # A comment the form refuses comes back in the form, as typed.
    response = client.post(comments_url, {"guest_name": "", "guest_email": "x", "body": batch_text(bodies[0])})
    assert response.status_code == 400
    corpus.check_response(response, "refused guest comment")

    corpus.assert_clean()


def test_no_page_runs_a_payload_written_into_a_bookmark(corpus, client):
    author, author_client = logged_in("corpus_author")
    reader, reader_client = logged_in("corpus_reader")
    notes = pack(EVERY, 5_000)
    tag_batches: list[list[int]] = []
    for index in EVERY:
        pieces = [piece for piece in marked(index).split(",") if piece.strip()]
        if any(len(" ".join(piece.split())) > BOOKMARK_TAG_LENGTH for piece in pieces):
            continue
        if tag_batches and sum(len(marked(each).split(",")) for each in tag_batches[-1]) + len(pieces) <= BOOKMARK_TAGS:
            tag_batches[-1].append(index)
        else:
            tag_batches.append([index])
    corpus.place(notes, "bookmark note")
    corpus.place(tag_batches, "bookmarker tag")
    count = max(len(notes), len(tag_batches))
    stories = [post_work(author_client, title=f"Bookmarked {number}") for number in range(count)]

    for number, story in enumerate(stories):
        fields = {
            "note": batch_text(notes[number]) if number < len(notes) else "",
            "tags": ", ".join(marked(index) for index in tag_batches[number]) if number < len(tag_batches) else "",
        }
        response = reader_client.post(f"/works/{story.pk}/bookmark", fields)
        assert response.status_code == 302, _form_errors(response)
    # The bookmark box's script posts for JSON, and gets the box's HTML in it.
    response = reader_client.post(
        f"/works/{stories[0].pk}/bookmark",
        {"note": batch_text(notes[0]), "tags": "x"},
        headers={"Accept": "application/json"},
    )
    corpus.check_response(response, "bookmark saved by script")

    corpus.get_all_pages(client, "/users/corpus_reader/bookmarks")
    corpus.get_all_pages(reader_client, "/users/corpus_reader/bookmarks")
    for story in stories:
        bookmark = story.bookmarks.get()
        corpus.get(client, f"/works/{story.pk}/bookmarks")
        corpus.get(client, f"/bookmarks/{bookmark.pk}")
        corpus.get(reader_client, f"/bookmarks/{bookmark.pk}/edit")
        corpus.get(reader_client, f"/works/{story.pk}")
        # A bookmarker's tag, filtered on, shows in the heading and the filter form.
        for tag in list(bookmark.tags.order_by("pk"))[::6]:
            corpus.get(client, f"/users/corpus_reader/bookmarks?{urlencode({'bookmark_tag': tag.name})}")
    corpus.get(client, f"/users/corpus_reader/bookmarks?{urlencode({'q': PAYLOADS[0]})}")
    corpus.get_all_pages(client, "/")

    corpus.assert_clean()


def test_no_page_runs_a_payload_written_into_a_profile(corpus, client):
    user, user_client = logged_in("corpus_profile")
    post_work(user_client, title="Profiled")
    display_names = pack(EVERY, DISPLAY_NAME_LENGTH)
    pronouns = pack(EVERY, PRONOUNS_LENGTH)
    about = pack_prose(EVERY, 5_000)
    corpus.place(display_names, "profile display name")
    corpus.place(pronouns, "profile pronouns")
    corpus.place(about, "profile about me")

    for number in range(max(len(display_names), len(pronouns))):
        fields = {
            "display_name": batch_text(display_names[number]) if number < len(display_names) else "",
            "pronouns": batch_text(pronouns[number]) if number < len(pronouns) else "",
            "about": batch_text(about[number]) if number < len(about) else "",
            "website": "https://example.org/",
        }
        response = user_client.post("/profile/edit", fields)
        assert response.status_code == 302, _form_errors(response)
        corpus.get(client, "/users/corpus_profile/profile")
    corpus.get(user_client, "/profile/edit")
    corpus.get(user_client, "/users/corpus_profile/profile")
    for index in EVERY:  # refused websites come back in the form
        response = user_client.post("/profile/edit", {"website": PAYLOADS[index][:200]})
        if response.status_code == 200:
            corpus.check_response(response, f"profile form refusing website {index}")

    corpus.assert_clean()


def test_no_page_runs_a_payload_written_into_a_series(corpus, client):
    author, author_client = logged_in("corpus_series")
    reader, reader_client = logged_in("corpus_series_reader")
    titles = pack(EVERY, MAX_TITLE_LENGTH)
    summaries = pack_prose(EVERY, MAX_SUMMARY_LENGTH)
    notes = pack_prose(EVERY, MAX_NOTES_LENGTH)
    corpus.place(titles, "series title")
    corpus.place(summaries, "series summary")
    corpus.place(notes, "series notes")

    for number in range(max(len(titles), len(summaries), len(notes))):
        title = batch_text(titles[number]) if number < len(titles) else f"Series {number}"
        story = post_work(author_client, title=f"In series {number}", **{"series-new_title": title})
        series = story.series_links.get().series
        fields = {
            "title": title,
            "summary": batch_text(summaries[number]) if number < len(summaries) else "",
            "notes": batch_text(notes[number]) if number < len(notes) else "",
            f"order-part_{story.pk}": "1",
        }
        response = author_client.post(f"/series/{series.pk}/edit", fields)
        assert response.status_code == 302, _form_errors(response)
        reader_client.post(f"/series/{series.pk}/subscribe")
        reader_client.post(f"/series/{series.pk}/bookmark", {"note": "", "tags": ""})
        corpus.get(client, f"/series/{series.pk}")
        corpus.get(client, story.get_absolute_url())
        corpus.get(author_client, f"/series/{series.pk}/edit")
        corpus.get(author_client, f"/works/{story.pk}/edit")
        corpus.get(reader_client, f"/series/{series.pk}/bookmark")
    corpus.get_all_pages(client, "/users/corpus_series/series")
    corpus.get(client, "/users/corpus_series/works")
    corpus.get(author_client, "/works/new")
    corpus.get_all_pages(client, "/users/corpus_series_reader/bookmarks")
    corpus.get_all_pages(reader_client, "/subscriptions")

    corpus.assert_clean()


def test_payload_usernames_are_refused_or_shown_escaped(corpus, client):
    # Usernames are ASCII letters, digits and underscores only, so the sign-up form refuses every payload.
    # Each is put to the form; every eighth is posted to the page too, which echoes it back.
    def form_data(username: str) -> dict:
        return {"username": username, "email": "x@example.org", "password1": PASSWORD, "password2": PASSWORD}

    accepted = [index for index in EVERY if SignupForm(form_data(PAYLOADS[index][:150])).is_valid()]
    for index in EVERY[::8]:
        response = Client().post("/users/signup", form_data(PAYLOADS[index][:150]))
        if index in accepted:
            assert response.status_code == 302
        else:
            assert response.status_code == 200
            assert 'id="id_username_error"' in response.content.decode(), PAYLOADS[index]
            corpus.check_response(response, f"sign-up refusing username {index}")
    for index in accepted:  # none today; one that got through is checked where usernames show
        corpus.place([[index]], "username")
        username = PAYLOADS[index][:150]
        if not User.objects.filter(username=username).exists():
            assert Client().post("/users/signup", form_data(username)).status_code == 302
        user_client = Client()
        user_client.force_login(User.objects.get(username=username))
        post_work(user_client, title="By a payload")
        corpus.get(client, reverse("stories:by_author", args=[username]))
        corpus.get(client, reverse("profiles:detail", args=[username]))
        corpus.get(user_client, "/dashboard")
    corpus.get_all_pages(client, "/")

    corpus.assert_clean()


# Control characters in a link's scheme. `java&#1;script:` is no scheme to a browser (a relative
# link, harmless in a page), but anything that drops control characters after the sanitizer has
# passed it (XML writers must) turns it into `javascript:`. Every feed, catalog and download of
# the work is checked, parsed as a feed reader or e-reader parses it. The marker, ⟦9999⟧, is past
# the corpus's numbers, so a finding isn't reported as a corpus payload.
SCHEME_TRICKS = [
    pytest.param('<a href="java&#1;script:alert(document.domain)">⟦9999⟧</a>', id="soh-reference"),
    pytest.param('<a href="java&#x01;script:alert(1)">⟦9999⟧</a>', id="hex-soh-reference"),
    pytest.param('<a href="java&#0;script:alert(1)">⟦9999⟧</a>', id="nul-reference"),
    pytest.param('<a href="java&#x7f;script:alert(1)">⟦9999⟧</a>', id="del-reference"),
    pytest.param('<a href="java&#x81;script:alert(1)">⟦9999⟧</a>', id="c1-reference"),
    pytest.param('<a href="java&#xfffe;script:alert(1)">⟦9999⟧</a>', id="noncharacter-reference"),
    pytest.param('<a href="java\tscript:alert(1)">⟦9999⟧</a>', id="raw-tab"),
    pytest.param('<a href="java\x01script:alert(1)">⟦9999⟧</a>', id="raw-soh"),
    pytest.param('<a href="JaVaScRiPt:alert(1)">⟦9999⟧</a>', id="mixed-case"),
    pytest.param('<a href="JaVa&#1;ScRiPt:alert(1)">⟦9999⟧</a>', id="mixed-case-soh-reference"),
    pytest.param('<a href="data:text/html,<script>alert(1)</script>">⟦9999⟧</a>', id="data"),
    pytest.param('<a href="da&#1;ta:text/html,<script>alert(1)</script>">⟦9999⟧</a>', id="data-soh-reference"),
    pytest.param('<a href="vbscript:msgbox(1)">⟦9999⟧</a>', id="vbscript"),
    pytest.param('<a href="vb&#1;script:msgbox(1)">⟦9999⟧</a>', id="vbscript-soh-reference"),
    pytest.param('<img src="java&#1;script:alert(1)" alt="⟦9999⟧">', id="image-soh-reference"),
]


@pytest.mark.parametrize("payload", SCHEME_TRICKS)
def test_no_feed_catalog_or_download_turns_a_control_character_into_a_dangerous_link(corpus, client, payload):
    _, author_client = logged_in("corpus_author")
    story = post_work(
        author_client,
        title=f"{COMMON_WORD} tricks",
        summary=payload,
        notes=payload,
        fandoms="Control Fandom",
        **{"chapter-body": payload, "chapter-notes": payload},
    )
    urls = [
        "/users/corpus_author/works/feed.atom",
        reverse("stories:tag_feed", args=["Control Fandom"]),
        f"/works/{story.pk}/chapters/feed.atom",
        "/opds/new",
        reverse("opds:fandom", args=["Control Fandom"]),
        f"/opds/search?{urlencode({'q': COMMON_WORD})}",
        f"/downloads/{story.pk}/work.epub",
        f"/downloads/{story.pk}/work.html",
        f"/works/{story.pk}",
    ]

    for url in urls:
        corpus.get(client, url)

    assert not corpus.findings, corpus.report()
    assert 9999 in corpus.shown  # the link's text came through: the test wasn't vacuous
