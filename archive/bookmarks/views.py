"""Bookmarks and reading lists.

Every form here works as a plain POST that redirects; the bookmark box on the work page is also
sent by static/js/bookmarks.js, which asks for JSON and swaps in the fragment it gets back.
A reader's own bookmarks and lists are fetched through querysets scoped to them, so someone
else's id is a 404.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Exists, Min, OuterRef, Prefetch
from django.db.models.functions import Lower
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST

from archive.bookmarks.box import LATER, box_context
from archive.bookmarks.forms import BookmarkFilterForm, BookmarkForm, ReadingListForm
from archive.bookmarks.models import Bookmark, BookmarkTag, ReadingList, ReadingListItem
from archive.bookmarks.services import (
    BookmarkError,
    add_to_list,
    create_bookmark,
    create_list,
    create_series_bookmark,
    delete_bookmark,
    delete_list,
    mark_for_later_list,
    remove_from_list,
    rename_list,
    update_bookmark,
)
from archive.core.give_back import login_required_keeping_post
from archive.core.pagination import paginate
from archive.core.redirects import back_to, next_url
from archive.discovery.exclusions import apply_exclusions_to_bookmarks, without_muted
from archive.series.models import Series
from archive.stories.models import Story
from archive.tags.models import Tag
from archive.tags.names import match_key

SIDEBAR_TAGS = 50


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _visible_story(request: HttpRequest, story_id: int) -> Story:
    return get_object_or_404(Story.objects.visible_to(request.user).prefetch_related("authors"), pk=story_id)


def _box_response(
    request: HttpRequest, story: Story, *, status: str, form: BookmarkForm | None = None, code: int = 200
) -> JsonResponse:
    """The refreshed bookmark box for a script that sent one of its forms."""
    story.refresh_from_db(fields=["bookmark_count"])
    back = next_url(request, story.get_absolute_url())
    context = box_context(request, story, form=form, next_url=back, status=status)
    html = render_to_string("bookmarks/includes/bookmark_box.html", context, request=request)
    return JsonResponse(
        {"ok": code == 200, "message": status, "html": html, "bookmark_count": story.bookmark_count}, status=code
    )


def _done(request: HttpRequest, story: Story, message: str, *, level: int = messages.SUCCESS) -> HttpResponse:
    if _wants_json(request):
        return _box_response(request, story, status=message, code=200 if level < messages.ERROR else 400)
    messages.add_message(request, level, message)
    return back_to(request, story.get_absolute_url(), anchor="#bookmark")


@login_required_keeping_post
def bookmark_save(request: HttpRequest, story_id: int) -> HttpResponse:
    """Bookmark a work, or change one's bookmark of it: the box on the work page, or this page."""
    story = _visible_story(request, story_id)
    bookmark = Bookmark.objects.filter(user=request.user, story=story).prefetch_related("tags").first()
    if request.method == "POST":
        form = BookmarkForm(request.POST, auto_id="bookmark_%s")
        if form.is_valid():
            if bookmark is None:
                try:
                    create_bookmark(user=request.user, story=story, **form.bookmark_fields())
                except BookmarkError as error:
                    return _done(request, story, str(error), level=messages.ERROR)
                return _done(request, story, "Your bookmark was saved.")
            update_bookmark(bookmark=bookmark, **form.bookmark_fields())
            return _done(request, story, "Your bookmark was updated.")
        if _wants_json(request):
            return _box_response(request, story, status="", form=form, code=400)
    else:
        form = BookmarkForm(bookmark=bookmark, auto_id="bookmark_%s")
    context = {
        "form": form,
        "story": story,
        "target": story,
        "save_url": reverse("bookmarks:save", args=[story.pk]),
        "bookmark": bookmark,
        "next_url": next_url(request, ""),
    }
    return render(request, "bookmarks/bookmark_form.html", context)


@login_required_keeping_post
def bookmark_save_series(request: HttpRequest, series_id: int) -> HttpResponse:
    """Bookmark a series, or change one's bookmark of it."""
    series = get_object_or_404(Series, pk=series_id)
    bookmark = Bookmark.objects.filter(user=request.user, series=series).prefetch_related("tags").first()
    if request.method == "POST":
        form = BookmarkForm(request.POST, auto_id="bookmark_%s")
        if form.is_valid():
            if bookmark is None:
                create_series_bookmark(user=request.user, series=series, **form.bookmark_fields())
                messages.success(request, "Your bookmark of the series was saved.")
            else:
                update_bookmark(bookmark=bookmark, **form.bookmark_fields())
                messages.success(request, "Your bookmark of the series was updated.")
            return back_to(request, series.get_absolute_url())
    else:
        form = BookmarkForm(bookmark=bookmark, auto_id="bookmark_%s")
    context = {
        "form": form,
        "target": series,
        "save_url": reverse("bookmarks:save_series", args=[series.pk]),
        "bookmark": bookmark,
        "next_url": next_url(request, ""),
    }
    return render(request, "bookmarks/bookmark_form.html", context)


