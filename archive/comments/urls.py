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
]
