"""Subscriptions, and the notifications that posting sends to subscribers.

`notify_*` are called inside the posting transaction (archive/publishing/services.py, and the
comments app once a comment is visible). They only queue a background job (archive/notifications/
tasks.py) once the transaction commits, so a rolled-back post sends nothing, the job reads what
was committed, and the request that posts costs the same however many readers will hear of it.
The job (`send_*`) costs a fixed number of queries however many subscribers there are: one for
the thing posted, one or two for the recipients (with their preferences joined), one
`bulk_create` for the inbox and a few for the e-mail outbox, whose e-mails other jobs send in
batches (archive/core/emails.py). Running a job twice delivers nothing twice.

This app sits below chapters and comments: it never imports them (they call it), and reads
chapters and comments through the story and comment it is given.
"""

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator

from archive.caching import versions
from archive.core import emails as mail
from archive.core import jobs
from archive.notifications.models import (
    DIGEST_KINDS,
    WORK_DIGEST_KINDS,
    Channel,
    DigestEmail,
    Kind,
    Notification,
    Preferences,
    Subscription,
)
from archive.stories.models import Story
from archive.tags.filtering import is_plain
from archive.tags.models import Tag

if TYPE_CHECKING:  # type hints only: importing these at run time would point the dependency upwards
    from archive.chapters.models import Chapter
    from archive.comments.models import Comment
    from archive.series.models import Series

logger = logging.getLogger(__name__)


class SubscriptionError(Exception):
    """A subscription that makes no sense: to yourself, your own work or series, or a draft."""


def _target(*, story: Story | None, author, tag: Tag | None, series: "Series | None" = None) -> dict:
    targets = {"story": story, "author": author, "tag": tag, "series": series}
    chosen = {name: value for name, value in targets.items() if value is not None}
    if len(chosen) != 1:
        raise TypeError("Subscribe to exactly one of story, author, tag or series.")
    if tag is not None and tag.merger_id:
        # A synonym's works are listed, counted and notified under its canonical tag.
        return {"tag_id": tag.merger_id}
    return chosen


@transaction.atomic
def subscribe(
    *, user, story: Story | None = None, author=None, tag: Tag | None = None, series: "Series | None" = None
) -> Subscription:
    """Follow one story, author, tag or series; subscribing twice is one subscription."""
    target = _target(story=story, author=author, tag=tag, series=series)
    if author is not None and author.pk == user.pk:
        raise SubscriptionError("You can't subscribe to yourself.")
    if story is not None and (story.is_draft or story.authors.filter(pk=user.pk).exists()):
        raise SubscriptionError("You can subscribe to other authors' posted works only.")
    if series is not None and series.creators.filter(pk=user.pk).exists():
        raise SubscriptionError("You can subscribe to other authors' series only.")
    subscription, created = Subscription.objects.get_or_create(user=user, **target)
    if created and story is not None:
        add_to_digest(kind=Kind.SUBSCRIBER_TO_YOUR_WORK, story=story, actor_id=user.pk)
    elif created and author is not None:
        add_to_digest(kind=Kind.SUBSCRIBER_TO_YOU, author=author, actor_id=user.pk)
    return subscription


@transaction.atomic
def unsubscribe(
    *, user, story: Story | None = None, author=None, tag: Tag | None = None, series: "Series | None" = None
) -> bool:
    """Stop following; False if there was nothing to stop. A work's or author's digest line
    for the day the subscription was made counts one reader fewer (none: it leaves the inbox)."""
    target = _target(story=story, author=author, tag=tag, series=series)
    subscriptions = Subscription.objects.filter(user=user, **target)
    made = list(subscriptions.values_list("created_at", flat=True)) if story or author else []
    deleted, _ = subscriptions.delete()
    if deleted:
        versions.changed(account_ids=[user.pk])  # their subscribe buttons (archive/accounts/kept.py)
    if made:
        kind, about = (Kind.SUBSCRIBER_TO_YOUR_WORK, story) if story else (Kind.SUBSCRIBER_TO_YOU, author)
        refresh_digests(kind=kind, days=[(about.pk, digest_day(created_at)) for created_at in made])
    return deleted > 0


