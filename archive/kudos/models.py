from django.conf import settings
from django.db import models


class Kudos(models.Model):
    story = models.ForeignKey("stories.Story", on_delete=models.CASCADE, related_name="kudos")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="kudos"
    )
    # A guest is an HMAC of their IP address and the story: never the address itself.
    guest_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "kudos"
        ordering = ["created_at", "id"]
        indexes = [
            # The work page's "kudos from" names the first hundred, oldest first: read in order.
            models.Index(
                fields=["story", "created_at", "id"],
                condition=models.Q(user__isnull=False),
                name="kudos_names_in_order",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["story", "user"], condition=models.Q(user__isnull=False), name="kudos_one_per_user"
            ),
            models.UniqueConstraint(
                fields=["story", "guest_hash"], condition=models.Q(user__isnull=True), name="kudos_one_per_guest"
            ),
            models.CheckConstraint(
                condition=(models.Q(user__isnull=False) & models.Q(guest_hash=""))
                | (models.Q(user__isnull=True) & ~models.Q(guest_hash="")),
                name="kudos_user_or_guest",
            ),
        ]

    def __str__(self) -> str:
        who = f"user {self.user_id}" if self.user_id else "a guest"
        return f"Kudos on {self.story_id} from {who}"
