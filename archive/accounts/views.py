from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from archive.accounts import services
from archive.accounts.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    DeleteAccountForm,
    ForgottenPasswordForm,
    LogInForm,
    NewPasswordForm,
    SignupForm,
)
from archive.accounts.models import User
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
            services.send_confirmation(user=user)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                f"Welcome, {user.username}! Your account is ready. We've e-mailed {user.email} a link to confirm it.",
            )
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


# Forgotten password: Django's views and token generator, in our templates. The token is bound to
# the password's hash and the last log-in, so a link works once, and for PASSWORD_RESET_TIMEOUT.


@method_decorator(ratelimits.rate_limit("password_reset"), name="dispatch")
class ForgottenPasswordView(auth_views.PasswordResetView):
    form_class = ForgottenPasswordForm
    template_name = "accounts/password_reset_form.html"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    email_template_name = "accounts/email/password_reset.txt"
    html_email_template_name = "accounts/email/password_reset.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        # Per name or address asked about too, whoever asks: nobody can fill someone's mailbox
        # with reset links. Counted by what was typed, not the account it matched, so a refusal
        # never tells that an address and a name belong to one account.
        identifier = form.cleaned_data["email"].strip().casefold()
        key = lambda group, request: identifier  # noqa: E731
        ratelimits.refuse_if_used_up(self.request, "password_reset_account", key=key)
        ratelimits.count(self.request, "password_reset_account", key=key)
        return super().form_valid(form)


class ForgottenPasswordSentView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class NewPasswordView(auth_views.PasswordResetConfirmView):
    form_class = NewPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class NewPasswordSetView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


# The account's own pages: /users/<name>/... for the logged-in user's own name only; any other
# name is a 404, so nobody learns more from another's address than from a name that doesn't exist.


def _own_account(request: HttpRequest, username: str) -> User:
    if username != request.user.username:
        raise Http404("No such page.")
    return request.user


@login_required
@ratelimits.rate_limit("account_change")
def change_password(request: HttpRequest, username: str) -> HttpResponse:
    user = _own_account(request, username)
    if request.method == "POST":
        form = ChangePasswordForm(user, request.POST)
        if form.is_valid():
            form.save()
            # This session stays logged in; every other one fails Django's session hash check.
            update_session_auth_hash(request, form.user)
            messages.success(request, "Your password was changed. Every other session is logged out.")
            return redirect("accounts:change_password", username=user.username)
    else:
        form = ChangePasswordForm(user)
    return render(request, "accounts/change_password.html", {"form": form})


@login_required
@ratelimits.rate_limit("account_change")
def change_email(request: HttpRequest, username: str) -> HttpResponse:
    user = _own_account(request, username)
    if request.method == "POST":
        form = ChangeEmailForm(user, request.POST)
        if form.is_valid():
            address = form.cleaned_data["email"]
            services.request_email_change(user=user, new_address=address)
            messages.success(
                request,
                f"We've sent a link to {address}. Your address stays {user.email or 'empty'} until you follow it.",
            )
            return redirect("notifications:preferences")
    else:
        form = ChangeEmailForm(user)
    return render(request, "accounts/change_email.html", {"form": form})


@login_required
@require_POST
@ratelimits.rate_limit("account_change")
def resend_confirmation(request: HttpRequest, username: str) -> HttpResponse:
    user = _own_account(request, username)
    if user.email and not user.email_verified:
        services.send_confirmation(user=user)
        messages.success(request, f"We've sent a new confirmation link to {user.email}.")
    return redirect("notifications:preferences")


def confirm_email(request: HttpRequest, token: str) -> HttpResponse:
    """The link mailed to an address: a page with a button, so a mail scanner that opens links
    confirms nothing; whoever has the link may press it, logged in or not."""
    if request.method == "POST":
        try:
            user = services.confirm_email(token=token)
        except services.InvalidLink:
            return render(request, "accounts/confirm_email.html", {"valid": False}, status=400)
        messages.success(request, f"Thank you: {user.email} is confirmed.")
        return redirect("notifications:preferences" if request.user == user else "stories:home")
    try:
        address = services.confirmation_address(token)
    except services.InvalidLink:
        return render(request, "accounts/confirm_email.html", {"valid": False}, status=400)
    return render(request, "accounts/confirm_email.html", {"valid": True, "address": address})


@login_required
@ratelimits.rate_limit("account_change")
def delete_account(request: HttpRequest, username: str) -> HttpResponse:
    # Publishing builds on accounts: the service that ends a work's life lives there.
    from archive.publishing.account_deletion import Works, works_of
    from archive.publishing.account_deletion import delete_account as delete

    user = _own_account(request, username)
    works = works_of(user)
    form_kwargs = {"choices": Works.choices, "has_works": bool(works["alone"])}
    if request.method == "POST":
        form = DeleteAccountForm(user, request.POST, **form_kwargs)
        if form.is_valid():
            delete(user=user, works=Works(form.cleaned_data.get("works", Works.DELETE)))
            logout(request)
            messages.success(request, f"The account {username} is deleted. Thank you for being part of the archive.")
            return redirect("stories:home")
    else:
        form = DeleteAccountForm(user, **form_kwargs)
    counts = {
        "alone": len(works["alone"]),
        "drafts": len(works["drafts"]),
        "shared": len(works["shared"]),
        "comments": user.comments.count(),
        "kudos": user.kudos.count(),
        "bookmarks": user.bookmarks.count(),
    }
    return render(request, "accounts/delete_account.html", {"form": form, "counts": counts})
