"""A work's co-creators page (invite, withdraw, leave) and the invitee's answer.

Plain POST forms that redirect, so all of it works without JavaScript. Authors' pages fetch the
work through `Story.objects.written_by`, and the invitation page through the reader's own
invitation: anyone else gets a 404.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models.functions import Lower
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from archive.accounts.services import ORPHAN_ACCOUNT
from archive.cocreators.forms import AnswerForm, InviteForm, LeaveForm
from archive.cocreators.models import Invitation
from archive.cocreators.services import (
    CocreatorError,
    accept_invitation,
    decline_invitation,
    invite_cocreator,
    leave_story,
    orphan_story,
    withdraw_invitation,
)
from archive.core.prose import strip_controls
from archive.core.ratelimits import rate_limit
from archive.core.redirects import back_to
from archive.stories.models import Story


def _own_story(request: HttpRequest, story_id: int) -> Story:
    return get_object_or_404(Story.objects.written_by(request.user).with_authors(), pk=story_id)


@login_required
@rate_limit("cocreator_invitation")
def manage(request: HttpRequest, story_id: int) -> HttpResponse:
    story = _own_story(request, story_id)
    if request.method == "POST":
        form = InviteForm(request.POST)
        if form.is_valid():
            try:
                invitation = invite_cocreator(story=story, inviter=request.user, username=form.cleaned_data["username"])
            except CocreatorError as error:
                form.add_error("username", str(error))
            else:
                messages.success(
                    request, f"{invitation.invitee.username} is invited; they are credited once they accept."
                )
                return redirect("cocreators:manage", story_id=story.pk)
    else:
        form = InviteForm()
    invitations = Invitation.objects.filter(story=story).select_related("invitee", "invited_by").order_by("created_at")
    context = {"story": story, "form": form, "invitations": invitations}
    return render(request, "cocreators/cocreators.html", context)


@login_required
@require_POST
def withdraw(request: HttpRequest, story_id: int, invitation_id: int) -> HttpResponse:
    story = _own_story(request, story_id)
    invitation = get_object_or_404(Invitation.objects.filter(story=story).select_related("invitee"), pk=invitation_id)
    withdraw_invitation(invitation=invitation)
    messages.success(request, f"The invitation to {invitation.invitee.username} was withdrawn.")
    return redirect("cocreators:manage", story_id=story.pk)


@login_required
def leave(request: HttpRequest, story_id: int) -> HttpResponse:
    story = _own_story(request, story_id)
    others = [author for author in story.authors.all() if author.pk != request.user.pk]
    if request.method == "POST":
        form = LeaveForm(request.POST)
        if form.is_valid():
            title = story.title
            try:
                if form.cleaned_data["action"] == "orphan":
                    orphan_story(story=story, user=request.user)
                else:
                    leave_story(story=story, user=request.user)
            except CocreatorError as error:
                messages.error(request, str(error))
                return redirect("cocreators:leave", story_id=story.pk)
            if form.cleaned_data["action"] == "orphan":
                messages.success(request, f"“{title}” is orphaned: it stays on the archive, without your name.")
            else:
                messages.success(request, f"You are no longer a co-creator of “{title}”.")
            return redirect("stories:dashboard")
    return render(request, "cocreators/leave.html", {"story": story, "others": others})


@login_required
def invitation(request: HttpRequest, story_id: int) -> HttpResponse:
    invitation = (
        Invitation.objects.filter(invitee=request.user, story_id=story_id).select_related("story", "invited_by").first()
    )
    if invitation is None:
        # Answered, withdrawn or its work deleted (or never there: the same words, so they tell
        # nobody who was invited to what), from an old inbox tab or the e-mail's link.
        messages.info(request, "This invitation is no longer open: it was answered or withdrawn, or the work is gone.")
        return redirect("notifications:inbox")
    story = invitation.story
    if request.method == "POST":
        form = AnswerForm(request.POST)
        if form.is_valid():
            try:
                if form.cleaned_data["answer"] == "accept":
                    accept_invitation(story=story, user=request.user)
                else:
                    decline_invitation(story=story, user=request.user)
            except CocreatorError as error:
                messages.error(request, str(error))
                return back_to(request, reverse("notifications:inbox"))
            if form.cleaned_data["answer"] == "accept":
                messages.success(request, f"You are now a co-creator of “{story.title}”.")
                return redirect(story)
            messages.success(request, f"You declined the invitation to co-create “{story.title}”.")
            return back_to(request, reverse("notifications:inbox"))
    authors = story.authors.order_by("username")
    return render(request, "cocreators/invitation.html", {"invitation": invitation, "story": story, "authors": authors})


USERNAME_SUGGESTIONS = 10


@login_required
@require_GET
def usernames(request: HttpRequest) -> JsonResponse:
    """Usernames starting with what the author typed, for the invite field's suggestions
    (static/js/cocreator-names.js): names anyone can see on author pages, for logged-in users only."""
    query = strip_controls(request.GET.get("q", "")).strip()[:150]
    if len(query) < 2:
        return JsonResponse({"results": []})
    names = (
        get_user_model()
        .objects.filter(username__istartswith=query, is_active=True)
        .exclude(username=ORPHAN_ACCOUNT)
        .exclude(pk=request.user.pk)
        .order_by(Lower("username"), "username")
        .values_list("username", flat=True)
    )
    return JsonResponse({"results": list(names[:USERNAME_SUGGESTIONS])})
