from django.urls import path

from archive.stories import views

app_name = "stories"

urlpatterns = [
    path("", views.home, name="home"),
    path("works/<int:story_id>/edit", views.story_edit, name="edit"),
    path("works/<int:story_id>/delete", views.story_delete, name="delete"),
    path("tags/<tag:name>/works", views.tag_works, name="tag_works"),
    path("users/<str:username>/works", views.author_works, name="by_author"),
    path("dashboard", views.dashboard, name="dashboard"),
]
