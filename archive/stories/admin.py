"""Works in the admin. Staff may correct a work's fields, authors and tags; whatever they change,
everything derived from it (counts, filter ids, use counts, search document) is recomputed by the
services' own functions once the change and its tags are saved, and deleting goes through
`delete_story` (archive/publishing, which builds on this app: imported where it is called).
Posting and unposting stay with the authors."""

from django.contrib import admin

from archive.core.admin import CleanProseAdmin
from archive.stories.models import Story, StoryTag
from archive.stories.services import refresh_stories


class StoryTagInline(admin.TabularInline):
    model = StoryTag
    raw_id_fields = ["tag"]
    extra = 0


class DraftFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("posted", "Posted"), ("draft", "Draft")]

    def queryset(self, request, queryset):
        if self.value() == "posted":
            return queryset.published()
        if self.value() == "draft":
            return queryset.drafts()
        return queryset


@admin.register(Story)
class StoryAdmin(CleanProseAdmin):
    list_display = ["title", "rating", "language", "chapter_status", "word_count", "comment_count", "updated_at"]
    list_filter = [DraftFilter, "rating", "language", "updated_at"]
    search_fields = ["title", "authors__username"]
    filter_horizontal = ["authors"]
    prose_fields = ("summary", "notes", "end_notes")
    readonly_fields = [
        "word_count",
        "chapter_count",
        "comment_count",
        "kudos_count",
        "bookmark_count",
        "hit_count",
        "published_at",
        "updated_at",
        "created_at",
        "edited_at",
    ]
    exclude = ["tags"]
    inlines = [StoryTagInline]
    date_hierarchy = "updated_at"

    def has_add_permission(self, request) -> bool:
        return False  # a work is posted by its author, with its first chapter

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        refresh_stories([form.instance.pk])

    def delete_model(self, request, obj: Story) -> None:
        from archive.publishing.services import delete_story

        delete_story(story=obj)

    def delete_queryset(self, request, queryset) -> None:
        for story in queryset:
            self.delete_model(request, story)
