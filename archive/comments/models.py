from django.conf import settings
from django.db import models

MAX_COMMENT_LENGTH = 10_000


class Comment(models.Model):
    chapter = models.ForeignKey("chapters.Chapter", on_delete=models.CASCADE, related_name="comments")
    # Denormalised from the chapter so per-story counts and moderation need no join.
    story = models.ForeignKey("stories.Story", on_delete=models.CASCADE, related_name="comments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["chapter", "created_at"], name="comment_chapter_created")]

    def __str__(self) -> str:
        return f"Comment {self.pk} by {self.user_id}"

    def get_absolute_url(self) -> str:
        return f"{self.chapter.get_absolute_url()}#comment-{self.pk}"
