from django.contrib import admin

from archive.bookmarks.models import Bookmark, BookmarkTag, ReadingList, ReadingListItem


class BookmarkTagInline(admin.TabularInline):
    model = BookmarkTag
    extra = 0


@admin.register(Bookmark)
class BookmarkAdmin(admin.ModelAdmin):
    list_display = ["__str__", "user", "story", "private", "created_at"]
    list_filter = ["private", "created_at"]
    search_fields = ["user__username", "story__title"]
    raw_id_fields = ["story", "user"]
    inlines = [BookmarkTagInline]


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
