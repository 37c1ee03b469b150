"""Tags in the admin, to look up. What a tag means (its name, canonical status, synonyms,
fandoms, characters) is changed on the wrangling pages, whose services move every work's filter
ids, use counts and search documents with it and log the change; the admin links there.
Deleting a tag goes through `delete_tag`, for the same reasons."""

from django.contrib import admin
from django.utils.html import format_html

from archive.tags.models import Tag, tag_url


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "canonical", "use_count", "created_at"]
    list_filter = ["kind", "canonical"]
    search_fields = ["name"]
    fields = ["name", "wrangle", "kind", "canonical", "merger", "ship_kind", "use_count", "slug", "created_at"]
    readonly_fields = fields

    @admin.display(description="Wrangle")
    def wrangle(self, tag: Tag) -> str:
        return format_html(
            '<a href="{}">Change what this tag means on its wrangling page</a>', tag_url("wrangling:tag", tag.name)
        )

    def has_add_permission(self, request) -> bool:
        return False  # tags come from works, and wranglers make them canonical

    def delete_model(self, request, obj: Tag) -> None:
        from archive.wrangling.services import delete_tag  # wrangling builds on tags

        delete_tag(tag=obj, user=request.user)

    def delete_queryset(self, request, queryset) -> None:
        for tag in queryset:
            self.delete_model(request, tag)
