from dataclasses import dataclass, field

from archive.comments.models import Comment


@dataclass
class Thread:
    comment: Comment
    replies: list["Thread"] = field(default_factory=list)


def build_threads(comments: list[Comment]) -> list[Thread]:
    """Arrange one chapter's comments, fetched in a single query, into reply trees."""
    nodes = {comment.pk: Thread(comment) for comment in comments}
    roots: list[Thread] = []
    for comment in comments:
        parent = nodes.get(comment.parent_id)
        (parent.replies if parent else roots).append(nodes[comment.pk])
    return roots