def subscribed(
    *, user, story: Story | None = None, author=None, tag: Tag | None = None, series: "Series | None" = None
) -> bool:
    if not user.is_authenticated:
        return False
    target = _target(story=story, author=author, tag=tag, series=series)
    return Subscription.objects.filter(user=user, **target).exists()


def subscriber_counts(*, story_ids: list[int]) -> dict[int, int]:
    """How many readers follow each of these works (only works with any): one query."""
    rows = Subscription.objects.filter(story__in=story_ids).order_by().values("story").annotate(n=Count("pk"))
    return {row["story"]: row["n"] for row in rows}


def author_subscriber_count(*, author) -> int:
    return Subscription.objects.filter(author=author).count()


# Sending


@dataclass
class _Recipient:
    user: object
    kinds: list[str] = field(default_factory=list)  # why they hear of it, the most specific first
    text_by_kind: dict[str, str] = field(default_factory=dict)

    def add(self, kind: str, text: str) -> None:
        if kind not in self.kinds:
            self.kinds.append(kind)
            self.text_by_kind[kind] = text

    def first_wanted(self, channel: str) -> str | None:
        preferences = Preferences.of(self.user)
        return next((kind for kind in self.kinds if preferences.wants(kind, channel)), None)


@dataclass
class _Message:
    """What one posting tells its recipients; the text differs with the reason they hear of it."""

    story_id: int
    url: str
    subject: str
    email_body: str
    chapter_id: int | None = None
    comment_id: int | None = None

    @property
    def key(self) -> str:
        """What the message tells of, "comment:12": one e-mail of it per address (the outbox's key)."""
        if self.comment_id:
            return f"comment:{self.comment_id}"
        if self.chapter_id:
            return f"chapter:{self.chapter_id}"
        return f"story:{self.story_id}"


def _users_with_preferences():
    return get_user_model().objects.filter(is_active=True).select_related("notification_preferences")


def _deliver(message: _Message, recipients: list[_Recipient]) -> None:
    """One inbox row and at most one e-mail per recipient, each as their preferences allow."""
    notifications = []
    emails = []
    for recipient in recipients:
        kind = recipient.first_wanted(Channel.INBOX)
        if kind:
            notifications.append(
                Notification(
                    recipient=recipient.user,
                    kind=kind,
                    story_id=message.story_id,
                    chapter_id=message.chapter_id,
                    comment_id=message.comment_id,
                    text=recipient.text_by_kind[kind][:500],
                    url=message.url,
                )
            )
        kind = recipient.first_wanted(Channel.EMAIL)
        # Only to an address its owner confirmed: nobody can sign someone else's address up.
        if kind and recipient.user.email and recipient.user.email_verified:
            emails.append((recipient.user.email, recipient.text_by_kind[kind]))
    # ignore_conflicts: the unique constraints keep a second delivery of the same thing out, and
    # the outbox's (key, address) a second e-mail, should the fan-out run again.
    Notification.objects.bulk_create(notifications, ignore_conflicts=True)
    # Their headers' unread counts (kept with their accounts: archive/accounts/kept.py).
    versions.changed(account_ids=[notification.recipient_id for notification in notifications])
    mail.queue_all(_email(address, text, message) for address, text in emails)


def _email(address: str, text: str, message: _Message):
    """One notification e-mail, plain text and HTML (templates/notifications/email/notification.*)."""
    return mail.render(
        to=address,
        key=message.key,
        template="notifications/email/notification",
        context={
            "subject": message.subject,
            "text": text,
            "path": message.url,
            "body": message.email_body,
            "preferences_path": reverse("notifications:preferences"),
        },
    )


def _names(users) -> str:
    names = sorted(user.username for user in users)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _after_commit(task_name: str, **ids) -> None:
    # The tasks call back into this module, so they are looked up when needed.
    from archive.notifications import tasks

    jobs.after_commit(getattr(tasks, task_name), **ids)


