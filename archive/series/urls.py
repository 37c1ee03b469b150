from django.urls import path

from archive.series import views

app_name = "series"

urlpatterns = [
    path("series/<id:series_id>", views.series_detail, name="detail"),
    path("series/<id:series_id>/edit", views.series_edit, name="edit"),
    path("series/<id:series_id>/delete", views.series_delete, name="delete"),
    path("users/<text:username>/series", views.user_series, name="by_user"),
]
