from django.urls import path

from archive.comments import views

app_name = "comments"

urlpatterns = [
    path("works/<int:story_id>/chapters/<int:chapter_id>/comments", views.comment_create, name="create"),
    path(
        "works/<int:story_id>/chapters/<int:chapter_id>/comments/<int:parent_id>/reply",
        views.comment_create,
        name="reply",
    ),
    path("works/<int:story_id>/comments/unreviewed", views.unreviewed, name="unreviewed"),
    path("comments/<int:comment_id>/edit", views.comment_edit, name="edit"),
    path("comments/<int:comment_id>/delete", views.comment_delete, name="delete"),
    path("comments/<int:comment_id>/approve", views.comment_approve, name="approve"),
    path("comments/<int:comment_id>/freeze", views.comment_freeze, name="freeze"),
    path("comments/<int:comment_id>/block", views.comment_block, name="block"),
    path("comments/blocked", views.blocked_commenters, name="blocked"),
]