def notify_story_posted(*, story: Story) -> None:
    """Tell subscribers of the story's authors, tags and series, and readers whose saved searches
    it matches, about a newly posted work, after commit."""
    _after_commit("story_posted", story_id=story.pk)


def send_story_posted(*, story_id: int) -> None:
    story = Story.objects.filter(pk=story_id).only("title", "published_at", "filter_ids").first()
    if story is None or story.is_draft:
        return
    authors = list(story.authors.only("username"))
    author_ids = {author.pk for author in authors}
    tag_ids = [tag_id for tag_id in story.filter_ids if is_plain(tag_id)]
    subscriptions = list(
        Subscription.objects.filter(
            Q(author__in=author_ids)
            | Q(tag__in=tag_ids)
            | Q(tag__merger__in=tag_ids)
            | Q(series__series_works__story=story_id)
        )
        .exclude(user__in=author_ids)
        .filter(user__is_active=True)
        .select_related("user__notification_preferences", "tag", "series")
        .order_by("pk")
    )
    by = _names(authors)
    recipients: dict[int, _Recipient] = {}
    for subscription in subscriptions:
        recipient = recipients.setdefault(subscription.user_id, _Recipient(subscription.user))
        if subscription.author_id:
            recipient.add(Kind.NEW_STORY_BY_AUTHOR, f"{by} posted a new work: “{story.title}”")
        if subscription.series_id:
            recipient.add(Kind.NEW_STORY_IN_SERIES, _in_series_text(subscription.series, story.title, by))
    # Authors and series first: "by someone you follow", "the next part" are the more specific reasons.
    for subscription in subscriptions:
        if subscription.tag_id:
            recipients[subscription.user_id].add(
                Kind.NEW_STORY_IN_TAG, f"New work in {subscription.tag.name}: “{story.title}” by {by}"
            )
    # Saved searches last: the least specific reason, and one line and e-mail a reader however many match.
    for saved in _saved_searches_matching(story_id=story.pk, exclude_user_ids=author_ids):
        recipients.setdefault(saved.user_id, _Recipient(saved.user)).add(
            Kind.SAVED_SEARCH_MATCH, f"New work for your saved search “{saved.name}”: “{story.title}” by {by}"
        )
    message = _Message(
        story_id=story.pk, url=story.get_absolute_url(), subject=f"New work: {story.title}", email_body=""
    )
    _deliver(message, list(recipients.values()))


def _saved_searches_matching(*, story_id: int, exclude_user_ids) -> list:
    """The saved searches a newly posted work matches (archive/search/alerts.py), in a fixed number
    of queries. The search app sits above this one, so it is imported here, when asked."""
    from archive.search.alerts import saved_searches_matching

    return saved_searches_matching(story_id=story_id, exclude_user_ids=exclude_user_ids)


def _in_series_text(series: "Series", title: str, by: str) -> str:
    return f"New work in the series “{series.title}”: “{title}” by {by}"


def notify_story_in_series(*, story: Story, series: "Series") -> None:
    """Tell the series' subscribers that a posted work joined it, after commit (a work posted
    later tells them when it is posted: `notify_story_posted`). Each reader hears of a work once."""
    _after_commit("story_in_series", story_id=story.pk, series_id=series.pk)


def send_story_in_series(*, story_id: int, series_id: int) -> None:
    story = Story.objects.filter(pk=story_id).only("title", "published_at").first()
    if story is None or story.is_draft:
        return
    authors = list(story.authors.only("username"))
    subscriptions = (
        Subscription.objects.filter(series=series_id, series__series_works__story=story_id, user__is_active=True)
        .exclude(user__in=[author.pk for author in authors])
        .select_related("user__notification_preferences", "series")
        .order_by("pk")
    )
    by = _names(authors)
    recipients = []
    for subscription in subscriptions:
        recipient = _Recipient(subscription.user)
        recipient.add(Kind.NEW_STORY_IN_SERIES, _in_series_text(subscription.series, story.title, by))
        recipients.append(recipient)
    message = _Message(
        story_id=story.pk, url=story.get_absolute_url(), subject=f"New work: {story.title}", email_body=""
    )
    _deliver(message, recipients)


