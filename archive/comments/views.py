"""Posting, replying to, editing, deleting and moderating comments.

Every form here works without JavaScript (POST, then back to the chapter); static/js/community.js
posts the chapter's comment form in the background and swaps in the section this module renders
for it (`X-Requested-With: fetch`), so the reader stays where they were.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from archive.chapters.models import Chapter
from archive.chapters.reading import readable_work
from archive.comments.forms import BlockForm, CommentForm, GuestCommentForm, UnblockForm
from archive.comments.models import Comment, CommentBlock
from archive.comments.section import section_context, wants_whole_work, whole_work_chapters
from archive.comments.services import (
    CommentRefused,
    approve_comment,
    block_commenter,
    delete_comment,
    edit_comment,
    post_comment,
    refusal,
    set_frozen,
    unblock_commenter,
)
from archive.comments.threads import page_of, remember_own_comment
from archive.core.fragments import wants_fragment
from archive.core.give_back import login_required_keeping_post
from archive.core.ratelimits import rate_limit
from archive.stories.models import Story


def _commentable_chapter(request: HttpRequest, story_id: int, chapter_id: int) -> Chapter:
    """A posted chapter of a story this reader can see, numbered as they count it (from the work
    its reading pages keep: no query where they kept it); drafts take no comments."""
    story, index = readable_work(request, story_id)
    chapter = next((chapter for chapter in index if chapter.pk == chapter_id and not chapter.is_draft), None)
    if chapter is None:
        raise Http404("No such chapter.")
    chapter.story = story
    return chapter


def _on_its_page(request: HttpRequest, comment: Comment, anchor: str) -> str:
    number = page_of(request, comment)
    return f"{comment.chapter.get_absolute_url()}{f'?page={number}' if number > 1 else ''}#{anchor}"


def _on_the_entire_work(request: HttpRequest, comment: Comment, whole_work: list[Chapter]) -> str:
    number = page_of(request, comment, chapters=whole_work)
    page = f"&page={number}" if number > 1 else ""
    return f"{comment.story.get_absolute_url()}?view_full_work=true{page}#comment-{comment.pk}"


def _at_comment(request: HttpRequest, comment: Comment) -> str:
    return _on_its_page(request, comment, f"comment-{comment.pk}")


@rate_limit("comment")
def comment_create(request: HttpRequest, story_id: int, chapter_id: int, parent_id: int | None = None) -> HttpResponse:
    chapter = _commentable_chapter(request, story_id, chapter_id)
    story = chapter.story
    parent = (
        get_object_or_404(Comment.objects.select_related("user").approved(), pk=parent_id, chapter=chapter)
        if parent_id
        else None
    )
    form_class = CommentForm if request.user.is_authenticated else GuestCommentForm
    # Sent from the entire-work page: its section, and the reader back on it, show every chapter.
    whole_work = whole_work_chapters(request, story) if wants_whole_work(request) else []
    status = 200
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid() and getattr(form, "is_spam", False):
            form.add_error(None, "Your comment looks like spam to us, so it wasn't posted. Please try again.")
            status = 400
        elif form.is_valid():
            guest = {} if request.user.is_authenticated else {
                "guest_name": form.cleaned_data["guest_name"],
                "guest_email": form.cleaned_data["guest_email"],
            }  # fmt: skip
            try:
                comment = post_comment(
                    chapter=chapter, user=request.user, body=form.cleaned_data["body"], parent=parent, **guest
                )
            except CommentRefused as refused:
                form.add_error(None, str(refused))
                status = 403
            else:
                remember_own_comment(request, comment)
                comment.chapter, comment.story = chapter, story
                if wants_fragment(request):
                    # `story` was read before the comment: its count must be the one just stored, or
                    # the section would say "Comments on this chapter (1)" beside "0 on the whole work".
                    story.refresh_from_db(fields=["comment_count"])
                    number = page_of(request, comment, chapters=whole_work)
                    context = section_context(
                        request, chapter=chapter, story=story, number=number, whole_work=whole_work
                    )
                    context["posted"] = comment
                    return render(request, "comments/comment_section.html", context)
                messages.success(
                    request,
                    "Your comment was posted."
                    if comment.approved
                    else "Your comment was posted. It will appear to others once the creator approves it.",
                )
                if whole_work:
                    return redirect(_on_the_entire_work(request, comment, whole_work))
                return redirect(_at_comment(request, comment))
        else:
            status = 400
        if wants_fragment(request):
            context = section_context(request, chapter=chapter, story=story, form=form, whole_work=whole_work)
            return render(request, "comments/comment_section.html", context, status=status)
    else:
        form = form_class()
    reason = refusal(story=story, user=request.user, parent=parent)
    context = {
        "form": form,
        "chapter": chapter,
        "story": story,
        "parent": parent,
        "whole_work": bool(whole_work),
        "refusal": reason,
        "is_author": story.is_written_by(request.user),
    }
    return render(request, "comments/comment_form.html", context, status=403 if reason else status)


def _own_comments(user):
    return Comment.objects.filter(user=user, deleted_at__isnull=True).select_related("chapter", "story")


@login_required_keeping_post
def comment_edit(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = get_object_or_404(_own_comments(request.user), pk=comment_id)
    if request.method == "POST":
        form = CommentForm(request.POST, instance=comment)
        if form.is_valid():
            edit_comment(comment=comment, body=form.cleaned_data["body"])
            messages.success(request, "Your comment was updated.")
            return redirect(_at_comment(request, comment))
    else:
        form = CommentForm(instance=comment)
    return render(request, "comments/comment_edit.html", {"form": form, "comment": comment})


def _deletable_by(user):
    """Comments this user may delete: their own, and any on a work they wrote."""
    return Comment.objects.filter(Q(user=user) | Q(story__authors=user), deleted_at__isnull=True).distinct()


def _moderated_by(user):
    return Comment.objects.filter(story__authors=user, deleted_at__isnull=True)


@login_required
def comment_delete(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = get_object_or_404(_deletable_by(request.user).select_related("chapter", "story", "user"), pk=comment_id)
    if request.method == "POST":
        back = _on_its_page(request, comment, "comments")
        delete_comment(comment=comment)
        messages.success(request, "The comment was deleted.")
        return redirect(back)
    return render(request, "comments/comment_confirm_delete.html", {"comment": comment})


@login_required
@require_POST
def comment_approve(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = get_object_or_404(_moderated_by(request.user).select_related("chapter", "story"), pk=comment_id)
    approve_comment(comment=comment)
    messages.success(request, "The comment was approved and is now shown to everyone.")
    if request.POST.get("from") == "unreviewed":
        return redirect("comments:unreviewed", comment.story_id)
    return redirect(_at_comment(request, comment))


@login_required
@require_POST
def comment_freeze(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = get_object_or_404(_moderated_by(request.user).select_related("chapter", "story"), pk=comment_id)
    frozen = request.POST.get("frozen", "1") == "1"
    set_frozen(comment=comment, frozen=frozen)
    messages.success(
        request, "The thread was frozen: it takes no new replies." if frozen else "The thread was unfrozen."
    )
    return redirect(_at_comment(request, comment))


@login_required
@require_POST
def comment_block(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = get_object_or_404(
        _moderated_by(request.user).filter(user__isnull=False).select_related("chapter", "story", "user"), pk=comment_id
    )
    if block_commenter(blocker=request.user, blocked=comment.user):
        messages.success(request, f"{comment.user.username} can no longer comment on your works.")
    else:
        messages.info(request, f"{comment.user.username} was already blocked from commenting on your works.")
    return redirect(_at_comment(request, comment))


@login_required
def blocked_commenters(request: HttpRequest) -> HttpResponse:
    form = BlockForm()
    if request.method == "POST" and "unblock" in request.POST:
        unblock = UnblockForm(request.POST)
        if unblock.is_valid():
            unblock_commenter(blocker=request.user, blocked_id=unblock.cleaned_data["unblock"])
            messages.success(request, "They can comment on your works again.")
        else:
            messages.error(request, "That is no one you have blocked.")
        return redirect("comments:blocked")
    if request.method == "POST":
        form = BlockForm(request.POST)
        if form.is_valid():
            name = form.cleaned_data["username"]
            blocked = get_user_model().objects.filter(username=name).first()
            if blocked is None:
                messages.error(request, f"There is no user called “{name}”.")
            elif block_commenter(blocker=request.user, blocked=blocked):
                messages.success(request, f"{blocked.username} can no longer comment on your works.")
            else:
                messages.info(request, f"{blocked.username} is already blocked, or is you.")
            return redirect("comments:blocked")
    blocks = CommentBlock.objects.filter(blocker=request.user).select_related("blocked")
    status = 400 if form.errors else 200
    return render(request, "comments/blocked.html", {"blocks": blocks, "form": form}, status=status)


@login_required
def unreviewed(request: HttpRequest, story_id: int) -> HttpResponse:
    """A work's comments waiting for its authors' approval, oldest first."""
    story = get_object_or_404(Story.objects.written_by(request.user), pk=story_id)
    held = Comment.objects.pending().filter(story=story).select_related("user", "chapter").order_by("created_at", "id")
    return render(request, "comments/unreviewed.html", {"story": story, "held": held[:200]})