def bookmark_detail(request: HttpRequest, bookmark_id: int) -> HttpResponse:
    bookmark = get_object_or_404(Bookmark.objects.shown_to(request.user).for_cards(), pk=bookmark_id)
    return render(request, "bookmarks/bookmark_detail.html", {"bookmark": bookmark})


def _own_bookmark(request: HttpRequest, bookmark_id: int) -> Bookmark:
    own = Bookmark.objects.filter(user=request.user).select_related("story", "series").prefetch_related("tags")
    return get_object_or_404(own, pk=bookmark_id)


def _own_bookmarks_url(request: HttpRequest) -> str:
    return reverse("bookmarks:by_user", args=[request.user.username])


@login_required_keeping_post
def bookmark_edit(request: HttpRequest, bookmark_id: int) -> HttpResponse:
    bookmark = _own_bookmark(request, bookmark_id)
    if request.method == "POST":
        form = BookmarkForm(request.POST, auto_id="bookmark_%s")
        if form.is_valid():
            update_bookmark(bookmark=bookmark, **form.bookmark_fields())
            messages.success(request, "Your bookmark was updated.")
            return back_to(request, bookmark.get_absolute_url())
    else:
        form = BookmarkForm(bookmark=bookmark, auto_id="bookmark_%s")
    context = {"form": form, "target": bookmark.target, "bookmark": bookmark, "next_url": next_url(request, "")}
    return render(request, "bookmarks/bookmark_form.html", context)


@login_required
def bookmark_delete(request: HttpRequest, bookmark_id: int) -> HttpResponse:
    bookmark = _own_bookmark(request, bookmark_id)
    if request.method == "POST":
        delete_bookmark(bookmark=bookmark)
        messages.success(request, f"Your bookmark of “{bookmark.target.title}” was deleted.")
        return back_to(request, _own_bookmarks_url(request))
    return render(
        request, "bookmarks/bookmark_confirm_delete.html", {"bookmark": bookmark, "next_url": next_url(request, "")}
    )


def user_bookmarks(request: HttpRequest, username: str) -> HttpResponse:
    """A reader's bookmarks: the public ones for everyone, all of them for the reader."""
    owner = get_object_or_404(get_user_model(), username=username)
    shown = Bookmark.objects.filter(user=owner).shown_to(request.user)
    shown, hiding = apply_exclusions_to_bookmarks(request, shown)
    form = BookmarkFilterForm(request.GET)
    bookmarks, tag = shown, None
    if name := form.value("tag"):
        # As search does: case and spacing don't count, nor the order of a ship's names.
        keys = {match_key(name), match_key(name, relationship=True)}
        tag = Tag.objects.filter(match_key__in=keys).only("pk", "merger_id").first()
        bookmarks = bookmarks.filter(story__filter_ids__has_all=[tag.filter_id]) if tag else bookmarks.none()
    if name := form.value("bookmark_tag"):
        bookmarks = bookmarks.filter(Exists(BookmarkTag.objects.filter(bookmark=OuterRef("pk"), name__iexact=name)))
    if text := form.value("q"):
        bookmarks = bookmarks.filter(note__icontains=text)
    # The bookmarker's tags over everything this viewer may see of theirs, most used first.
    their_tags = (
        BookmarkTag.objects.filter(bookmark__in=shown.values("pk"))
        .values(key=Lower("name"))
        .annotate(name=Min("name"), uses=Count("id"))
        .order_by("-uses", "key")[:SIDEBAR_TAGS]
    )
    context = {
        "owner": owner,
        "is_owner": request.user == owner,
        "form": form,
        "tag": tag,
        "their_tags": their_tags,
        "filtered": any(form.value(name) for name in ("tag", "bookmark_tag", "q")),
        "page": paginate(request, bookmarks.for_cards().newest_first()),
        "hiding": hiding,
    }
    return render(request, "bookmarks/user_bookmarks.html", context)


