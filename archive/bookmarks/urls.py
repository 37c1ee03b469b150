from django.urls import path

from archive.bookmarks import views

app_name = "bookmarks"

urlpatterns = [
    path("works/<int:story_id>/bookmarks", views.work_bookmarks, name="for_work"),
    path("works/<int:story_id>/bookmark", views.bookmark_save, name="save"),
    path("works/<int:story_id>/lists", views.story_list_add, name="list_add"),
    path("works/<int:story_id>/lists/<int:list_id>/remove", views.story_list_remove, name="list_remove"),
    path("bookmarks/<int:bookmark_id>", views.bookmark_detail, name="detail"),
    path("bookmarks/<int:bookmark_id>/edit", views.bookmark_edit, name="edit"),
    path("bookmarks/<int:bookmark_id>/delete", views.bookmark_delete, name="delete"),
    path("users/<str:username>/bookmarks", views.user_bookmarks, name="by_user"),
    path("users/<str:username>/lists", views.lists_index, name="lists"),
    path("users/<str:username>/lists/<int:list_id>", views.list_detail, name="list_detail"),
    path("users/<str:username>/lists/<int:list_id>/edit", views.list_edit, name="list_edit"),
    path("users/<str:username>/lists/<int:list_id>/delete", views.list_delete, name="list_delete"),
]
