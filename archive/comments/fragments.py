"""Each comment's byline and text, rendered once and kept (archive/caching/fragments.py): the
costliest part of a chapter page for a logged-in reader (about 1 ms a comment, mostly `urlize`),
and the same for every reader.

A fragment's key names everything its HTML is built from (the comment's state and writer, the
chapter and reply it is shown against, whether its writer is an author of the work), so a comment
that changes gets a new key and the old fragment is never shown.
"""

from django.template.loader import get_template

from archive.caching.fragments import fragment_key, fragment_tokens, kept_fragments
from archive.comments.threads import Thread

TEMPLATE = "comments/includes/comment_head.html"


def _walk(threads: list[Thread]):
    for thread in threads:
        yield thread
        yield from _walk(thread.replies)


def _shown(thread: Thread, author_ids: set[int]) -> list:
    comment, chapter, parent = thread.comment, thread.chapter, thread.in_reply_to
    return [
        comment.pk,
        comment.user.username if comment.user_id else comment.guest_name,
        comment.user_id in author_ids,
        comment.edited_at,
        comment.deleted_at,
        comment.approved,
        comment.frozen,
        chapter and (chapter.pk, chapter.heading),
        parent and (parent.pk, parent.is_deleted, parent.author_name),
    ]


def attach_heads(threads: list[Thread], *, author_ids: set[int]) -> None:
    """Give each thread on the page its comment's byline and text as `thread.head`."""
    every = list(_walk(threads))
    if not every:
        return
    tokens = fragment_tokens(TEMPLATE)
    keys = [fragment_key("comment-head", _shown(thread, author_ids), tokens) for thread in every]
    template = get_template(TEMPLATE)
    heads = kept_fragments(every, keys, lambda thread: template.render({"thread": thread, "author_ids": author_ids}))
    for thread, head in zip(every, heads, strict=True):
        thread.head = head
