"""Who may open and change what, for every route of the archive.

`ACCESS` classifies every named route as public, logged-in (your own things, no one else's),
owner-only (a work's authors, or the owner of a comment, bookmark, list or notification) or
staff-only; `test_every_route_is_classified` walks the URL resolver and fails on a route missing
from it, so a new view can't skip this file. `CASES` is the matrix: each URL that changes or
reveals private data, for each of {logged out, another user, the author, a co-author, staff},
with GET and POST, and the exact status each must get; when a request is refused, nothing in
the database may have changed. Finally every POST without a CSRF token is refused.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from archive.accounts.tests.factories import PASSWORD, UserFactory
from archive.bookmarks.services import add_to_list, create_bookmark, create_list
from archive.chapters.models import Chapter
from archive.cocreators.services import invite_cocreator
from archive.comments.services import post_comment
from archive.history.models import Reading
from archive.notifications.models import Kind, Notification
from archive.publishing.services import update_chapter
from archive.search.services import save_search
from archive.series.tests.factories import make_series
from archive.stories.choices import CommentPermission
from archive.stories.models import Story
from archive.stories.tests.factories import make_story, work_form_data
from archive.tags.models import Tag

pytestmark = pytest.mark.django_db

PUBLIC, LOGGED_IN, OWNER, STAFF = "public", "logged-in", "owner-only", "staff-only"
ROLES = ["anon", "other", "author", "coauthor", "staff"]
NEW_PASSWORD = "a-brand-new-passphrase-77"

ACCESS: dict[str, str] = {
    # Reading and finding: anyone (drafts and restricted works are filtered inside).
    "stories:home": PUBLIC,
    "stories:tag_works": PUBLIC,
    "stories:tag_feed": PUBLIC,
    "stories:by_author": PUBLIC,
    "stories:author_feed": PUBLIC,
    "stories:pseud": PUBLIC,
    "chapters:work": PUBLIC,
    "chapters:navigate": PUBLIC,
    "chapters:detail": PUBLIC,
    "chapters:feed": PUBLIC,
    "series:detail": PUBLIC,
    "series:by_user": PUBLIC,
    "comments:create": PUBLIC,  # guests may comment where the work allows it
    "comments:reply": PUBLIC,
    "kudos:create": PUBLIC,  # guests may leave kudos
    "bookmarks:for_work": PUBLIC,
    "bookmarks:detail": PUBLIC,  # private bookmarks are 404 to all but their owner
    "bookmarks:by_user": PUBLIC,
    "downloads:epub": PUBLIC,
    "downloads:html": PUBLIC,
    "opds:root": PUBLIC,
    "opds:new": PUBLIC,
    "opds:fandoms": PUBLIC,
    "opds:fandom": PUBLIC,
    "opds:search_description": PUBLIC,
    "opds:search": PUBLIC,
    "search:works": PUBLIC,
    "tags:detail": PUBLIC,
    "tags:fandoms": PUBLIC,
    "tags:autocomplete": PUBLIC,
    "profiles:detail": PUBLIC,
    "accounts:login": PUBLIC,
    "accounts:logout": PUBLIC,
    "accounts:signup": PUBLIC,
    "accounts:password_reset": PUBLIC,  # the same answer whether or not an account matches
    "accounts:password_reset_done": PUBLIC,
    "accounts:password_reset_confirm": PUBLIC,  # a valid token is the permission
    "accounts:password_reset_complete": PUBLIC,
    "accounts:confirm_email": PUBLIC,  # a valid signed link is the permission
    "healthz": PUBLIC,
    "favicon": PUBLIC,
    # A logged-in reader's own things: never anyone else's.
    "stories:dashboard": LOGGED_IN,
    "chapters:story_create": LOGGED_IN,
    "comments:blocked": LOGGED_IN,
    "bookmarks:save": LOGGED_IN,
    "bookmarks:save_series": LOGGED_IN,
    "bookmarks:list_add": LOGGED_IN,
    "notifications:inbox": LOGGED_IN,
    "notifications:read_all": LOGGED_IN,
    "notifications:subscriptions": LOGGED_IN,
    "notifications:preferences": LOGGED_IN,
    "notifications:subscribe_story": LOGGED_IN,
    "notifications:unsubscribe_story": LOGGED_IN,
    "notifications:subscribe_author": LOGGED_IN,
    "notifications:unsubscribe_author": LOGGED_IN,
    "notifications:subscribe_tag": LOGGED_IN,
    "notifications:unsubscribe_tag": LOGGED_IN,
    "notifications:subscribe_series": LOGGED_IN,
    "notifications:unsubscribe_series": LOGGED_IN,
    "history:list": LOGGED_IN,
    "history:clear": LOGGED_IN,
    "history:remove": LOGGED_IN,
    "history:switch": LOGGED_IN,
    "history:mark_read": LOGGED_IN,
    "search:saved": LOGGED_IN,
    # Saved exclusions: on the account, or in a logged-out visitor's cookie; muting is the account's.
    "discovery:exclusions": PUBLIC,
    "discovery:muted": OWNER,
    "discovery:mute": LOGGED_IN,
    "discovery:unmute": LOGGED_IN,
    "search:saved_create": LOGGED_IN,
    "search:saved_edit": OWNER,
    "search:saved_delete": OWNER,
    "profiles:edit": LOGGED_IN,
    "cocreators:usernames": LOGGED_IN,  # names for the invite field, as author pages show them
    # Owners only: a work's authors, or whoever wrote the comment / owns the bookmark or list.
    "stories:edit": OWNER,
    "stories:delete": OWNER,
    "chapters:story_post": OWNER,
    "chapters:create": OWNER,
    "chapters:edit": OWNER,
    "chapters:delete": OWNER,
    "chapters:manage": OWNER,
    "chapters:revisions": OWNER,
    "chapters:revision": OWNER,
    "chapters:revision_restore": OWNER,
    "series:edit": OWNER,  # a series' creators: its works' authors
    "series:delete": OWNER,
    "comments:unreviewed": OWNER,
    "comments:edit": OWNER,
    "comments:delete": OWNER,
    "comments:approve": OWNER,
    "comments:freeze": OWNER,
    "comments:block": OWNER,
    "bookmarks:edit": OWNER,
    "bookmarks:delete": OWNER,
    "bookmarks:lists": OWNER,
    "bookmarks:list_detail": OWNER,
    "bookmarks:list_edit": OWNER,
    "bookmarks:list_delete": OWNER,
    "bookmarks:list_remove": OWNER,
    "notifications:read": OWNER,
    "cocreators:manage": OWNER,
    "cocreators:leave": OWNER,
    "cocreators:withdraw": OWNER,
    "cocreators:invitation": OWNER,  # the invitee's own: `other` in the matrix
    # The account's own pages, at /users/<name>/...: another's name is a 404.
    "accounts:change_password": OWNER,
    "accounts:change_email": OWNER,
    "accounts:resend_confirmation": OWNER,
    "accounts:delete": OWNER,
    # Staff.
    "wrangling:unwrangled": STAFF,
    "wrangling:log": STAFF,
    "wrangling:tag": STAFF,
    "wrangling:act": STAFF,
}


def _route_names(patterns, namespace: str = "") -> list[str]:
    names = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace or "") if part)
            names.extend(_route_names(pattern.url_patterns, inner))
        elif isinstance(pattern, URLPattern):
            names.append(f"{namespace}:{pattern.name}" if namespace else (pattern.name or str(pattern.pattern)))
    return names


def test_every_route_is_classified():
    """A new view must say who may use it here, or this fails."""
    routes = {name for name in _route_names(get_resolver().url_patterns) if not name.startswith("admin:")}
    unclassified = sorted(routes - ACCESS.keys())
    assert not unclassified, f"classify these routes in ACCESS (and add them to CASES if not public): {unclassified}"
    assert not sorted(ACCESS.keys() - routes), "ACCESS names routes that no longer exist"


def test_every_private_route_is_in_the_matrix():
    private = {name for name, access in ACCESS.items() if access != PUBLIC}
    covered = {case.route for case in CASES}
    assert not sorted(private - covered)


# The world every case runs in.


@dataclass
class World:
    author: object
    coauthor: object
    other: object
    staff: object
    story: Story
    chapter: Chapter
    second: Chapter
    draft: Story
    revision_id: int
    comment_id: int  # by `other`, on the author's work
    held_id: int  # by `other`, waiting for approval
    bookmark_id: int  # the author's, private, on someone else's work
    elsewhere: Story  # someone else's work
    list_id: int  # the author's own reading list
    notification_id: int  # the author's
    invitation_id: int  # to `other`, to co-create the author's work
    tag: Tag
    series_id: int  # the author's, with `story` (so the co-author is one of its creators too)
    saved_search_id: int  # the author's
    users: dict = field(default_factory=dict)


@pytest.fixture
def world(db) -> World:
    author, coauthor = UserFactory(username="author"), UserFactory(username="coauthor")
    other, staff = UserFactory(username="other"), UserFactory(username="staff", is_staff=True)
    story = make_story(
        author=author,
        title="Shared Work",
        chapters=2,
        characters=["Persephone"],
        comment_permission=CommentPermission.REGISTERED,
    )
    story.authors.add(coauthor)
    draft = make_story(author=author, title="Secret Draft", post=False)
    draft.authors.add(coauthor)
    chapter, second = story.chapters.order_by("position")
    update_chapter(chapter=chapter, fields={"title": "Renamed", "notes": "", "end_notes": "", "body": "<p>New.</p>"})
    comment = post_comment(chapter=chapter, user=other, body="A reader's comment.")
    Story.objects.filter(pk=story.pk).update(moderate_comments=True)
    story.refresh_from_db()
    held = post_comment(chapter=chapter, user=other, body="Held back.")
    elsewhere = make_story(author=UserFactory(), title="Someone Else's")
    bookmark = create_bookmark(user=author, story=elsewhere, note="Private note.", private=True)
    reading_list = create_list(user=author, name="Summer reading")
    add_to_list(reading_list=reading_list, story=elsewhere)
    notification = Notification.objects.create(
        recipient=author, kind=Kind.NEW_STORY_BY_AUTHOR, story=elsewhere, text="New work", url="/"
    )
    invitation = invite_cocreator(story=story, inviter=author, username="other")
    Reading.objects.create(user=author, story=elsewhere, chapter_number=1, last_read_at=story.updated_at)
    world = World(
        author=author,
        coauthor=coauthor,
        other=other,
        staff=staff,
        story=story,
        chapter=chapter,
        second=second,
        draft=draft,
        revision_id=chapter.revisions.get().pk,
        comment_id=comment.pk,
        held_id=held.pk,
        bookmark_id=bookmark.pk,
        elsewhere=elsewhere,
        list_id=reading_list.pk,
        notification_id=notification.pk,
        invitation_id=invitation.pk,
        tag=Tag.objects.get(name="Persephone"),
        series_id=make_series(creator=author, works=[story]).pk,
        saved_search_id=save_search(user=author, name="Persephone", query="q=persephone").pk,
    )
    world.users = {"other": other, "author": author, "coauthor": coauthor, "staff": staff}
    return world


def client_for(world: World, role: str, *, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    if role != "anon":
        client.force_login(world.users[role])
    return client


# What the database holds that a refused request must not touch.
WATCHED = [
    "stories.Story",
    "stories.StoryTag",
    "chapters.Chapter",
    "chapters.ChapterRevision",
    "comments.Comment",
    "comments.CommentBlock",
    "kudos.Kudos",
    "bookmarks.Bookmark",
    "bookmarks.ReadingList",
    "bookmarks.ReadingListItem",
    "notifications.Subscription",
    "notifications.Notification",
    "notifications.Preferences",
    "series.Series",
    "series.SeriesWork",
    "cocreators.Invitation",
    "history.Reading",
    "search.SavedSearch",
    "profiles.Profile",
    "tags.Tag",
    "accounts.User",
]
IGNORED_COLUMNS = {"last_login", "hit_count"}


def snapshot() -> dict:
    state = {}
    for label in WATCHED:
        model = apps.get_model(label)
        rows = model._base_manager.order_by("pk").values()
        state[label] = [{k: v for k, v in row.items() if k not in IGNORED_COLUMNS} for row in rows]
    return state


# The matrix. Statuses: 200 shown, 302 done (or sent to log in, for the logged out), 403 refused
# (an author's text given back, or not staff), 404 not yours (so not even its existence shows),
# 405 wrong method.

Url = Callable[[World], str]


@dataclass
class Case:
    route: str
    method: str
    url: Url
    expect: dict[str, int]
    data: Callable[[World], dict] = lambda world: {}

    @property
    def id(self) -> str:
        return f"{self.route}-{self.method}"


def statuses(anon: int, other: int, author: int, coauthor: int, staff: int) -> dict[str, int]:
    return dict(zip(ROLES, (anon, other, author, coauthor, staff), strict=True))


def owners(shown: int, *, anon: int = 302) -> dict[str, int]:
    """Only the work's authors: others get a 404."""
    return statuses(anon, 404, shown, shown, 404)


