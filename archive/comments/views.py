from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from archive.chapters.models import Chapter
from archive.comments.forms import CommentForm
from archive.comments.models import Comment
from archive.comments.services import post_comment
from archive.stories.models import Story


def _commentable_chapter(request: HttpRequest, story_id: int, chapter_id: int) -> Chapter:
    """A posted chapter of a story this reader can see; drafts take no comments."""
    story = get_object_or_404(Story.objects.readable_by(request.user), pk=story_id)
    return get_object_or_404(Chapter.objects.posted().select_related("story"), story=story, pk=chapter_id)


@login_required
def comment_create(request: HttpRequest, story_id: int, chapter_id: int, parent_id: int | None = None) -> HttpResponse:
    chapter = _commentable_chapter(request, story_id, chapter_id)
    parent = (
        get_object_or_404(Comment.objects.select_related("user"), pk=parent_id, chapter=chapter) if parent_id else None
    )
    if request.method == "POST":
        form = CommentForm(request.POST)
        if form.is_valid():
            comment = post_comment(chapter=chapter, user=request.user, body=form.cleaned_data["body"], parent=parent)
            messages.success(request, "Your comment was posted.")
            return redirect(f"{chapter.get_absolute_url()}#comment-{comment.pk}")
    else:
        form = CommentForm()
    return render(request, "comments/comment_form.html", {"form": form, "chapter": chapter, "parent": parent})
