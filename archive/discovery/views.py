from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from archive.discovery import services
from archive.discovery.exclusion_forms import ExclusionsForm
from archive.discovery.exclusions import saved_exclusions, set_cookie


def exclusions_edit(request: HttpRequest) -> HttpResponse:
    """Saved exclusions: on the account when logged in, in a cookie in this browser when not."""
    current = saved_exclusions(request)
    if request.method == "POST":
        form = ExclusionsForm(request.POST, exclusions=current)
        if form.is_valid():
            chosen = form.exclusions(muted_ids=current.muted_ids)
            if request.user.is_authenticated:
                services.save_exclusions(user=request.user, exclusions=chosen)
                messages.success(request, "Your exclusions were saved.")
                return redirect("notifications:preferences")
            response = redirect("discovery:exclusions")
            set_cookie(response, chosen)
            return response
    else:
        form = ExclusionsForm(exclusions=current)
    return render(request, "discovery/exclusions.html", {"form": form, "saved": bool(current)})


@login_required
def muted_users(request: HttpRequest, username: str) -> HttpResponse:
    if username != request.user.username:
        raise Http404("No such page.")
    muted = get_user_model().objects.filter(pk__in=request.user.muted_ids or []).order_by("username")
    return render(request, "discovery/muted_users.html", {"muted": muted.only("username")})


@login_required
@require_POST
def mute(request: HttpRequest, username: str) -> HttpResponse:
    target = get_object_or_404(get_user_model(), username=username)
    try:
        services.mute(user=request.user, muted=target)
    except services.MuteError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, f"You muted {target.username}: their works, comments and bookmarks are hidden from you."
        )
    return redirect("profiles:detail", target.username)


@login_required
@require_POST
def unmute(request: HttpRequest, username: str) -> HttpResponse:
    target = get_object_or_404(get_user_model(), username=username)
    services.unmute(user=request.user, muted=target)
    messages.success(request, f"You unmuted {target.username}.")
    if request.POST.get("from") == "muted":
        return redirect("discovery:muted", request.user.username)
    return redirect("profiles:detail", target.username)
