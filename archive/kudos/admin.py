"""Kudos in the admin: read-only, and removing them goes through `remove_kudos`, which recounts."""

from django.contrib import admin

from archive.kudos.models import Kudos
from archive.kudos.services import remove_kudos


@admin.register(Kudos)
class KudosAdmin(admin.ModelAdmin):
    list_display = ["__str__", "user", "story", "created_at"]
    list_filter = ["created_at"]
    search_fields = ["user__username", "story__title"]
    readonly_fields = ["story", "user", "guest_hash", "created_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def delete_model(self, request, obj: Kudos) -> None:
        remove_kudos(kudos=obj)

    def delete_queryset(self, request, queryset) -> None:
        for kudos in queryset:
            remove_kudos(kudos=kudos)
