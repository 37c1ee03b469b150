from django.contrib import admin

from archive.comments.models import Comment


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "user", "story", "created_at"]
    list_filter = ["created_at"]
    search_fields = ["body", "user__username", "story__title"]
    raw_id_fields = ["chapter", "story", "user", "parent"]
