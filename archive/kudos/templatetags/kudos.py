from django import template
from django.template import Context
from django.utils.safestring import SafeString

from archive.caching import versions
from archive.caching.fragments import shared_fragment
from archive.kudos.models import Kudos

register = template.Library()

TEMPLATE = "kudos/kudos_section.html"


@register.simple_tag(takes_context=True)
def kudos_section(context, story) -> SafeString:
    """The work's kudos: its button and who left kudos. On a page rendered for the shared cache
    (never its authors', who get no button) it is the same on every chapter of the work, for
    guests and readers alike, so it is kept under the work's version, which kudos bump."""

    def render() -> str:
        values = {**kudos_context(story, context["user"]), "csrf_token": context.get("csrf_token")}
        return context.template.engine.get_template(TEMPLATE).render(Context(values, autoescape=context.autoescape))

    return shared_fragment(context.get("request"), "kudos", story.pk, TEMPLATE, [versions.work(story.pk)], render)


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
