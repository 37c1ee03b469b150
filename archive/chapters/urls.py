from django.urls import path

from archive.chapters import views
from archive.chapters.feeds import StoryChaptersFeed

app_name = "chapters"

urlpatterns = [
    path("works/new", views.story_create, name="story_create"),
    path("works/<id:story_id>", views.work, name="work"),
    path("works/<id:story_id>/navigate", views.navigate, name="navigate"),
    path("works/<id:story_id>/post", views.story_post, name="story_post"),
    path("works/<id:story_id>/chapters/new", views.chapter_create, name="create"),
    path("works/<id:story_id>/chapters/manage", views.chapter_manage, name="manage"),
    path("works/<id:story_id>/chapters/feed.atom", StoryChaptersFeed(), name="feed"),
    path("works/<id:story_id>/chapters/<id:chapter_id>", views.chapter_detail, name="detail"),
    path("works/<id:story_id>/chapters/<id:chapter_id>/edit", views.chapter_edit, name="edit"),
    path("works/<id:story_id>/chapters/<id:chapter_id>/delete", views.chapter_delete, name="delete"),
    path("works/<id:story_id>/chapters/<id:chapter_id>/revisions", views.chapter_revisions, name="revisions"),
    path(
        "works/<id:story_id>/chapters/<id:chapter_id>/revisions/<id:revision_id>",
        views.chapter_revision,
        name="revision",
    ),
    path(
        "works/<id:story_id>/chapters/<id:chapter_id>/revisions/<id:revision_id>/restore",
        views.chapter_revision_restore,
        name="revision_restore",
    ),
]
