from django import template

from archive.comments.forms import CommentForm
from archive.comments.models import Comment
from archive.comments.threads import build_threads

register = template.Library()


@register.inclusion_tag("comments/comment_section.html", takes_context=True)
def comment_section(context, chapter) -> dict:
    """The chapter's comment threads and the form to add one: one query, however many comments."""
    comments = list(Comment.objects.filter(chapter=chapter).select_related("user").order_by("created_at", "id"))
    story = chapter.story
    author_ids = {author.pk for author in story.authors.all()}
    return {
        "request": context["request"],
        "user": context["user"],
        "chapter": chapter,
        "story": story,
        "threads": build_threads(comments),
        "comment_total": len(comments),
        "author_ids": author_ids,
        "form": CommentForm(),
        "can_comment": not chapter.is_draft,
    }
