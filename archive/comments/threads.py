"""A page of a chapter's comment threads (or, on the entire-work page, every chapter's), in a fixed
number of queries however long they are.

Fifty top-level comments make a page. One aggregate counts the chapter's comments and threads,
and one query fetches the page's top-level comments with everything under them (each reply
carries its thread's root), each with its writer. Replies nest on the page to depth
MAX_INDENT; deeper ones line up at that depth, each saying whom it answers.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q
from django.http import HttpRequest

from archive.chapters.models import Chapter
from archive.comments.models import MAX_INDENT, Comment
from archive.core.prepared import prepared_rows
from archive.core.raw_rows import from_row
from archive.discovery.exclusions import saved_exclusions, without_muted
from archive.stories.models import Story

PER_PAGE = 50
SESSION_KEY = "own_comments"  # a guest's held comments, which only they (and the authors) see


@dataclass
class Thread:
    comment: Comment
    replies: list["Thread"] = field(default_factory=list)
    in_reply_to: Comment | None = None  # set where a reply no longer nests under its parent
    chapter: Chapter | None = None  # set on the entire-work page, where threads of every chapter meet
    head: str = ""  # the byline and text, the same for every reader (comments/fragments.py)


@dataclass
class CommentPage:
    threads: list[Thread]
    page: Page
    total: int  # comments on these chapters a reader can see (not deleted, not held)


def own_comment_ids(request: HttpRequest) -> list[int]:
    return request.session.get(SESSION_KEY, []) if hasattr(request, "session") else []


def remember_own_comment(request: HttpRequest, comment: Comment) -> None:
    if not request.user.is_authenticated:
        request.session[SESSION_KEY] = [*own_comment_ids(request), comment.pk][-50:]


def visible_comments(request: HttpRequest, *, story: Story, chapters: Sequence[Chapter]):
    """The comments on these chapters (one, or all the entire-work page shows) this reader sees:
    not those of users they muted (nor, so, the replies under those)."""
    comments = Comment.objects.filter(chapter__in=[chapter.pk for chapter in chapters]).visible_to(
        request.user, story=story, own_ids=own_comment_ids(request)
    )
    return without_muted(request, comments)


def page_of(request: HttpRequest, comment: Comment, *, chapters: Sequence[Chapter] = ()) -> int:
    """The page of the chapter's threads (or of these chapters' threads) that shows this comment."""
    root = comment.thread if comment.thread_id else comment
    earlier = (
        visible_comments(request, story=comment.story, chapters=chapters or [comment.chapter])
        .filter(parent__isnull=True)
        .filter(Q(created_at__lt=root.created_at) | Q(created_at=root.created_at, id__lt=root.pk))
        .count()
    )
    return earlier // PER_PAGE + 1


def load_page(request: HttpRequest, *, story: Story, chapters: Sequence[Chapter], number: int) -> CommentPage:
    """A page of these chapters' threads; with more than one chapter, each thread knows its own."""
    if len(chapters) == 1 and number == 1 and _sees_approved_alone(request, story):
        return _first_page_of_approved(chapters[0])
    visible = visible_comments(request, story=story, chapters=chapters)
    counts = visible.aggregate(
        total=Count("pk", filter=Q(deleted_at__isnull=True, approved=True)),
        threads=Count("pk", filter=Q(parent__isnull=True)),
    )
    threads = visible.filter(parent__isnull=True).order_by("created_at", "id")
    paginator = Paginator(threads, PER_PAGE)
    paginator.count = counts["threads"]  # already counted above
    page = paginator.get_page(number)
    # The page's top-level comments and every reply under them, in one query (none for a chapter
    # without comments, as most are).
    start = (page.number - 1) * PER_PAGE
    root_ids = threads.values("pk")[start : start + PER_PAGE]
    rows = (
        list(
            visible.filter(Q(pk__in=root_ids) | Q(thread__in=root_ids))
            .select_related("user")
            .order_by("created_at", "id")
        )
        if counts["threads"] > start
        else []
    )
    roots = page.object_list = [comment for comment in rows if comment.parent_id is None]
    replies = [comment for comment in rows if comment.parent_id is not None]
    trees = build_threads(roots, replies)
    if len(chapters) > 1:
        by_id = {chapter.pk: chapter for chapter in chapters}
        for tree in trees:
            tree.chapter = by_id[tree.comment.chapter_id]
    return CommentPage(threads=trees, page=page, total=counts["total"])


