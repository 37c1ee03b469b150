from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from archive.core.fragments import wants_fragment
from archive.core.ratelimits import client_ip, rate_limit
from archive.kudos.services import leave_kudos
from archive.kudos.templatetags.kudos import kudos_context
from archive.stories.models import Story
from archive.stories.querysets import reading_authors


@require_POST
@rate_limit("kudos")
def kudos_create(request: HttpRequest, story_id: int) -> HttpResponse:
    # Posted works only: drafts take no kudos, not even from their authors.
    # Its authors' names; not its search columns (the text's words, as long as the work).
    story = get_object_or_404(
        Story.objects.visible_to(request.user)
        .defer("search_vector", "filter_ids", "role_ids", "main_ids")
        .prefetch_related(reading_authors()),
        pk=story_id,
    )
    if story.is_written_by(request.user):
        level, status = messages.ERROR, "You can't leave kudos on your own work."
    elif leave_kudos(story=story, user=request.user, ip=client_ip(request)):
        level, status = messages.SUCCESS, "Thank you for leaving kudos!"
    else:
        level, status = messages.INFO, "You have already left kudos here. :)"
    if wants_fragment(request):
        # static/js/community.js swaps this section in: no page reload.
        story.refresh_from_db(fields=["kudos_count"])  # recounted by leave_kudos
        return render(request, "kudos/kudos_section.html", {**kudos_context(story, request.user), "status": status})
    messages.add_message(request, level, status)
    return redirect(f"{story.get_absolute_url()}#kudos")
