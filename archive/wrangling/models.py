from django.conf import settings
from django.db import models


class WranglingLog(models.Model):
    """Who changed what a tag means, and when."""

    class Action(models.TextChoices):
        CANONICAL = "canonical", "Made canonical"
        UNCANONICAL = "uncanonical", "Made not canonical"
        SYNONYM = "synonym", "Made a synonym"
        FANDOMS = "fandoms", "Set fandoms"
        CHARACTERS = "characters", "Linked characters"
        MERGE = "merge", "Merged"
        RENAME = "rename", "Renamed"
        DELETE = "delete", "Deleted"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    tag = models.ForeignKey("tags.Tag", null=True, blank=True, on_delete=models.SET_NULL, related_name="log")
    tag_name = models.CharField(max_length=150, help_text="The tag's name when it was wrangled.")
    action = models.CharField(max_length=20, choices=Action.choices)
    detail = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.tag_name}"
