from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone


class Kind(models.TextChoices):
    NEW_CHAPTER = "new_chapter", "New chapters of works you subscribe to"
    NEW_STORY_BY_AUTHOR = "new_story_by_author", "New works by authors you subscribe to"
    NEW_STORY_IN_TAG = "new_story_in_tag", "New works in tags you subscribe to"
    NEW_STORY_IN_SERIES = "new_story_in_series", "New works in series you subscribe to"
    SAVED_SEARCH_MATCH = "saved_search_match", "New works matching your saved searches"
    COMMENT_ON_YOUR_WORK = "comment_on_your_work", "Comments on your works"
    REPLY_TO_YOUR_COMMENT = "reply_to_your_comment", "Replies to your comments"
    # Digests: one inbox line per work per day that counts up (see DIGEST_KINDS).
    KUDOS_ON_YOUR_WORK = "kudos_on_your_work", "Kudos on your works (one line a work a day)"
    BOOKMARK_OF_YOUR_WORK = "bookmark_of_your_work", "Public bookmarks of your works (one line a work a day)"
    SUBSCRIBER_TO_YOUR_WORK = "subscriber_to_your_work", "New subscribers to your works (one line a work a day)"
    SUBSCRIBER_TO_YOU = "subscriber_to_you", "New subscribers to you (one line a day)"
    # Asks for an answer (archive/cocreators): always in the inbox, with no switch to turn it off.
    COCREATOR_INVITATION = "cocreator_invitation", "Invitations to co-create a work"


class Channel(models.TextChoices):
    INBOX = "inbox", "In my inbox"
    EMAIL = "email", "By e-mail"


def _one_of(*fields: str) -> Q:
    """Exactly one of these columns is set."""
    condition = Q()
    for field in fields:
        others = Q(**{f"{field}__isnull": False})
        for other in fields:
            if other != field:
                others &= Q(**{f"{other}__isnull": True})
        condition |= others
    return condition


class Subscription(models.Model):
    """A reader following one story (new chapters), author, tag or series (new works)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions")
    story = models.ForeignKey(
        "stories.Story", null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="subscribers"
    )
    tag = models.ForeignKey("tags.Tag", null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions")
    series = models.ForeignKey(
        "series.Series", null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=_one_of("story", "author", "tag", "series"), name="subscription_one_target"
            ),
            models.CheckConstraint(condition=~Q(author=F("user")), name="subscription_not_to_yourself"),
            models.UniqueConstraint(
                fields=["user", "story"], condition=Q(story__isnull=False), name="subscription_unique_story"
            ),
            models.UniqueConstraint(
                fields=["user", "author"], condition=Q(author__isnull=False), name="subscription_unique_author"
            ),
            models.UniqueConstraint(
                fields=["user", "tag"], condition=Q(tag__isnull=False), name="subscription_unique_tag"
            ),
            models.UniqueConstraint(
                fields=["user", "series"], condition=Q(series__isnull=False), name="subscription_unique_series"
            ),
        ]
        indexes = [models.Index(fields=["user", "-created_at", "-id"], name="subscription_user_newest")]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.kind} {self.target_id}"

    @property
    def kind(self) -> str:
        return "story" if self.story_id else "author" if self.author_id else "tag" if self.tag_id else "series"

    @property
    def target_id(self) -> int:
        return self.story_id or self.author_id or self.tag_id or self.series_id

    @property
    def target(self):
        return self.story or self.author or self.tag or self.series

    def get_unsubscribe_url(self) -> str:
        if self.story_id:
            return reverse("notifications:unsubscribe_story", args=[self.story_id])
        if self.author_id:
            return reverse("notifications:unsubscribe_author", args=[self.author.username])
        if self.series_id:
            return reverse("notifications:unsubscribe_series", args=[self.series_id])
        return reverse("notifications:unsubscribe_tag", args=[self.tag.name])


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def for_inbox(self, user):
        """A reader's notifications, newest first; the text and link are stored, so no joins."""
        return self.filter(recipient=user).order_by("-created_at", "-id")

    def mark_read(self) -> int:
        return self.unread().update(read_at=timezone.now())


