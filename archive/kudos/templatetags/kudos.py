from django import template

from archive.kudos.models import Kudos

register = template.Library()


@register.inclusion_tag("kudos/kudos_section.html", takes_context=True)
def kudos_section(context, story) -> dict:
    """The kudos button and who left kudos: one query, however many."""
    kudos = list(Kudos.objects.filter(story=story).select_related("user").order_by("created_at", "id"))
    names = [k.user.username for k in kudos if k.user_id]
    return {
        "story": story,
        "user": context["user"],
        "total": len(kudos),
        "names": names,
        "guests": len(kudos) - len(names),
        "can_leave_kudos": not story.is_draft and not story.is_written_by(context["user"]),
    }
