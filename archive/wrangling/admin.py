from django.contrib import admin

from archive.wrangling.models import WranglingLog


@admin.register(WranglingLog)
class WranglingLogAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "action", "tag_name", "detail"]
    list_filter = ["action", "created_at"]
    search_fields = ["tag_name", "detail", "user__username"]
    raw_id_fields = ["user", "tag"]
