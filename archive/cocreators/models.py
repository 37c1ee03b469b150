from django.conf import settings
from django.db import models
from django.db.models import F, Q


class Invitation(models.Model):
    """A work's author asking another user to be credited as its co-creator.

    A row is an invitation still waiting for its answer: accepting adds the invitee to the work's
    authors and deletes it, and so do declining and the authors' withdrawing it
    (archive/cocreators/services.py). Nobody is credited without one.
    """

    story = models.ForeignKey("stories.Story", on_delete=models.CASCADE, related_name="cocreator_invitations")
    invitee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cocreator_invitations"
    )
    # Who asked; the invitation still stands for the work if they leave it or delete their account.
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["story", "invitee"], name="invitation_once_per_work"),
            models.CheckConstraint(condition=~Q(invitee=F("invited_by")), name="invitation_not_to_yourself"),
        ]

    def __str__(self) -> str:
        return f"{self.invitee_id} invited to co-create {self.story_id}"
