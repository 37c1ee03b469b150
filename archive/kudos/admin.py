from django.contrib import admin

from archive.kudos.models import Kudos


@admin.register(Kudos)
class KudosAdmin(admin.ModelAdmin):
    list_display = ["__str__", "user", "story", "created_at"]
    list_filter = ["created_at"]
    search_fields = ["user__username", "story__title"]
    raw_id_fields = ["story", "user"]
