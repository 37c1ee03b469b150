from django import template

from archive.kudos.models import Kudos

register = template.Library()


@register.inclusion_tag("kudos/kudos_section.html", takes_context=True)
def kudos_section(context, story) -> dict:
    return kudos_context(story, context["user"])


NAMES_SHOWN = 100


def kudos_context(story, user) -> dict:
    """The kudos button and who left kudos, naming the first hundred: no query for a work without
    kudos, one for most (the total is the work's `kudos_count`), two past a hundred named."""
    total = story.kudos_count
    names = (
        list(
            Kudos.objects.filter(story=story, user__isnull=False)
            .order_by("created_at", "id")
            .values_list("user__username", flat=True)[:NAMES_SHOWN]
        )
        if total
        else []
    )
    registered = len(names)
    if registered == NAMES_SHOWN:
        registered = Kudos.objects.filter(story=story, user__isnull=False).count()
    return {
        "story": story,
        "user": user,
        "total": total,
        "names": names,
        "more_names": registered - len(names),
        "guests": max(0, total - registered),
        "can_leave_kudos": not story.is_draft and not story.is_written_by(user),
    }
