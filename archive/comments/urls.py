from django.urls import path

from archive.comments import views

app_name = "comments"

urlpatterns = [
    path("works/<id:story_id>/chapters/<id:chapter_id>/comments", views.comment_create, name="create"),
    path(
        "works/<id:story_id>/chapters/<id:chapter_id>/comments/<id:parent_id>/reply",
        views.comment_create,
        name="reply",
    ),
    path("works/<id:story_id>/comments/unreviewed", views.unreviewed, name="unreviewed"),
    path("comments/<id:comment_id>/edit", views.comment_edit, name="edit"),
    path("comments/<id:comment_id>/delete", views.comment_delete, name="delete"),
    path("comments/<id:comment_id>/approve", views.comment_approve, name="approve"),
    path("comments/<id:comment_id>/freeze", views.comment_freeze, name="freeze"),
    path("comments/<id:comment_id>/block", views.comment_block, name="block"),
    path("comments/blocked", views.blocked_commenters, name="blocked"),
]
