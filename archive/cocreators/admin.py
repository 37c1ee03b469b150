from django.contrib import admin

from archive.cocreators.models import Invitation
from archive.cocreators.services import withdraw_invitation


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Invitations waiting for an answer. Authors make them (nobody is credited but by accepting),
    so staff can only look, or withdraw one, which takes it out of the invitee's inbox too."""

    list_display = ["__str__", "story", "invitee", "invited_by", "created_at"]
    search_fields = ["invitee__username", "story__title"]
    raw_id_fields = ["story", "invitee", "invited_by"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def delete_model(self, request, obj: Invitation) -> None:
        withdraw_invitation(invitation=obj)

    def delete_queryset(self, request, queryset) -> None:
        for invitation in queryset:
            withdraw_invitation(invitation=invitation)
