from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from archive.core.give_back import login_required_keeping_post
from archive.profiles.forms import ProfileForm
from archive.profiles.services import profile_of, save_profile
from archive.stories.models import Story


def profile_detail(request: HttpRequest, username: str) -> HttpResponse:
    user = get_object_or_404(get_user_model().objects.select_related("profile"), username=username)
    context = {
        "person": user,
        "profile": profile_of(user),
        "work_count": Story.objects.visible_to(request.user).filter(authors=user).count(),
        "is_own": request.user == user,
        "is_muted": request.user.is_authenticated and user.pk in (request.user.muted_ids or []),
    }
    return render(request, "profiles/profile_detail.html", context)


@login_required_keeping_post
def profile_edit(request: HttpRequest) -> HttpResponse:
    profile = profile_of(request.user)
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=profile)
        if form.is_valid():
            save_profile(user=request.user, fields=form.profile_fields())
            messages.success(request, "Your profile was saved.")
            return redirect("profiles:detail", request.user.username)
    else:
        form = ProfileForm(instance=profile)
    return render(request, "profiles/profile_form.html", {"form": form})
