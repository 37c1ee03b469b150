from django.contrib import admin

from archive.cocreators.models import Invitation


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "story", "invitee", "invited_by", "created_at"]
    search_fields = ["invitee__username", "story__title"]
    raw_id_fields = ["story", "invitee", "invited_by"]
