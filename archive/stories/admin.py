from django.contrib import admin

from archive.stories.models import Story, StoryTag


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
class StoryAdmin(admin.ModelAdmin):
    list_display = ["title", "rating", "language", "chapter_status", "word_count", "comment_count", "updated_at"]
    list_filter = [DraftFilter, "rating", "language", "updated_at"]
    search_fields = ["title", "authors__username"]
    filter_horizontal = ["authors"]
    readonly_fields = ["word_count", "chapter_count", "comment_count", "created_at", "edited_at"]
    exclude = ["tags"]
    inlines = [StoryTagInline]
    date_hierarchy = "updated_at"
