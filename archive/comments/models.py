from django.conf import settings
from django.db import models

MAX_COMMENT_LENGTH = 10_000
MAX_GUEST_NAME_LENGTH = 100
# Replies nest this deep on the page; deeper ones line up at this depth, "in reply to" someone.
MAX_INDENT = 5
# What a deleted account's comments are signed with.
DELETED_ACCOUNT = "(deleted account)"


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(approved=True)

    def counted(self):
        """The comments a work's comment count counts: those every reader sees (approved, not deleted)."""
        return self.filter(approved=True, deleted_at__isnull=True)

    def pending(self):
        return self.filter(approved=False, deleted_at__isnull=True)

    def visible_to(self, user, *, story, own_ids=()):
        """Approved comments, plus the held ones this reader may see: all of them for the story's
        authors, their own for everyone else (a guest's own are the ids in their session)."""
        if story.is_written_by(user):
            return self
        mine = models.Q(pk__in=list(own_ids))
        if user.is_authenticated:
            mine |= models.Q(user=user)
        return self.filter(models.Q(approved=True) | mine)


class Comment(models.Model):
    chapter = models.ForeignKey("chapters.Chapter", on_delete=models.CASCADE, related_name="comments")
    # Denormalised from the chapter so per-story counts and moderation need no join.
    story = models.ForeignKey("stories.Story", on_delete=models.CASCADE, related_name="comments")
    # A deleted account's comments stay, with no user and no guest name: "(deleted account)".
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments"
    )
    # A guest's name is shown; their e-mail address never is.
    guest_name = models.CharField(max_length=MAX_GUEST_NAME_LENGTH, blank=True)
    guest_email = models.EmailField(blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    # The top-level comment of this one's thread (empty for a top-level comment), so a page of
    # threads loads with one query for their roots and one for everything under them.
    thread = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    depth = models.PositiveSmallIntegerField(default=0)
    body = models.TextField()
    approved = models.BooleanField(default=True, help_text="False while held for the authors' approval.")
    frozen = models.BooleanField(default=False, help_text="No new replies.")
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    # A deleted comment that has replies stays, empty, so its thread keeps its shape.
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["chapter", "created_at"], name="comment_chapter_created"),
            models.Index(
                fields=["chapter", "created_at", "id"],
                condition=models.Q(parent__isnull=True),
                name="comment_chapter_threads",
            ),
            models.Index(fields=["thread", "created_at"], name="comment_thread_created"),
            models.Index(fields=["story"], condition=models.Q(approved=False), name="comment_story_pending"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False, guest_name="", guest_email="")
                | models.Q(user__isnull=True) & ~models.Q(guest_name="")
                | models.Q(user__isnull=True, guest_name="", guest_email=""),
                name="comment_user_guest_or_deleted_account",
            ),
            models.CheckConstraint(
                condition=models.Q(parent__isnull=True, thread__isnull=True, depth=0)
                | models.Q(parent__isnull=False, thread__isnull=False, depth__gte=1),
                name="comment_thread_shape",
            ),
        ]

    def __str__(self) -> str:
        return f"Comment {self.pk} by {self.author_name}"

    def get_absolute_url(self) -> str:
        return f"{self.chapter.get_absolute_url()}?comment={self.pk}#comment-{self.pk}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_guest(self) -> bool:
        return self.user_id is None and self.guest_name != ""

    @property
    def is_from_deleted_account(self) -> bool:
        return self.user_id is None and self.guest_name == ""

    @property
    def author_name(self) -> str:
        if self.user_id:
            return self.user.username
        return self.guest_name or DELETED_ACCOUNT


class CommentBlock(models.Model):
    """An author's refusal of one user's comments on every work they wrote."""

    blocker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_blocks")
    blocked = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="comment_block_unique"),
            models.CheckConstraint(condition=~models.Q(blocker=models.F("blocked")), name="comment_block_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.blocker_id} blocks {self.blocked_id}"
