from django.urls import path

from archive.search import views

app_name = "search"

urlpatterns = [
    path("works/search", views.work_search, name="works"),
    path("saved_searches", views.saved_search_list, name="saved"),
    path("saved_searches/new", views.saved_search_create, name="saved_create"),
    path("saved_searches/<id:saved_id>/edit", views.saved_search_edit, name="saved_edit"),
    path("saved_searches/<id:saved_id>/delete", views.saved_search_delete, name="saved_delete"),
]