def _sees_approved_alone(request: HttpRequest, story: Story) -> bool:
    """Whether the comments this reader sees (`visible_comments`) are the approved ones alone: they
    are not an author of the work, have no comment awaiting approval on it and mute no one. So
    it is for every guest and reader of a page kept for others (archive/comments/section.py)."""
    user = request.user
    if own_comment_ids(request) or saved_exclusions(request).muted_ids or story.is_written_by(user):
        return False
    writers = getattr(story, "held_comment_writers", None)  # the kept work's (archive/chapters/reading.py)
    return not user.is_authenticated or (writers is not None and user.pk not in writers)


def _first_page_of_approved(chapter: Chapter) -> CommentPage:
    """`load_page`'s first page for a reader who sees approved comments alone, from queries made
    once (archive/core/prepared.py): the same two, most chapters' first page being all they have."""
    _, counted = prepared_rows(Comment, _approved_counts, chapter.pk)
    total, threads = counted[0] if counted else (0, 0)
    rows = []
    if threads:
        _, found = prepared_rows(Comment, _approved_first_page, chapter.pk)
        user_model, user_fields = get_user_model(), _user_fields()
        for row in found:
            comment = from_row(Comment, COMMENT_FIELDS, row[: len(COMMENT_FIELDS)])
            writer = from_row(user_model, user_fields, row[len(COMMENT_FIELDS) :]) if comment.user_id else None
            Comment.user.field.set_cached_value(comment, writer)  # as select_related("user") leaves it
            rows.append(comment)
    paginator = Paginator([], PER_PAGE)
    paginator.count = threads
    page = paginator.get_page(1)
    roots = page.object_list = [comment for comment in rows if comment.parent_id is None]
    trees = build_threads(roots, [comment for comment in rows if comment.parent_id is not None])
    return CommentPage(threads=trees, page=page, total=total)


COMMENT_FIELDS = [field.attname for field in Comment._meta.concrete_fields]


def _user_fields() -> list[str]:
    return [field.attname for field in get_user_model()._meta.concrete_fields]


def _approved_counts(chapter_id: int):
    counted = Comment.objects.approved().filter(chapter=chapter_id).order_by().values("chapter")
    return counted.annotate(
        total=Count("pk", filter=Q(deleted_at__isnull=True)), threads=Count("pk", filter=Q(parent__isnull=True))
    ).values_list("total", "threads")


def _approved_first_page(chapter_id: int):
    approved = Comment.objects.approved().filter(chapter=chapter_id)
    roots = approved.filter(parent__isnull=True).order_by("created_at", "id").values("pk")[:PER_PAGE]
    return (
        approved.filter(Q(pk__in=roots) | Q(thread__in=roots))
        .order_by("created_at", "id")
        .values_list(*COMMENT_FIELDS, *(f"user__{name}" for name in _user_fields()))
    )


def build_threads(roots: list[Comment], replies: list[Comment]) -> list[Thread]:
    """Arrange top-level comments and the replies under them into the trees a page shows."""
    children: dict[int, list[Comment]] = defaultdict(list)
    by_id = {comment.pk: comment for comment in [*roots, *replies]}
    for reply in replies:
        children[reply.parent_id].append(reply)

    def flattened(comment: Comment) -> list[Thread]:
        """Everything under `comment`, in reading order, on one level."""
        lined_up, stack = [], list(reversed(children[comment.pk]))
        while stack:
            reply = stack.pop()
            lined_up.append(Thread(reply, in_reply_to=by_id[reply.parent_id]))
            stack.extend(reversed(children[reply.pk]))
        return lined_up

    def build(comment: Comment, level: int) -> Thread:
        thread = Thread(comment)
        for child in children[comment.pk]:
            if level + 1 < MAX_INDENT:
                thread.replies.append(build(child, level + 1))
            else:
                thread.replies.append(Thread(child))
                thread.replies.extend(flattened(child))
        return thread

    return [build(root, 0) for root in roots]
