"""Chapters in the admin: staff may correct a chapter's text, which is saved as an edit by
`update_chapter` (cleaned, recounted, the old text kept as a revision); deleting goes through
`delete_chapter`, and a work's last posted chapter can't be deleted (delete the work instead).
Those services are archive/publishing's, which builds on this app: imported where they are called."""

from django.contrib import admin

from archive.chapters.models import TEXT_FIELDS, Chapter
from archive.core.admin import CleanProseAdmin


@admin.register(Chapter)
class ChapterAdmin(CleanProseAdmin):
    list_display = ["__str__", "story", "position", "word_count", "published_at"]
    list_filter = ["published_at"]
    search_fields = ["title", "story__title"]
    fields = ["story", "position", "published_at", *TEXT_FIELDS, "word_count", "created_at", "edited_at"]
    readonly_fields = ["story", "position", "published_at", "word_count", "created_at", "edited_at"]
    prose_fields = ("summary", "notes", "end_notes", "body")

    def has_add_permission(self, request) -> bool:
        return False  # chapters are added by their authors

    def has_delete_permission(self, request, obj: Chapter | None = None) -> bool:
        if obj is not None and obj.story.chapters.count() <= 1:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj: Chapter, form, change: bool) -> None:
        fields = {name: form.cleaned_data[name] for name in TEXT_FIELDS if name in form.changed_data}
        from archive.publishing.services import update_chapter

        update_chapter(chapter=obj, fields=fields, edited_by=request.user)

    def delete_model(self, request, obj: Chapter) -> None:
        from archive.publishing.services import delete_chapter

        delete_chapter(chapter=obj)

    def delete_queryset(self, request, queryset) -> None:
        from archive.publishing.services import delete_chapter

        for chapter in queryset.order_by("-position"):
            delete_chapter(chapter=chapter)