def notify_chapter_posted(*, chapter: "Chapter") -> None:
    """Tell the story's subscribers about a newly posted chapter of a posted work, after commit."""
    _after_commit("chapter_posted", story_id=chapter.story_id, chapter_id=chapter.pk)


def send_chapter_posted(*, story_id: int, chapter_id: int) -> None:
    story = Story.objects.filter(pk=story_id).only("title", "published_at").first()
    if story is None or story.is_draft:
        return
    chapter = story.chapters.posted().filter(pk=chapter_id).only("story_id", "position", "title").first()
    if chapter is None:
        return
    # Readers number posted chapters only.
    chapter.number = story.chapters.posted().filter(position__lte=chapter.position).count()
    subscriptions = (
        Subscription.objects.filter(story=story, user__is_active=True)
        .exclude(user__stories=story)
        .select_related("user__notification_preferences")
        .order_by("pk")
    )
    text = f"New chapter of “{story.title}”: {chapter.heading}"
    recipients = []
    for subscription in subscriptions:
        recipient = _Recipient(subscription.user)
        recipient.add(Kind.NEW_CHAPTER, text)
        recipients.append(recipient)
    message = _Message(
        story_id=story.pk,
        chapter_id=chapter.pk,
        url=chapter.get_absolute_url(),
        subject=f"New chapter: {story.title}",
        email_body="",
    )
    _deliver(message, recipients)


def notify_comment_posted(*, comment: "Comment") -> None:
    """Tell the work's authors, and the author of the comment replied to, after commit.

    Call it once the comment is visible to readers (approved, where the work moderates).
    """
    _after_commit("comment_posted", comment_id=comment.pk)


EXCERPT_CHARACTERS = 140


def _excerpt(body: str) -> str:
    """The start of a comment, on one line, for its notification."""
    return Truncator(" ".join(strip_tags(body).split())).chars(EXCERPT_CHARACTERS)


def _chapter_of(chapter: "Chapter") -> str:
    """ "Chapter 2 of " where the work has more than one posted chapter (as readers number them)."""
    counts = (
        type(chapter)
        .objects.posted()
        .filter(story_id=chapter.story_id)
        .aggregate(number=Count("pk", filter=Q(position__lte=chapter.position)), total=Count("pk"))
    )
    return f"Chapter {counts['number']} of " if counts["total"] > 1 else ""


def send_comment_posted(*, comment_id: int) -> None:
    # The comments app sits above this one: its model is looked up by name.
    comment = (
        apps.get_model("comments", "Comment")
        ._base_manager.filter(pk=comment_id)
        .select_related("story", "chapter", "user", "parent")
        # What the message says of the work and the chapter: not the chapter's text.
        .only(
            *("body", "approved", "deleted_at", "guest_name", "story_id", "chapter_id", "user_id", "parent_id"),
            *("story__title", "story__published_at", "chapter__position", "chapter__published_at"),
            *("chapter__story_id", "user__username", "parent__user_id"),
        )
        .first()
    )
    if comment is None or comment.story.is_draft or comment.chapter.is_draft:
        return
    if not comment.approved or comment.is_deleted:
        return
    story = comment.story
    name = comment.user.username if comment.user_id else (comment.guest_name or "A guest")
    replied_to_id = comment.parent.user_id if comment.parent_id else None
    # The authors' ids first, then their accounts by id: as one OR'd condition PostgreSQL read
    # every account in the archive for each comment.
    author_ids = set(Story.authors.through.objects.filter(story_id=story.pk).values_list("user_id", flat=True))
    users = (
        _users_with_preferences()
        .filter(pk__in=sorted(author_ids | ({replied_to_id} if replied_to_id else set())))
        .exclude(pk=comment.user_id)
        .order_by("pk")
    )
    where = f"{_chapter_of(comment.chapter)}“{story.title}”: “{_excerpt(comment.body)}”"
    recipients = []
    for user in users:
        recipient = _Recipient(user)
        # A reply to an author's own comment is the more specific reason to hear of it.
        if user.pk == replied_to_id:
            recipient.add(Kind.REPLY_TO_YOUR_COMMENT, f"{name} replied to your comment on {where}")
        if user.pk in author_ids:
            recipient.add(Kind.COMMENT_ON_YOUR_WORK, f"{name} commented on {where}")
        recipients.append(recipient)
    message = _Message(
        story_id=story.pk,
        comment_id=comment.pk,
        url=comment.get_absolute_url(),
        subject=f"New comment on {story.title}",
        email_body=comment.body,
    )
    _deliver(message, recipients)


