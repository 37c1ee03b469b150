from django.contrib import admin

from archive.bookmarks.models import Bookmark, BookmarkTag, ReadingList, ReadingListItem
from archive.bookmarks.services import delete_bookmark


class BookmarkTagInline(admin.TabularInline):
    model = BookmarkTag
    extra = 0


@admin.register(Bookmark)
class BookmarkAdmin(admin.ModelAdmin):
    list_display = ["__str__", "user", "story", "series", "private", "created_at"]
    list_filter = ["private", "created_at"]
    search_fields = ["user__username", "story__title"]
    raw_id_fields = ["story", "series", "user"]
    # Privacy moves the work's public count, so only the bookmarker changes it (through the
    # services); staff may correct notes and tags, or delete a bookmark through the service.
    readonly_fields = ["private", "created_at", "updated_at"]
    inlines = [BookmarkTagInline]

    def has_add_permission(self, request) -> bool:
        return False

    def delete_model(self, request, obj: Bookmark) -> None:
        delete_bookmark(bookmark=obj)

    def delete_queryset(self, request, queryset) -> None:
        for bookmark in queryset:
            delete_bookmark(bookmark=bookmark)


class ReadingListItemInline(admin.TabularInline):
    model = ReadingListItem
    extra = 0
    raw_id_fields = ["story"]


@admin.register(ReadingList)
class ReadingListAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "builtin", "created_at"]
    search_fields = ["user__username", "name"]
    raw_id_fields = ["user"]
    inlines = [ReadingListItemInline]
