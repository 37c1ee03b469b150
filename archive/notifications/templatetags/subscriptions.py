from django import template
from django.urls import reverse
from django.utils.safestring import SafeString

from archive.caching.reader_parts import part
from archive.notifications.services import author_subscriber_count, subscribed, subscriber_counts
from archive.series.models import Series
from archive.stories.models import Story
from archive.tags.models import Tag

register = template.Library()


def _route(story=None, author=None, tag=None, series=None) -> tuple[str, object]:
    if story is not None:
        return "story", story.pk
    if author is not None:
        return "author", author.username
    if series is not None:
        return "series", series.pk
    return "tag", tag.name


def button_context(
    user,
    *,
    story: Story | None = None,
    author=None,
    tag: Tag | None = None,
    series=None,
    is_subscribed: bool | None = None,
) -> dict:
    """What the subscribe button shows this reader: one query (none if the caller knows
    `is_subscribed`), for a logged-in reader only."""
    kind, key = _route(story, author, tag, series)
    if is_subscribed is None:
        is_subscribed = subscribed(user=user, story=story, author=author, tag=tag, series=series)
    verb = "unsubscribe" if is_subscribed else "subscribe"
    return {
        "subscribed": is_subscribed,
        "action": reverse(f"notifications:{verb}_{kind}", args=[key]),
        "label": "Unsubscribe" if is_subscribed else "Subscribe",
    }


@register.simple_tag(takes_context=True)
def subscribe_button(context, target) -> SafeString:
    """A subscribe (or unsubscribe) button for a work, an author, a tag or a series; nothing for
    guests, a draft, or one's own work or page. The reader's own part of the page (reader_parts.py)."""
    request = context["request"]
    if isinstance(target, Series):
        # Its creators' view of the page is never kept for others (archive/series/views.py).
        kind, pk, key, off = "series", target.pk, target.title, target.is_created_by(request.user)
    elif isinstance(target, Story):
        kind, pk, key = "story", target.pk, target.pk
        off = target.is_draft or target.is_written_by(request.user)
    elif isinstance(target, Tag):
        # A synonym's works are listed, counted and notified under its canonical tag.
        kind, pk, key, off = "tag", target.merger_id or target.pk, target.name, False
    else:
        kind, pk, key, off = "author", target.pk, target.username, False
    return part(request, "subscribe", kind, pk, key, int(off))


@register.inclusion_tag("notifications/your_subscribers.html")
def your_subscribers(author) -> dict:
    """The dashboard's "Your subscribers": readers following the author, and each posted work."""
    works = list(Story.objects.written_by(author).published().only("title").order_by("title"))
    counts = subscriber_counts(story_ids=[work.pk for work in works])
    followed = sorted(
        ((work, counts[work.pk]) for work in works if work.pk in counts), key=lambda pair: (-pair[1], pair[0].title)
    )
    return {"to_you": author_subscriber_count(author=author), "works": followed}
