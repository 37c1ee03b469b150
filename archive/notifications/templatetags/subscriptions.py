from django import template
from django.contrib.auth import get_user_model
from django.urls import reverse

from archive.notifications.services import subscribed
from archive.stories.models import Story
from archive.tags.models import Tag

register = template.Library()


def _route(story=None, author=None, tag=None) -> tuple[str, object]:
    if story is not None:
        return "story", story.pk
    if author is not None:
        return "author", author.username
    return "tag", tag.name


def button_context(user, *, story: Story | None = None, author=None, tag: Tag | None = None) -> dict:
    """What the subscribe button shows this reader: one query, for a logged-in reader only."""
    kind, key = _route(story, author, tag)
    is_subscribed = subscribed(user=user, story=story, author=author, tag=tag)
    verb = "unsubscribe" if is_subscribed else "subscribe"
    return {
        "subscribed": is_subscribed,
        "action": reverse(f"notifications:{verb}_{kind}", args=[key]),
        "label": "Unsubscribe" if is_subscribed else "Subscribe",
    }


def _can_subscribe(user, target) -> bool:
    if not user.is_authenticated:
        return False
    if isinstance(target, Story):
        return not target.is_draft and not target.is_written_by(user)
    if isinstance(target, get_user_model()):
        return target.pk != user.pk
    return isinstance(target, Tag)


@register.inclusion_tag("notifications/subscribe_button.html", takes_context=True)
def subscribe_button(context, target) -> dict:
    """A subscribe (or unsubscribe) button for a work, an author or a tag; nothing for guests, a
    draft, or one's own work or page."""
    user = context["user"]
    if not _can_subscribe(user, target):
        return {"show": False}
    if isinstance(target, Story):
        what, description = {"story": target}, "new chapters of this work"
    elif isinstance(target, Tag):
        what, description = {"tag": target}, f"new works tagged {target.name}"
    else:
        what, description = {"author": target}, f"new works by {target.username}"
    request = context.get("request")
    return {
        "show": True,
        "description": description,
        "csrf_token": context.get("csrf_token"),
        "next": request.get_full_path() if request else "",
        **button_context(user, **what),
    }