def own(shown: int, *, anon: int = 302) -> dict[str, int]:
    """Every logged-in user, on their own things."""
    return statuses(anon, shown, shown, shown, shown)


def only_author(shown: int, *, anon: int = 302) -> dict[str, int]:
    """Only the author as a person (their bookmark, list or notification), not a co-author."""
    return statuses(anon, 404, shown, 404, 404)


def staff_only(shown: int) -> dict[str, int]:
    return statuses(302, 403, 403, 403, shown)


def story_url(name: str) -> Url:
    return lambda world: reverse(name, args=[world.story.pk])


def chapter_url(name: str, which: str = "chapter") -> Url:
    return lambda world: reverse(name, args=[world.story.pk, getattr(world, which).pk])


def comment_url(name: str, attr: str = "comment_id") -> Url:
    return lambda world: reverse(name, args=[getattr(world, attr)])


def list_url(name: str) -> Url:
    return lambda world: reverse(name, args=["author", world.list_id])


def saved_search_url(name: str) -> Url:
    return lambda world: reverse(name, args=[world.saved_search_id])


def edit_work_data(world: World) -> dict:
    return work_form_data(title="Changed Title", characters="Persephone")


def series_url(name: str) -> Url:
    return lambda world: reverse(name, args=[world.series_id])