# Digests: what readers do with a work, counted per work and day in its authors' inboxes

# Each kind's text for one reader, and what follows the number for more than one.
_DIGEST_TEXT = {
    Kind.KUDOS_ON_YOUR_WORK: ("A reader left kudos on “{title}”", " readers left kudos on “{title}”"),
    Kind.BOOKMARK_OF_YOUR_WORK: ("A reader bookmarked “{title}”", " readers bookmarked “{title}”"),
    Kind.SUBSCRIBER_TO_YOUR_WORK: ("A reader subscribed to “{title}”", " readers subscribed to “{title}”"),
    Kind.SUBSCRIBER_TO_YOU: ("A reader subscribed to you", " readers subscribed to you"),
}


def _digest_words(kind: str, title: str) -> tuple[str, str]:
    """A digest line's text for one reader, and what follows the number for more."""
    one, more = _DIGEST_TEXT[kind]
    title = title[:400]  # the line stays within its 500
    return one.format(title=title), more.format(title=title)


def _digest_text(kind: str, count: int, title: str = "") -> str:
    one, more = _digest_words(kind, title)
    return one if count == 1 else f"{count}{more}"


def digest_day(moment: datetime) -> date:
    """The UTC day under which a kudos, bookmark or subscription made at `moment` is counted."""
    return moment.astimezone(UTC).date()


def _digest_rows(kind: str) -> tuple[QuerySet, str]:
    """The rows a digest line counts, and their column naming the line's work (or, for new
    subscribers to an author, the author). The kudos and bookmarks apps sit above this one, so
    their models are looked up by name (as archive/stories/counts.py does)."""
    if kind == Kind.KUDOS_ON_YOUR_WORK:
        return apps.get_model("kudos", "Kudos").objects.all(), "story_id"
    if kind == Kind.BOOKMARK_OF_YOUR_WORK:
        return apps.get_model("bookmarks", "Bookmark").objects.public(), "story_id"
    if kind == Kind.SUBSCRIBER_TO_YOUR_WORK:
        return Subscription.objects.filter(story__isnull=False), "story_id"
    if kind == Kind.SUBSCRIBER_TO_YOU:
        return Subscription.objects.filter(author__isnull=False), "author_id"
    raise ValueError(f"{kind} is not a digest")


def _digest_counts(kind: str, *, days: Iterable[date], targets: Iterable[int] | None = None) -> dict:
    """How many readers each digest line of `kind` counts: {(work or author id, UTC day): n}, from
    the rows themselves, for these days (and only these works or authors, if given). A work's
    authors' own doings (bookmarking it) never count, as `add_to_digest` leaves them out."""
    rows, target = _digest_rows(kind)
    rows = rows.annotate(day=TruncDate("created_at", tzinfo=UTC)).filter(day__in=list(days))
    if targets is not None:
        rows = rows.filter(**{f"{target}__in": list(targets)})
    if target == "story_id":
        by_author = Story.authors.through.objects.filter(story_id=OuterRef("story_id"), user_id=OuterRef("user_id"))
        rows = rows.exclude(Exists(by_author))
    counted = rows.order_by().values(target, "day").annotate(n=Count("pk"))
    return {(row[target], row["day"]): row["n"] for row in counted}