def work_bookmarks(request: HttpRequest, story_id: int) -> HttpResponse:
    """A work's public bookmarks (and the viewer's own, private or not)."""
    story = _visible_story(request, story_id)
    bookmarks = without_muted(request, Bookmark.objects.filter(story=story).shown_to(request.user))
    bookmarks = bookmarks.select_related("user")
    bookmarks = bookmarks.prefetch_related("tags").newest_first()
    return render(request, "bookmarks/work_bookmarks.html", {"story": story, "page": paginate(request, bookmarks)})


# Reading lists: their owner's alone. Another reader's lists are a 404, never a "forbidden".


def _own_lists(request: HttpRequest, username: str):
    if username != request.user.username:
        raise Http404("No such lists.")
    return ReadingList.objects.filter(user=request.user)


@login_required
def lists_index(request: HttpRequest, username: str) -> HttpResponse:
    lists = _own_lists(request, username)
    if request.method == "POST":
        form = ReadingListForm(request.POST)
        if form.is_valid():
            try:
                reading_list = create_list(user=request.user, name=form.cleaned_data["name"])
            except BookmarkError as error:
                form.add_error("name", str(error))
            else:
                messages.success(request, f"Your list “{reading_list.name}” was made.")
                return redirect("bookmarks:lists", request.user.username)
    else:
        form = ReadingListForm()
    # Made here at the latest, so every reader's lists start with it.
    mark_for_later_list(user=request.user)
    lists = lists.annotate(size=Count("items"))
    return render(request, "bookmarks/lists_index.html", {"lists": lists, "form": form})


@login_required
def list_detail(request: HttpRequest, username: str, list_id: int) -> HttpResponse:
    reading_list = get_object_or_404(_own_lists(request, username), pk=list_id)
    items = (
        ReadingListItem.objects.filter(
            reading_list=reading_list, story__in=Story.objects.visible_to(request.user).values("pk")
        )
        .prefetch_related(Prefetch("story", queryset=Story.objects.for_cards()))
        .order_by("-added_at", "-id")
    )
    context = {"reading_list": reading_list, "page": paginate(request, items)}
    return render(request, "bookmarks/list_detail.html", context)


@login_required
def list_edit(request: HttpRequest, username: str, list_id: int) -> HttpResponse:
    reading_list = get_object_or_404(_own_lists(request, username).filter(builtin=False), pk=list_id)
    if request.method == "POST":
        form = ReadingListForm(request.POST)
        if form.is_valid():
            try:
                rename_list(reading_list=reading_list, name=form.cleaned_data["name"])
            except BookmarkError as error:
                form.add_error("name", str(error))
            else:
                messages.success(request, "Your list was renamed.")
                return redirect(reading_list)
    else:
        form = ReadingListForm(initial={"name": reading_list.name})
    return render(request, "bookmarks/list_form.html", {"form": form, "reading_list": reading_list})


@login_required
def list_delete(request: HttpRequest, username: str, list_id: int) -> HttpResponse:
    reading_list = get_object_or_404(_own_lists(request, username).filter(builtin=False), pk=list_id)
    if request.method == "POST":
        delete_list(reading_list=reading_list)
        messages.success(request, f"Your list “{reading_list.name}” was deleted.")
        return redirect("bookmarks:lists", request.user.username)
    return render(request, "bookmarks/list_confirm_delete.html", {"reading_list": reading_list})


@login_required
@require_POST
def story_list_add(request: HttpRequest, story_id: int) -> HttpResponse:
    """Add a work to one of the reader's lists ("later" is "Mark for later", made if need be)."""
    story = _visible_story(request, story_id)
    wanted = request.POST.get("list", "")
    if wanted == LATER:
        reading_list = mark_for_later_list(user=request.user)
    elif wanted.isascii() and wanted.isdigit():
        reading_list = get_object_or_404(ReadingList.objects.filter(user=request.user), pk=int(wanted))
    else:
        return _done(request, story, "Choose a list to add the work to.", level=messages.ERROR)
    if add_to_list(reading_list=reading_list, story=story):
        return _done(request, story, f"Added to “{reading_list.name}”.")
    return _done(request, story, f"This work is already in “{reading_list.name}”.", level=messages.INFO)


@login_required
@require_POST
def story_list_remove(request: HttpRequest, story_id: int, list_id: int) -> HttpResponse:
    reading_list = get_object_or_404(ReadingList.objects.filter(user=request.user), pk=list_id)
    # A work the reader can no longer see may still be taken off their list.
    story = get_object_or_404(Story.objects.filter(reading_list_items__reading_list=reading_list), pk=story_id)
    remove_from_list(reading_list=reading_list, story=story)
    return _done(request, story, f"Removed from “{reading_list.name}”.")
