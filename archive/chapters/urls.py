from django.urls import path

from archive.chapters import views
from archive.chapters.feeds import StoryChaptersFeed

app_name = "chapters"

urlpatterns = [
    path("works/new", views.story_create, name="story_create"),
    path("works/<int:story_id>", views.work, name="work"),
    path("works/<int:story_id>/navigate", views.navigate, name="navigate"),
    path("works/<int:story_id>/post", views.story_post, name="story_post"),
    path("works/<int:story_id>/chapters/new", views.chapter_create, name="create"),
    path("works/<int:story_id>/chapters/feed.atom", StoryChaptersFeed(), name="feed"),
    path("works/<int:story_id>/chapters/<int:chapter_id>", views.chapter_detail, name="detail"),
    path("works/<int:story_id>/chapters/<int:chapter_id>/edit", views.chapter_edit, name="edit"),
    path("works/<int:story_id>/chapters/<int:chapter_id>/delete", views.chapter_delete, name="delete"),
    path("works/<int:story_id>/chapters/<int:chapter_id>/revisions", views.chapter_revisions, name="revisions"),
    path(
        "works/<int:story_id>/chapters/<int:chapter_id>/revisions/<int:revision_id>",
        views.chapter_revision,
        name="revision",
    ),
    path(
        "works/<int:story_id>/chapters/<int:chapter_id>/revisions/<int:revision_id>/restore",
        views.chapter_revision_restore,
        name="revision_restore",
    ),
]
