"""The author's pages of a work's life cycle, at the Archive of Our Own's addresses.

Their URL names are the ones templates, tests and bookmarks have always used, in the namespaces
of the things they change: a work's ("stories:edit", "stories:delete") and its chapters'
("chapters:story_create", "chapters:edit"...). config/urls.py adds these lists to those
namespaces, so the reader-side apps never import this one.
"""

from django.urls import path

from archive.publishing import views

stories_urlpatterns = [
    path("works/<id:story_id>/edit", views.story_edit, name="edit"),
    path("works/<id:story_id>/delete", views.story_delete, name="delete"),
]

chapters_urlpatterns = [
    path("works/new", views.story_create, name="story_create"),
    path("works/<id:story_id>/post", views.story_post, name="story_post"),
    path("works/<id:story_id>/chapters/new", views.chapter_create, name="create"),
    path("works/<id:story_id>/chapters/manage", views.chapter_manage, name="manage"),
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