@transaction.atomic
def refresh_digests(*, kind: str, days: Iterable[tuple[int, date]]) -> None:
    """Recount the digest lines of `kind` for these (work id, or author id for new subscribers to
    an author; UTC day) pairs from the rows they count, once some of those rows went: kudos taken
    back in the admin, an account deleted. A line that counts fewer readers says so, and one that
    counts none leaves its inbox (and its unread count); read or unread, each stays as it was.

    Adding is `add_to_digest`'s one upsert; taking away recounts, so it can't drift. The lines are
    locked before the rows are counted: a kudos left meanwhile is either counted here or adds
    itself to the recounted line once this commits.
    """
    wanted = set(days)
    if not wanted:
        return
    about = "recipient_id" if kind == Kind.SUBSCRIBER_TO_YOU else "story_id"
    targets = {target for target, _ in wanted}
    candidates = Notification.objects.select_for_update().filter(
        kind=kind, day__in={day for _, day in wanted}, **{f"{about}__in": targets}
    )
    lines = [line for line in candidates.order_by("pk") if (getattr(line, about), line.day) in wanted]
    if not lines:
        return
    counts = _digest_counts(kind, days={line.day for line in lines}, targets=targets)
    titles = dict(Story.objects.filter(pk__in=targets).values_list("pk", "title")) if about == "story_id" else {}
    gone, recounted = [], []
    for line in lines:
        count = counts.get((getattr(line, about), line.day), 0)
        if count == 0:
            gone.append(line.pk)
        elif count != line.count:
            line.count, line.text = count, _digest_text(kind, count, titles.get(line.story_id, ""))
            recounted.append(line)
    Notification.objects.filter(pk__in=gone).delete()
    Notification.objects.bulk_update(recounted, ["count", "text"])
    versions.changed(account_ids=[line.recipient_id for line in lines])  # their unread counts


def _digest_url(kind: str, story: Story) -> str:
    if kind == Kind.KUDOS_ON_YOUR_WORK:
        return story.get_absolute_url() + "#kudos"
    if kind == Kind.BOOKMARK_OF_YOUR_WORK:
        return reverse("bookmarks:for_work", args=[story.pk])
    return story.get_absolute_url()


