from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from archive.accounts.forms import LogInForm, SignupForm
from archive.core import ratelimits
from archive.core.redirects import LocalNextMixin


@ratelimits.rate_limit("signup")
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("stories:dashboard")
    if request.method == "POST":
        form = SignupForm(request.POST)
        if form.is_valid():
            user = form.save()
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Welcome, {user.username}! Your account is ready.")
            return redirect("stories:dashboard")
    else:
        form = SignupForm()
    return render(request, "accounts/signup.html", {"form": form})


class ThrottledLoginView(LocalNextMixin, LoginView):
    """Django's log-in, with failed log-ins limited per address and per account (`LogInLimits`),
    back to `next` only when that is a path on this site."""

    template_name = "accounts/login.html"
    authentication_form = LogInForm


class LogoutView(LocalNextMixin, auth_views.LogoutView):
    """Django's log-out, back to `next` only when that is a path on this site."""
