from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from archive.core.pagination import COUNT_CAP, CappedPaginator, page_number
from archive.history.models import Reading
from archive.history.services import HistoryOff, clear_history, forget_reading, mark_read, set_keeps_history
from archive.stories.models import Story


@login_required
@require_safe
def reading_list(request: HttpRequest) -> HttpResponse:
    readings = Reading.objects.for_history(request.user)
    # Counted without the per-entry chapter subqueries the page itself needs.
    count = Reading.objects.of_visible_stories(request.user)[: COUNT_CAP + 1].count()
    paginator = CappedPaginator(readings, count=count)
    number = page_number(request)
    page = paginator.page(number) if number <= paginator.num_pages else Page(readings[:0], number, paginator)
    return render(request, "history/reading_list.html", {"page": page})


@login_required
@require_POST
def reading_remove(request: HttpRequest, story_id: int) -> HttpResponse:
    """Mark a work unread: it leaves the history (back on the history page, since opening the
    work again would record it again)."""
    if forget_reading(user=request.user, story_id=story_id):
        messages.success(request, "That work is marked unread: it is no longer in your history.")
    return redirect("history:list")


@login_required
@require_POST
def reading_mark_read(request: HttpRequest, story_id: int) -> HttpResponse:
    story = get_object_or_404(Story.objects.visible_to(request.user).exclude(authors=request.user), pk=story_id)
    try:
        mark_read(user=request.user, story=story)
    except HistoryOff as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"“{story.title}” is marked as read.")
    # To the history, not back to the work: opening a chapter there would move the place again.
    return redirect("history:list")


@login_required
@require_POST
def history_switch(request: HttpRequest) -> HttpResponse:
    keep = request.POST.get("keep") == "on"
    set_keeps_history(user=request.user, keep=keep)
    if keep:
        messages.success(request, "Your history is on: the works you read are remembered again.")
    else:
        messages.success(request, "Your history is off: nothing you read is recorded until you turn it on.")
    return redirect("history:list")


@login_required
def history_clear(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        clear_history(user=request.user)
        messages.success(request, "Your history is empty.")
        return redirect("history:list")
    return render(request, "history/history_confirm_clear.html")
