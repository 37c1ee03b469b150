from django.urls import path

from archive.discovery import views

app_name = "discovery"

urlpatterns = [
    path("exclusions", views.exclusions_edit, name="exclusions"),
    path("users/<text:username>/muted", views.muted_users, name="muted"),
    path("users/<text:username>/mute", views.mute, name="mute"),
    path("users/<text:username>/unmute", views.unmute, name="unmute"),
]
