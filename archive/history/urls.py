from django.urls import path

from archive.history import views

app_name = "history"

urlpatterns = [
    path("history", views.reading_list, name="list"),
    path("history/clear", views.history_clear, name="clear"),
    path("history/switch", views.history_switch, name="switch"),
    path("history/<id:story_id>/read", views.reading_mark_read, name="mark_read"),
    path("history/<id:story_id>/remove", views.reading_remove, name="remove"),
]