STORY_KINDS = [Kind.NEW_STORY_BY_AUTHOR, Kind.NEW_STORY_IN_TAG, Kind.NEW_STORY_IN_SERIES, Kind.SAVED_SEARCH_MATCH]
COMMENT_KINDS = [Kind.COMMENT_ON_YOUR_WORK, Kind.REPLY_TO_YOUR_COMMENT]
# Readers' doings an author hears of as a daily count per work ("3 readers left kudos on X"),
# like AO3's kudos digest: a line in the inbox that counts up through the day, and the day's lines
# in one e-mail the next day (`manage.py send_digests`), never an e-mail a kudos.
WORK_DIGEST_KINDS = [Kind.KUDOS_ON_YOUR_WORK, Kind.BOOKMARK_OF_YOUR_WORK, Kind.SUBSCRIBER_TO_YOUR_WORK]
DIGEST_KINDS = [*WORK_DIGEST_KINDS, Kind.SUBSCRIBER_TO_YOU]  # the last is about the author, not a work


# Notifications that ask their recipient to answer: each reaches the inbox whatever the
# preferences say, and stays there until it is answered (its sender deletes it then).
QUESTION_KINDS = [Kind.COCREATOR_INVITATION]


def channels_of(kind: str) -> list[str]:
    """Where a kind of notification can go, as its recipient chooses: every kind to the inbox and
    by e-mail, but questions nowhere (they always reach the inbox)."""
    if kind in QUESTION_KINDS:
        return []
    return [Channel.INBOX, Channel.EMAIL]


