"""Posting, editing, moderating and deleting comments.

A story's `comment_count` counts the comments every reader can see (`Comment.objects.counted()`);
each function that changes one recounts it (`refresh_story_counts`) in the same transaction, and
notifications go out after the commit, once a comment is visible (archive/notifications).
"""

from django.db import transaction
from django.utils import timezone

from archive.caching import versions
from archive.chapters.models import Chapter
from archive.comments.models import Comment, CommentBlock
from archive.notifications.services import notify_comment_posted
from archive.stories.choices import CommentPermission
from archive.stories.counts import refresh_story_counts
from archive.stories.models import Story
from archive.stories.querysets import reading_authors


class CommentRefused(Exception):
    """Why this comment can't be posted, in words for the reader."""


def closed_reason(*, story: Story, user) -> str | None:
    """Why this work takes no comments from this reader, from the work alone (no queries)."""
    if story.is_draft:
        return "Drafts can't be commented on."
    if story.comment_permission == CommentPermission.OFF:
        return "Comments are turned off on this work."
    if not user.is_authenticated and story.comment_permission != CommentPermission.EVERYONE:
        return "Only registered users can comment on this work. Log in to leave a comment."
    return None


def refusal(*, story: Story, user, parent: Comment | None = None) -> str | None:
    """Why this reader may not post this comment here, or None if they may."""
    if reason := closed_reason(story=story, user=user):
        return reason
    if parent is not None:
        if parent.frozen:
            return "This thread is frozen: it takes no new replies."
        if parent.is_deleted or not parent.approved:
            return "You can't reply to that comment."
    if user.is_authenticated and is_blocked(story=story, user=user):
        return "The creator of this work has blocked you from commenting on their works."
    return None


def is_blocked(*, story: Story, user) -> bool:
    author_ids = [author.pk for author in story.authors.all()]
    return CommentBlock.objects.filter(blocker_id__in=author_ids, blocked=user).exists()


def _recount(story_id: int) -> None:
    refresh_story_counts([story_id], ["comment_count"])


def _notify(comment: Comment) -> None:
    notify_comment_posted(comment=comment)


@transaction.atomic
def post_comment(
    *,
    chapter: Chapter,
    user,
    body: str,
    parent: Comment | None = None,
    guest_name: str = "",
    guest_email: str = "",
) -> Comment:
    """Post a comment or a reply; on a moderated work (unless by one of its authors) it waits for
    approval. Raises CommentRefused when the reader may not comment here."""
    # Its authors once, for both the author's and the block's checks; not its search columns.
    story = (
        Story.objects.select_for_update()
        .defer("search_vector", "filter_ids", "role_ids", "main_ids")
        .prefetch_related(reading_authors())
        .get(pk=chapter.story_id)
    )
    if reason := refusal(story=story, user=user, parent=parent):
        raise CommentRefused(reason)
    by_author = story.is_written_by(user)
    comment = Comment.objects.create(
        chapter=chapter,
        story=story,
        user=user if user.is_authenticated else None,
        guest_name="" if user.is_authenticated else guest_name,
        guest_email="" if user.is_authenticated else guest_email,
        parent=parent,
        thread_id=(parent.thread_id or parent.pk) if parent else None,
        depth=parent.depth + 1 if parent else 0,
        body=body,
        approved=by_author or not story.moderate_comments,
    )
    if comment.approved:
        _recount(story.pk)
        _notify(comment)
    else:
        # Its writer sees it: the copies of the work's pages kept for readers were kept for them
        # too, and are rebuilt without them (archive/comments/section.py).
        versions.changed(story_ids=[story.pk])
    return comment


@transaction.atomic
def edit_comment(*, comment: Comment, body: str) -> Comment:
    comment.body = body
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "edited_at"])
    versions.changed(story_ids=[comment.story_id])
    return comment


@transaction.atomic
def approve_comment(*, comment: Comment) -> Comment:
    updated = Comment.objects.filter(pk=comment.pk, approved=False, deleted_at__isnull=True).update(approved=True)
    if updated:
        comment.approved = True
        _recount(comment.story_id)
        _notify(comment)
    return comment


@transaction.atomic
def delete_comment(*, comment: Comment) -> None:
    """Delete a comment. One with replies stays as "(Previous comment deleted.)" so its thread
    keeps its shape; a deleted comment left with no replies goes for good."""
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if comment.is_deleted:
        return
    if comment.replies.exists():
        comment.deleted_at = timezone.now()
        comment.body = ""
        comment.save(update_fields=["deleted_at", "body"])
    else:
        parent = comment.parent
        comment.delete()
        # Its placeholder parent (and theirs) may now hold nothing a reader can see.
        while parent is not None and parent.is_deleted and not parent.replies.exists():
            grandparent = parent.parent
            parent.delete()
            parent = grandparent
    _recount(comment.story_id)


@transaction.atomic
def set_frozen(*, comment: Comment, frozen: bool) -> int:
    """Freeze (or thaw) a comment and every reply under it; returns how many changed."""
    root = comment.thread_id or comment.pk
    in_thread = list(Comment.objects.filter(pk=root) | Comment.objects.filter(thread_id=root))
    children: dict[int | None, list[Comment]] = {}
    for each in in_thread:
        children.setdefault(each.parent_id, []).append(each)
    subtree, stack = [], [comment.pk]
    while stack:
        pk = stack.pop()
        subtree.append(pk)
        stack.extend(child.pk for child in children.get(pk, []))
    versions.changed(story_ids=[comment.story_id])
    return Comment.objects.filter(pk__in=subtree).update(frozen=frozen)


def block_commenter(*, blocker, blocked) -> bool:
    """Refuse `blocked`'s comments on `blocker`'s works; False if already blocked or oneself."""
    if blocker.pk == blocked.pk:
        return False
    _, created = CommentBlock.objects.get_or_create(blocker=blocker, blocked=blocked)
    return created


def unblock_commenter(*, blocker, blocked_id: int) -> None:
    CommentBlock.objects.filter(blocker=blocker, blocked_id=blocked_id).delete()
