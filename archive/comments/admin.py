"""Comments in the admin: staff may correct a comment's text; approving and deleting go through
the comments services, so a work's comment count and the notifications follow."""

from django.contrib import admin

from archive.comments.models import Comment
from archive.comments.services import approve_comment, delete_comment, edit_comment


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "user", "story", "approved", "created_at"]
    list_filter = ["approved", "created_at"]
    search_fields = ["body", "user__username", "story__title"]
    fields = ["chapter", "story", "user", "guest_name", "parent", "body", "approved", "frozen", "deleted_at"]
    readonly_fields = ["chapter", "story", "user", "guest_name", "parent", "approved", "frozen", "deleted_at"]
    actions = ["approve"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description="Approve the selected comments")
    def approve(self, request, queryset) -> None:
        for comment in queryset.filter(approved=False, deleted_at__isnull=True):
            approve_comment(comment=comment)

    def save_model(self, request, obj: Comment, form, change: bool) -> None:
        edit_comment(comment=obj, body=obj.body)  # marks it edited, and the work's pages show it

    def delete_model(self, request, obj: Comment) -> None:
        delete_comment(comment=obj)

    def delete_queryset(self, request, queryset) -> None:
        for pk in queryset.order_by("-depth").values_list("pk", flat=True):
            comment = Comment.objects.filter(pk=pk).first()  # an earlier delete may have taken it
            if comment is not None:
                delete_comment(comment=comment)