class Notification(models.Model):
    """One line in a reader's inbox. Text and link are written once, when it is sent."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    # Every notification is about a work but "new subscribers to you", which is about its recipient.
    story = models.ForeignKey(
        "stories.Story", null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    # Plain ids: notifications sit below chapters and comments, and a stale link is harmless.
    chapter_id = models.BigIntegerField(null=True, blank=True)
    comment_id = models.BigIntegerField(null=True, blank=True)
    text = models.CharField(max_length=500)
    url = models.CharField(max_length=500)
    # A digest's UTC day and how many readers it counts so far; None and 1 for everything else.
    day = models.DateField(null=True, blank=True)
    count = models.PositiveIntegerField(default=1, db_default=1)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="notification_kind_valid"),
            models.CheckConstraint(
                condition=~Q(kind=Kind.NEW_CHAPTER) | Q(chapter_id__isnull=False), name="notification_chapter_has_id"
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=COMMENT_KINDS) | Q(comment_id__isnull=False),
                name="notification_comment_has_id",
            ),
            # Each thing reaches each reader once, whichever subscriptions led to it.
            models.UniqueConstraint(
                fields=["recipient", "story"], condition=Q(kind__in=STORY_KINDS), name="notification_once_per_story"
            ),
            models.UniqueConstraint(
                fields=["recipient", "chapter_id"],
                condition=Q(kind=Kind.NEW_CHAPTER),
                name="notification_once_per_chapter",
            ),
            models.UniqueConstraint(
                fields=["recipient", "comment_id"],
                condition=Q(kind__in=COMMENT_KINDS),
                name="notification_once_per_comment",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=DIGEST_KINDS) | Q(day__isnull=False), name="notification_digest_has_day"
            ),
            models.CheckConstraint(
                condition=Q(kind=Kind.SUBSCRIBER_TO_YOU, story__isnull=True)
                | (~Q(kind=Kind.SUBSCRIBER_TO_YOU) & Q(story__isnull=False)),
                name="notification_story_unless_about_you",
            ),
            # The one row a digest's upsert finds (archive/notifications/services.py, add_to_digest).
            models.UniqueConstraint(
                fields=["recipient", "story", "kind", "day"],
                condition=Q(kind__in=WORK_DIGEST_KINDS),
                name="notification_work_digest_once_a_day",
            ),
            models.UniqueConstraint(
                fields=["recipient", "kind", "day"],
                condition=Q(kind=Kind.SUBSCRIBER_TO_YOU),
                name="notification_your_digest_once_a_day",
            ),
            # One line per invitation (archive/cocreators: one invitation per work and invitee).
            models.UniqueConstraint(
                fields=["recipient", "story"],
                condition=Q(kind=Kind.COCREATOR_INVITATION),
                name="notification_one_invitation_per_work",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_inbox"),
            # The header's unread count, and "unread only", read this small index alone.
            models.Index(
                fields=["recipient", "-created_at", "-id"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.recipient_id}: {self.text}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


def _preference(kind: Kind, channel: Channel) -> models.BooleanField:
    return models.BooleanField(f"{kind.label}: {channel.label.lower()}", default=True, db_default=True)


class Preferences(models.Model):
    """Which notifications a reader wants, per kind, in the inbox and by e-mail; all on until changed.

    A reader without a row has every notification on: the row is only written when they change one.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    inbox_new_chapter = _preference(Kind.NEW_CHAPTER, Channel.INBOX)
    email_new_chapter = _preference(Kind.NEW_CHAPTER, Channel.EMAIL)
    inbox_new_story_by_author = _preference(Kind.NEW_STORY_BY_AUTHOR, Channel.INBOX)
    email_new_story_by_author = _preference(Kind.NEW_STORY_BY_AUTHOR, Channel.EMAIL)
    inbox_new_story_in_tag = _preference(Kind.NEW_STORY_IN_TAG, Channel.INBOX)
    email_new_story_in_tag = _preference(Kind.NEW_STORY_IN_TAG, Channel.EMAIL)
    inbox_new_story_in_series = _preference(Kind.NEW_STORY_IN_SERIES, Channel.INBOX)
    email_new_story_in_series = _preference(Kind.NEW_STORY_IN_SERIES, Channel.EMAIL)
    inbox_saved_search_match = _preference(Kind.SAVED_SEARCH_MATCH, Channel.INBOX)
    email_saved_search_match = _preference(Kind.SAVED_SEARCH_MATCH, Channel.EMAIL)
    inbox_comment_on_your_work = _preference(Kind.COMMENT_ON_YOUR_WORK, Channel.INBOX)
    email_comment_on_your_work = _preference(Kind.COMMENT_ON_YOUR_WORK, Channel.EMAIL)
    inbox_reply_to_your_comment = _preference(Kind.REPLY_TO_YOUR_COMMENT, Channel.INBOX)
    email_reply_to_your_comment = _preference(Kind.REPLY_TO_YOUR_COMMENT, Channel.EMAIL)
    inbox_kudos_on_your_work = _preference(Kind.KUDOS_ON_YOUR_WORK, Channel.INBOX)
    email_kudos_on_your_work = _preference(Kind.KUDOS_ON_YOUR_WORK, Channel.EMAIL)
    inbox_bookmark_of_your_work = _preference(Kind.BOOKMARK_OF_YOUR_WORK, Channel.INBOX)
    email_bookmark_of_your_work = _preference(Kind.BOOKMARK_OF_YOUR_WORK, Channel.EMAIL)
    inbox_subscriber_to_your_work = _preference(Kind.SUBSCRIBER_TO_YOUR_WORK, Channel.INBOX)
    email_subscriber_to_your_work = _preference(Kind.SUBSCRIBER_TO_YOUR_WORK, Channel.EMAIL)
    inbox_subscriber_to_you = _preference(Kind.SUBSCRIBER_TO_YOU, Channel.INBOX)
    email_subscriber_to_you = _preference(Kind.SUBSCRIBER_TO_YOU, Channel.EMAIL)

    class Meta:
        verbose_name_plural = "preferences"

    def __str__(self) -> str:
        return f"Notification preferences of {self.user_id}"

    @staticmethod
    def field_name(kind: str, channel: str) -> str:
        return f"{channel}_{kind}"

    def wants(self, kind: str, channel: str) -> bool:
        return getattr(self, self.field_name(kind, channel), False)

    @classmethod
    def of(cls, user) -> "Preferences":
        """A user's preferences from `select_related("notification_preferences")`, or the defaults."""
        try:
            return user.notification_preferences
        except cls.DoesNotExist:
            return cls(user=user)


class DigestEmail(models.Model):
    """One author's digest e-mail for one UTC day, once sent: so a day's digest goes at most once,
    however often `send_digests` runs."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_emails")
    day = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="digest_email_once_a_day")]

    def __str__(self) -> str:
        return f"Digest of {self.day} for {self.user_id}"
