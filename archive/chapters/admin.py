from django.contrib import admin

from archive.chapters.models import Chapter


@admin.register(Chapter)
class ChapterAdmin(admin.ModelAdmin):
    list_display = ["__str__", "story", "position", "word_count", "published_at"]
    list_filter = ["published_at"]
    search_fields = ["title", "story__title"]
    raw_id_fields = ["story"]
    readonly_fields = ["word_count", "created_at", "edited_at"]
