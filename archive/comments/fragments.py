"""Each comment's byline and text, rendered once and kept: the costliest part of a chapter page
for a logged-in reader (about 1 ms a comment, mostly `urlize`), and the same for every reader.

A fragment's key names everything its HTML is built from (the comment's state and writer, the
chapter and reply it is shown against, whether its writer is an author of the work), so a
comment that changes gets a new key and the old fragment is never shown: no version to bump (only
the `everything` one, which a deploy's `migrate` bumps, and a digest of the template).
One `get_many` fetches a page's fragments; those missing are rendered and kept with one `set_many`.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.template.loader import get_template
from django.utils.safestring import mark_safe

from archive.caching import versions
from archive.comments.threads import Thread

TEMPLATE = "comments/includes/comment_head.html"
TIMEOUT = 24 * 3600


def _walk(threads: list[Thread]):
    for thread in threads:
        yield thread
        yield from _walk(thread.replies)


def _key(thread: Thread, author_ids: set[int], tokens: tuple) -> str:
    comment, chapter, parent = thread.comment, thread.chapter, thread.in_reply_to
    parts = [
        comment.pk,
        comment.user.username if comment.user_id else comment.guest_name,
        comment.user_id in author_ids,
        comment.edited_at,
        comment.deleted_at,
        comment.approved,
        comment.frozen,
        chapter and (chapter.pk, chapter.heading),
        parent and (parent.pk, parent.is_deleted, parent.author_name),
        tokens,
    ]
    return "comment-head:" + hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def attach_heads(threads: list[Thread], *, author_ids: set[int]) -> None:
    """Give each thread on the page its comment's byline and text as `thread.head`."""
    every = list(_walk(threads))
    tokens = (*versions.current([versions.EVERYTHING]), versions.template_version(TEMPLATE))
    keys = [_key(thread, author_ids, tokens) for thread in every]
    kept = cache.get_many(keys) if settings.FRAGMENT_CACHE else {}
    template, made = get_template(TEMPLATE), {}
    for thread, key in zip(every, keys, strict=True):
        html = kept.get(key)
        if html is None:
            html = made[key] = template.render({"thread": thread, "author_ids": author_ids})
        thread.head = mark_safe(html)  # noqa: S308 - our template's output, autoescaped
    if made and settings.FRAGMENT_CACHE:
        cache.set_many(made, TIMEOUT)
