from django.urls import path

from archive.history import views

app_name = "history"

urlpatterns = [
    path("history", views.reading_list, name="list"),
    path("history/clear", views.history_clear, name="clear"),
    path("history/<id:story_id>/remove", views.reading_remove, name="remove"),
]