def add_to_digest(*, kind: str, actor_id: int | None, story: Story | None = None, author=None) -> None:
    """Count one reader's kudos, public bookmark or subscription in today's line for this work in
    each of its authors' inboxes (or, for a subscription to an author, in that author's), unless
    they turned that kind off, and mark the line unread again.

    One statement whoever and however many the authors are: an upsert on the line's unique
    (recipient, work, kind, day), in the caller's transaction. So a kudos costs one more write, not
    a row per kudos nor a query per author, and the inbox grows by one line a work a day.
    """
    if kind not in DIGEST_KINDS or (kind == Kind.SUBSCRIBER_TO_YOU) != (author is not None):
        raise ValueError(f"{kind} is not a digest of a work, or of an author, as given")
    one, more = _digest_words(kind, story.title if story is not None else "")
    table = Notification._meta.db_table
    users = get_user_model()._meta.db_table
    preferences = Preferences._meta.db_table
    wants = Preferences.field_name(kind, Channel.INBOX)
    if story is not None:
        # Literals, not parameters: SQLite matches the conflict target's WHERE to the index's own.
        kinds = ", ".join(f"'{kind}'" for kind in WORK_DIGEST_KINDS)
        recipients = f"FROM {Story.authors.through._meta.db_table} a JOIN {users} u ON u.id = a.user_id"
        which, target = "a.story_id = %s", story.pk
        conflict = f"(recipient_id, story_id, kind, day) WHERE kind IN ({kinds})"
        url = _digest_url(kind, story)
    else:
        recipients = f"FROM {users} u"
        which, target = "u.id = %s", author.pk
        conflict = f"(recipient_id, kind, day) WHERE kind = '{Kind.SUBSCRIBER_TO_YOU}'"
        url = author.get_absolute_url()
    now = timezone.now()
    sql = (
        f"INSERT INTO {table} (recipient_id, kind, story_id, text, url, created_at, day, count)"  # noqa: S608 - our tables
        f" SELECT u.id, %s, %s, %s, %s, %s, %s, 1 {recipients} LEFT JOIN {preferences} p ON p.user_id = u.id"
        f" WHERE {which} AND u.id <> %s AND u.is_active AND (p.id IS NULL OR p.{wants})"
        f" ON CONFLICT {conflict}"
        f" DO UPDATE SET count = {table}.count + 1, text = CAST({table}.count + 1 AS TEXT) || %s,"
        " created_at = excluded.created_at, read_at = NULL"
        " RETURNING recipient_id"
    )
    params = [
        kind,
        story.pk if story is not None else None,
        one,
        url,
        connection.ops.adapt_datetimefield_value(now),
        connection.ops.adapt_datefield_value(digest_day(now)),
        target,
        actor_id or 0,
        more,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        recipients = [row[0] for row in cursor.fetchall()]
    versions.changed(account_ids=recipients)  # the line is unread again: their headers' counts


# The daily digest e-mail


@dataclass
class _DigestLine:
    kind: str
    text: str
    url: str


def email_digests(*, day: date) -> int:
    """E-mail each author who wants it, at a confirmed address, one message with `day`'s digest
    lines (a UTC day): "3 readers left kudos on “Seeds”", a line a work and kind, as the inbox
    shows them. They are counted from the kudos, bookmarks and subscriptions themselves, so an
    author who turned the inbox lines off and e-mail on gets them too. Returns how many were sent.

    Run it once a day for the day before (Celery beat's `send_digests`, or `manage.py send_digests`
    from cron). An author already sent that day's digest is skipped, so a second run sends nothing
    twice; the e-mails go through the outbox, so a mail server that fails delays them.
    """
    lines: dict[int, list[_DigestLine]] = defaultdict(list)
    for kind in WORK_DIGEST_KINDS:
        counts = {story_id: n for (story_id, _), n in _digest_counts(kind, days=[day]).items()}
        stories = Story.objects.filter(pk__in=counts).only("title", "published_at").order_by("title", "pk")
        authors = defaultdict(list)
        for story_id, user_id in Story.authors.through.objects.filter(story_id__in=counts).values_list(
            "story_id", "user_id"
        ):
            authors[story_id].append(user_id)
        for story in stories:
            line = _DigestLine(kind, _digest_text(kind, counts[story.pk], story.title), _digest_url(kind, story))
            for user_id in authors[story.pk]:
                lines[user_id].append(line)
    followed = {author_id: n for (author_id, _), n in _digest_counts(Kind.SUBSCRIBER_TO_YOU, days=[day]).items()}
    already_sent = DigestEmail.objects.filter(user=OuterRef("pk"), day=day)
    users = (
        _users_with_preferences()
        .filter(pk__in=[*lines, *followed], email_verified=True)
        .exclude(email="")
        .exclude(Exists(already_sent))
        .order_by("pk")
    )
    messages, sent = [], []
    for user in users:
        wanted = list(lines[user.pk])
        if user.pk in followed:
            kind = Kind.SUBSCRIBER_TO_YOU
            wanted.append(_DigestLine(kind, _digest_text(kind, followed[user.pk]), user.get_absolute_url()))
        preferences = Preferences.of(user)
        wanted = [line for line in wanted if preferences.wants(line.kind, Channel.EMAIL)]
        if not wanted:
            continue
        wanted.sort(key=lambda line: DIGEST_KINDS.index(line.kind))  # kudos first, then bookmarks...
        messages.append(
            mail.render(
                to=user.email,
                key=f"digest:{day.isoformat()}",
                template="notifications/email/digest",
                context={"day": day, "lines": wanted, "preferences_path": reverse("notifications:preferences")},
            )
        )
        sent.append(DigestEmail(user=user, day=day))
    with transaction.atomic():
        mail.queue_all(messages)
        DigestEmail.objects.bulk_create(sent, ignore_conflicts=True)
    return len(messages)


def yesterday() -> date:
    """The last whole UTC day: the one `send_digests` mails by default."""
    return digest_day(timezone.now()) - timedelta(days=1)
