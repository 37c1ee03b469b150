"""Subscribe and unsubscribe buttons, the inbox, the subscriptions list and notification preferences.

The buttons are plain POST forms that redirect back; static/js/subscriptions.js sends the same
form with fetch and asks for JSON, so the page updates in place when JavaScript runs.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from archive.caching import versions
from archive.core.pagination import paginate
from archive.core.redirects import back_to, local_path
from archive.discovery.exclusion_forms import ExclusionsForm
from archive.discovery.exclusions import saved_exclusions
from archive.notifications.forms import PreferencesForm
from archive.notifications.models import Notification, Preferences, Subscription
from archive.notifications.services import SubscriptionError, subscribe, unsubscribe
from archive.notifications.templatetags.subscriptions import button_context
from archive.series.models import Series
from archive.stories.models import Story
from archive.tags.models import Tag


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _respond(request: HttpRequest, target: dict, page: str, message: str, *, error: bool = False) -> HttpResponse:
    if _wants_json(request):
        context = button_context(request.user, **target)
        return JsonResponse(
            {
                "subscribed": context["subscribed"],
                "action": context["action"],
                "label": context["label"],
                "message": message,
            },
            status=400 if error else 200,
        )
    (messages.error if error else messages.success)(request, message)
    return back_to(request, page)


def _story_target(request: HttpRequest, story_id: int) -> tuple[dict, str, str]:
    # Posted works only: a draft has nothing to subscribe to, and another's draft is a 404.
    story = get_object_or_404(Story.objects.visible_to(request.user).only("title", "published_at"), pk=story_id)
    return {"story": story}, story.get_absolute_url(), f"“{story.title}”"


def _author_target(request: HttpRequest, username: str) -> tuple[dict, str, str]:
    author = get_object_or_404(get_user_model(), username=username, is_active=True)
    return {"author": author}, author.get_absolute_url(), author.username


def _tag_target(request: HttpRequest, name: str) -> tuple[dict, str, str]:
    tag = Tag.objects.named(name).select_related("merger").first()
    if tag is None:
        raise Http404("No such tag.")
    tag = tag.merger or tag
    return {"tag": tag}, tag.get_absolute_url(), tag.name


def _series_target(request: HttpRequest, series_id: int) -> tuple[dict, str, str]:
    series = get_object_or_404(Series.objects.only("title"), pk=series_id)
    return {"series": series}, series.get_absolute_url(), f"the series “{series.title}”"


TARGETS = {"story": _story_target, "author": _author_target, "tag": _tag_target, "series": _series_target}


@login_required
@require_POST
def subscription_create(request: HttpRequest, kind: str, key) -> HttpResponse:
    target, page, name = TARGETS[kind](request, key)
    try:
        subscribe(user=request.user, **target)
    except SubscriptionError as error:
        return _respond(request, target, page, str(error), error=True)
    return _respond(request, target, page, f"You are subscribed to {name}.")


@login_required
@require_POST
def subscription_delete(request: HttpRequest, kind: str, key) -> HttpResponse:
    target, page, name = TARGETS[kind](request, key)
    unsubscribe(user=request.user, **target)
    return _respond(request, target, page, f"You are no longer subscribed to {name}.")


@login_required
@require_GET
def subscription_list(request: HttpRequest) -> HttpResponse:
    subscriptions = (
        Subscription.objects.filter(user=request.user)
        .select_related("story", "author", "tag", "series")
        .defer(
            "story__search_vector",
            "story__filter_ids",
            "story__role_ids",
            "story__notes",
            "story__end_notes",
            "story__summary",
            "series__summary",
            "series__notes",
        )
        .order_by("-created_at", "-id")
    )
    return render(request, "notifications/subscription_list.html", {"page": paginate(request, subscriptions)})


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    notifications = Notification.objects.for_inbox(request.user)
    unread_only = request.GET.get("show") == "unread"
    if unread_only:
        notifications = notifications.unread()
    return render(
        request,
        "notifications/inbox.html",
        {"page": paginate(request, notifications), "unread_only": unread_only},
    )


@login_required
@require_POST
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    # Scoped to the reader: someone else's notification is a 404.
    notification = get_object_or_404(Notification.objects.filter(recipient=request.user), pk=notification_id)
    if notification.is_unread:
        Notification.objects.filter(pk=notification.pk).update(read_at=timezone.now())
        versions.changed(account_ids=[request.user.pk])  # the header's unread count
    if request.POST.get("open") and local_path(notification.url):
        return HttpResponseRedirect(notification.url)
    return back_to(request, reverse("notifications:inbox"))


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    marked = Notification.objects.filter(recipient=request.user).mark_read()
    if marked:
        versions.changed(account_ids=[request.user.pk])  # the header's unread count
        messages.success(request, f"Marked {marked} notification{'s' if marked != 1 else ''} as read.")
    return back_to(request, reverse("notifications:inbox"))


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    current = Preferences.of(request.user)
    if request.method == "POST":
        form = PreferencesForm(request.POST, instance=current)
        if form.is_valid():
            form.save()
            messages.success(request, "Your notification preferences were saved.")
            return redirect("notifications:preferences")
    else:
        form = PreferencesForm(instance=current)
    exclusions_form = ExclusionsForm(exclusions=saved_exclusions(request))
    return render(request, "notifications/preferences.html", {"form": form, "exclusions_form": exclusions_form})
