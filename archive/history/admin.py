from django.contrib import admin

from archive.history.models import Reading


@admin.register(Reading)
class ReadingAdmin(admin.ModelAdmin):
    list_display = ["user", "story", "chapter_number", "last_read_at"]
    list_select_related = ["user", "story"]
    raw_id_fields = ["user", "story", "chapter"]
