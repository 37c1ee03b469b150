from django import template
from django.db.models import Count

from archive.kudos.models import Kudos

register = template.Library()


@register.inclusion_tag("kudos/kudos_section.html", takes_context=True)
def kudos_section(context, story) -> dict:
    return kudos_context(story, context["user"])


NAMES_SHOWN = 100


def kudos_context(story, user) -> dict:
    """The kudos button and who left kudos: two queries however many, naming the first hundred."""
    counts = Kudos.objects.filter(story=story).aggregate(total=Count("pk"), registered=Count("user"))
    names = list(
        Kudos.objects.filter(story=story, user__isnull=False)
        .order_by("created_at", "id")
        .values_list("user__username", flat=True)[:NAMES_SHOWN]
    )
    return {
        "story": story,
        "user": user,
        "total": counts["total"],
        "names": names,
        "more_names": counts["registered"] - len(names),
        "guests": counts["total"] - counts["registered"],
        "can_leave_kudos": not story.is_draft and not story.is_written_by(user),
    }
