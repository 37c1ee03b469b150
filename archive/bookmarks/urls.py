from django.urls import path

from archive.bookmarks import views

app_name = "bookmarks"

urlpatterns = [
    path("works/<id:story_id>/bookmarks", views.work_bookmarks, name="for_work"),
    path("works/<id:story_id>/bookmark", views.bookmark_save, name="save"),
    path("works/<id:story_id>/lists", views.story_list_add, name="list_add"),
    path("works/<id:story_id>/lists/<id:list_id>/remove", views.story_list_remove, name="list_remove"),
    path("series/<id:series_id>/bookmark", views.bookmark_save_series, name="save_series"),
    path("bookmarks/<id:bookmark_id>", views.bookmark_detail, name="detail"),
    path("bookmarks/<id:bookmark_id>/edit", views.bookmark_edit, name="edit"),
    path("bookmarks/<id:bookmark_id>/delete", views.bookmark_delete, name="delete"),
    path("users/<text:username>/bookmarks", views.user_bookmarks, name="by_user"),
    path("users/<text:username>/lists", views.lists_index, name="lists"),
    path("users/<text:username>/lists/<id:list_id>", views.list_detail, name="list_detail"),
    path("users/<text:username>/lists/<id:list_id>/edit", views.list_edit, name="list_edit"),
    path("users/<text:username>/lists/<id:list_id>/delete", views.list_delete, name="list_delete"),
]