def series_data(world: World) -> dict:
    return {"title": "Changed Series", "summary": "", "notes": "", f"order-part_{world.story.pk}": "1"}


def chapter_data(world: World) -> dict:
    return {"title": "Changed", "notes": "", "end_notes": "", "body": "Changed text.", "action": "post"}


def reorder_data(world: World) -> dict:
    """The manage-chapters form, swapping the work's two chapters."""
    first, second = world.story.chapters.order_by("position")
    return {"seen": f"{first.pk},{second.pk}", f"position-{first.pk}": "2", f"position-{second.pk}": "1"}


CASES = [
    # Works and chapters.
    Case("stories:edit", "GET", story_url("stories:edit"), owners(200)),
    Case("stories:edit", "POST", story_url("stories:edit"), owners(302, anon=403), edit_work_data),
    Case("stories:delete", "GET", story_url("stories:delete"), owners(200)),
    Case("stories:delete", "POST", story_url("stories:delete"), owners(302)),
    Case("stories:dashboard", "GET", lambda w: reverse("stories:dashboard"), own(200)),
    Case("stories:dashboard", "POST", lambda w: reverse("stories:dashboard"), own(405)),
    Case("chapters:story_create", "GET", lambda w: reverse("chapters:story_create"), own(200)),
    Case(
        "chapters:story_create",
        "POST",
        lambda w: reverse("chapters:story_create"),
        own(302, anon=403),
        lambda w: work_form_data(title="Brand New"),
    ),
    Case("chapters:story_post", "GET", lambda w: reverse("chapters:story_post", args=[w.draft.pk]), own(405)),
    Case("chapters:story_post", "POST", lambda w: reverse("chapters:story_post", args=[w.draft.pk]), owners(302)),
    Case("chapters:work", "GET", lambda w: reverse("chapters:work", args=[w.draft.pk]), owners(200, anon=404)),
    Case("chapters:navigate", "GET", lambda w: reverse("chapters:navigate", args=[w.draft.pk]), owners(200, anon=404)),
    Case(
        "chapters:detail",
        "GET",
        lambda w: reverse("chapters:detail", args=[w.draft.pk, w.draft.chapters.get().pk]),
        owners(200, anon=404),
    ),
    Case("chapters:create", "GET", story_url("chapters:create"), owners(200)),
    Case("chapters:create", "POST", story_url("chapters:create"), owners(302, anon=403), chapter_data),
    Case("chapters:edit", "GET", chapter_url("chapters:edit"), owners(200)),
    Case("chapters:edit", "POST", chapter_url("chapters:edit"), owners(302, anon=403), chapter_data),
    Case("chapters:manage", "GET", story_url("chapters:manage"), owners(200)),
    Case("chapters:manage", "POST", story_url("chapters:manage"), owners(302), lambda w: reorder_data(w)),
    Case("chapters:delete", "GET", chapter_url("chapters:delete", "second"), owners(200)),
    Case("chapters:delete", "POST", chapter_url("chapters:delete", "second"), owners(302)),
    Case("chapters:revisions", "GET", chapter_url("chapters:revisions"), owners(200)),
    Case("chapters:revisions", "POST", chapter_url("chapters:revisions"), own(405)),
    Case(
        "chapters:revision",
        "GET",
        lambda w: reverse("chapters:revision", args=[w.story.pk, w.chapter.pk, w.revision_id]),
        owners(200),
    ),
    Case(
        "chapters:revision_restore",
        "POST",
        lambda w: reverse("chapters:revision_restore", args=[w.story.pk, w.chapter.pk, w.revision_id]),
        owners(302),
    ),
    Case(
        "chapters:revision_restore",
        "GET",
        lambda w: reverse("chapters:revision_restore", args=[w.story.pk, w.chapter.pk, w.revision_id]),
        own(405),
    ),
    # Series.
    Case("series:edit", "GET", series_url("series:edit"), owners(200)),
    Case("series:edit", "POST", series_url("series:edit"), owners(302, anon=403), series_data),
    Case("series:delete", "GET", series_url("series:delete"), owners(200)),
    Case("series:delete", "POST", series_url("series:delete"), owners(302)),
    Case("bookmarks:save_series", "GET", series_url("bookmarks:save_series"), own(200)),
    Case(
        "bookmarks:save_series",
        "POST",
        series_url("bookmarks:save_series"),
        own(302),
        lambda w: {"note": "Mine.", "tags": ""},
    ),
    Case("notifications:subscribe_series", "POST", series_url("notifications:subscribe_series"), own(302)),
    Case("notifications:unsubscribe_series", "POST", series_url("notifications:unsubscribe_series"), own(302)),
    Case("downloads:epub", "GET", lambda w: reverse("downloads:epub", args=[w.draft.pk, "x"]), statuses(*[404] * 5)),
    # Comments.
    Case("comments:unreviewed", "GET", story_url("comments:unreviewed"), owners(200)),
    Case("comments:edit", "GET", comment_url("comments:edit"), statuses(302, 200, 404, 404, 404)),
    Case(
        "comments:edit",
        "POST",
        comment_url("comments:edit"),
        statuses(403, 302, 404, 404, 404),  # logged out: the rewritten comment is given back
        lambda w: {"body": "Rewritten."},
    ),
    Case("comments:delete", "GET", comment_url("comments:delete"), statuses(302, 200, 200, 200, 404)),
    Case("comments:delete", "POST", comment_url("comments:delete"), statuses(302, 302, 302, 302, 404)),
    Case("comments:approve", "POST", comment_url("comments:approve", "held_id"), owners(302)),
    Case("comments:approve", "GET", comment_url("comments:approve", "held_id"), own(405)),
    Case("comments:freeze", "POST", comment_url("comments:freeze"), owners(302), lambda w: {"frozen": "1"}),
    Case("comments:block", "POST", comment_url("comments:block"), owners(302)),
    Case("comments:block", "GET", comment_url("comments:block"), own(405)),
    Case("comments:blocked", "GET", lambda w: reverse("comments:blocked"), own(200)),
    Case(
        "comments:blocked",
        "POST",
        lambda w: reverse("comments:blocked"),
        own(302),
        lambda w: {"username": "nobody-such"},
    ),
    # Co-creators: the work's authors invite, withdraw and leave; only the invitee answers.
    Case("cocreators:manage", "GET", story_url("cocreators:manage"), owners(200)),
    Case("cocreators:manage", "POST", story_url("cocreators:manage"), owners(302), lambda w: {"username": "staff"}),
    Case("cocreators:leave", "GET", story_url("cocreators:leave"), owners(200)),
    Case("cocreators:leave", "POST", story_url("cocreators:leave"), owners(302), lambda w: {"action": "leave"}),
    Case(
        "cocreators:withdraw",
        "POST",
        lambda w: reverse("cocreators:withdraw", args=[w.story.pk, w.invitation_id]),
        owners(302),
    ),
    Case(
        "cocreators:withdraw",
        "GET",
        lambda w: reverse("cocreators:withdraw", args=[w.story.pk, w.invitation_id]),
        statuses(302, 405, 405, 405, 405),
    ),
    # Anyone else is sent to their inbox, told the invitation is no longer open (as its invitee is
    # once it is answered): archive/cocreators/tests/test_views.py checks that changes nothing.
    Case("cocreators:invitation", "GET", story_url("cocreators:invitation"), statuses(302, 200, 302, 302, 302)),
    Case(
        "cocreators:invitation",
        "POST",
        story_url("cocreators:invitation"),
        statuses(302, 302, 302, 302, 302),
        lambda w: {"answer": "accept"},
    ),
    Case("cocreators:usernames", "GET", lambda w: reverse("cocreators:usernames") + "?q=ot", own(200)),
    Case("cocreators:usernames", "POST", lambda w: reverse("cocreators:usernames"), own(405)),
    # Bookmarks and reading lists.
    Case("bookmarks:detail", "GET", comment_url("bookmarks:detail", "bookmark_id"), only_author(200, anon=404)),
    Case("bookmarks:edit", "GET", comment_url("bookmarks:edit", "bookmark_id"), only_author(200)),
    Case(
        "bookmarks:edit",
        "POST",
        comment_url("bookmarks:edit", "bookmark_id"),
        only_author(302),
        lambda w: {"note": "Changed.", "tags": "", "private": "on"},
    ),
    Case("bookmarks:delete", "GET", comment_url("bookmarks:delete", "bookmark_id"), only_author(200)),
    Case("bookmarks:delete", "POST", comment_url("bookmarks:delete", "bookmark_id"), only_author(302)),
    Case(
        "bookmarks:save",
        "POST",
        lambda w: reverse("bookmarks:save", args=[w.elsewhere.pk]),
        own(302),
        lambda w: {"note": "Mine.", "tags": ""},
    ),
    Case("bookmarks:lists", "GET", lambda w: reverse("bookmarks:lists", args=["author"]), only_author(200)),
    Case("bookmarks:list_detail", "GET", list_url("bookmarks:list_detail"), only_author(200)),
    Case("bookmarks:list_edit", "GET", list_url("bookmarks:list_edit"), only_author(200)),
    Case(
        "bookmarks:list_edit", "POST", list_url("bookmarks:list_edit"), only_author(302), lambda w: {"name": "Autumn"}
    ),
    Case("bookmarks:list_delete", "POST", list_url("bookmarks:list_delete"), only_author(302)),
    Case(
        "bookmarks:list_add",
        "POST",
        lambda w: reverse("bookmarks:list_add", args=[w.elsewhere.pk]),
        own(302),
        lambda w: {"list": "later"},
    ),
    Case(
        "bookmarks:list_remove",
        "POST",
        lambda w: reverse("bookmarks:list_remove", args=[w.elsewhere.pk, w.list_id]),
        only_author(302),
    ),
    # Notifications, subscriptions, preferences, history, profile.
    Case("notifications:inbox", "GET", lambda w: reverse("notifications:inbox"), own(200)),
    Case("notifications:inbox", "POST", lambda w: reverse("notifications:inbox"), own(405)),
    Case(
        "notifications:read",
        "POST",
        lambda w: reverse("notifications:read", args=[w.notification_id]),
        only_author(302),
    ),
    Case("notifications:read_all", "POST", lambda w: reverse("notifications:read_all"), own(302)),
    Case("notifications:subscriptions", "GET", lambda w: reverse("notifications:subscriptions"), own(200)),
    Case("notifications:preferences", "GET", lambda w: reverse("notifications:preferences"), own(200)),
    Case("notifications:preferences", "POST", lambda w: reverse("notifications:preferences"), own(302)),
    Case("notifications:subscribe_story", "POST", story_url("notifications:subscribe_story"), own(302)),
    Case("notifications:unsubscribe_story", "POST", story_url("notifications:unsubscribe_story"), own(302)),
    Case(
        "notifications:subscribe_author",
        "POST",
        lambda w: reverse("notifications:subscribe_author", args=["author"]),
        own(302),
    ),
    Case(
        "notifications:unsubscribe_author",
        "POST",
        lambda w: reverse("notifications:unsubscribe_author", args=["author"]),
        own(302),
    ),
    Case(
        "notifications:subscribe_tag",
        "POST",
        lambda w: reverse("notifications:subscribe_tag", args=["Persephone"]),
        own(302),
    ),
    Case(
        "notifications:unsubscribe_tag",
        "POST",
        lambda w: reverse("notifications:unsubscribe_tag", args=["Persephone"]),
        own(302),
    ),
    Case("history:list", "GET", lambda w: reverse("history:list"), own(200)),
    Case("history:list", "POST", lambda w: reverse("history:list"), own(405)),
    Case("history:clear", "POST", lambda w: reverse("history:clear"), own(302)),
    Case("history:remove", "POST", lambda w: reverse("history:remove", args=[w.elsewhere.pk]), own(302)),
    Case("history:switch", "POST", lambda w: reverse("history:switch"), own(302), lambda w: {"keep": "off"}),
    Case("history:mark_read", "POST", lambda w: reverse("history:mark_read", args=[w.elsewhere.pk]), own(302)),
    # (Posting it is tested in archive/discovery/tests/test_exclusions.py: a logged-out visitor's
    # answer is a redirect back to it with the cookie, not to the log-in page.)
    Case("discovery:exclusions", "GET", lambda w: reverse("discovery:exclusions"), statuses(200, 200, 200, 200, 200)),
    Case("discovery:muted", "GET", lambda w: reverse("discovery:muted", args=["author"]), only_author(200)),
    Case("discovery:mute", "POST", lambda w: reverse("discovery:mute", args=["author"]), own(302)),
    Case("discovery:mute", "GET", lambda w: reverse("discovery:mute", args=["author"]), own(405)),
    Case("discovery:unmute", "POST", lambda w: reverse("discovery:unmute", args=["author"]), own(302)),
    Case("search:saved", "GET", lambda w: reverse("search:saved"), own(200)),
    Case("search:saved", "POST", lambda w: reverse("search:saved"), own(405)),
    Case(
        "search:saved_create",
        "POST",
        lambda w: reverse("search:saved_create"),
        own(302),
        lambda w: {"name": "Hades", "query": "q=hades", "alerts": "on"},
    ),
    Case("search:saved_edit", "GET", saved_search_url("search:saved_edit"), only_author(200)),
    Case("search:saved_edit", "POST", saved_search_url("search:saved_edit"), only_author(302), lambda w: {"name": "X"}),
    Case("search:saved_delete", "GET", saved_search_url("search:saved_delete"), only_author(200)),
    Case("search:saved_delete", "POST", saved_search_url("search:saved_delete"), only_author(302)),
    Case("profiles:edit", "GET", lambda w: reverse("profiles:edit"), own(200)),
    Case("profiles:edit", "POST", lambda w: reverse("profiles:edit"), own(302), lambda w: {"display_name": "New"}),
    # The account itself.
    Case(
        "accounts:change_password",
        "GET",
        lambda w: reverse("accounts:change_password", args=["author"]),
        only_author(200),
    ),
    Case(
        "accounts:change_password",
        "POST",
        lambda w: reverse("accounts:change_password", args=["author"]),
        only_author(302),
        lambda w: {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    ),
    Case("accounts:change_email", "GET", lambda w: reverse("accounts:change_email", args=["author"]), only_author(200)),
    Case(
        "accounts:change_email",
        "POST",
        lambda w: reverse("accounts:change_email", args=["author"]),
        only_author(302),
        lambda w: {"email": "someone@new.example", "password": PASSWORD},
    ),
    Case("accounts:delete", "GET", lambda w: reverse("accounts:delete", args=["author"]), only_author(200)),
    Case(
        "accounts:delete",
        "POST",
        lambda w: reverse("accounts:delete", args=["author"]),
        only_author(302),
        lambda w: {"works": "orphan", "password": PASSWORD},
    ),
    Case(
        "accounts:resend_confirmation",
        "POST",
        lambda w: reverse("accounts:resend_confirmation", args=["author"]),
        only_author(302),
    ),
    Case(
        "accounts:resend_confirmation",
        "GET",
        lambda w: reverse("accounts:resend_confirmation", args=["author"]),
        own(405),
    ),
    # Staff.
    Case("wrangling:unwrangled", "GET", lambda w: reverse("wrangling:unwrangled"), staff_only(200)),
    Case("wrangling:log", "GET", lambda w: reverse("wrangling:log"), staff_only(200)),
    Case("wrangling:tag", "GET", lambda w: reverse("wrangling:tag", args=["Persephone"]), staff_only(200)),
    Case(
        "wrangling:act",
        "POST",
        lambda w: reverse("wrangling:act", args=["Persephone", "canonical"]),
        staff_only(302),
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_the_matrix(world, case: Case, role: str):
    client = client_for(world, role)
    url = case.url(world)
    before = snapshot()

    response = (
        client.generic(
            case.method, url, data=_encoded(case.data(world)), content_type="application/x-www-form-urlencoded"
        )
        if case.method == "POST"
        else client.get(url)
    )

    expected = case.expect[role]
    assert response.status_code == expected, f"{case.method} {url} as {role}"
    if role == "anon" and expected == 302:
        assert response["Location"].startswith(reverse("accounts:login")), "logged out: sent to log in"
    if expected not in (200, 302) or role == "anon":
        assert snapshot() == before, f"{case.method} {url} as {role} was refused but changed something"


def _encoded(data: dict) -> str:
    from urllib.parse import urlencode

    return urlencode(data, doseq=True)


def test_every_post_without_a_csrf_token_is_refused_and_changes_nothing(world):
    client = client_for(world, "author", csrf=True)
    for case in CASES:
        if case.method != "POST":
            continue
        before = snapshot()
        response = client.post(case.url(world), case.data(world))
        assert response.status_code == 403, case.id
        assert snapshot() == before, case.id
