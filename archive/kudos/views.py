from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from archive.kudos.services import leave_kudos
from archive.stories.models import Story


@require_POST
def kudos_create(request: HttpRequest, story_id: int) -> HttpResponse:
    # Posted works only: drafts take no kudos, not even from their authors.
    story = get_object_or_404(Story.objects.visible_to(request.user).prefetch_related("authors"), pk=story_id)
    if story.is_written_by(request.user):
        messages.error(request, "You can't leave kudos on your own work.")
    elif leave_kudos(story=story, user=request.user, ip=request.META.get("REMOTE_ADDR", "")):
        messages.success(request, "Thank you for leaving kudos!")
    else:
        messages.info(request, "You have already left kudos here. :)")
    return redirect(f"{story.get_absolute_url()}#kudos")
