"""Edit and Delete on a reader's own comments, the reader's own part of a comment thread
(archive/caching/reader_parts.py): no query, the comment's writer comes with it."""

from django.http import HttpRequest
from django.urls import reverse


def own_comment_actions(request: HttpRequest, items: list[tuple]) -> list[str]:
    """Each item (from comments/includes/comment.html): the comment's id, its writer's id (empty
    for a guest's) and whether the reader is an author of the work (who may delete any comment)."""
    reader = str(request.user.pk) if request.user.is_authenticated else None
    html = []
    for comment_id, writer_id, is_author in items:
        own = reader is not None and writer_id == reader
        links = []
        if own:
            links.append(f'<li><a href="{reverse("comments:edit", args=[int(comment_id)])}">Edit</a></li>')
        if own or is_author == "1":
            links.append(f'<li><a href="{reverse("comments:delete", args=[int(comment_id)])}">Delete</a></li>')
        html.append("".join(links))
    return html
