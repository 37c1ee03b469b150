from django.urls import path

from archive.profiles import views

app_name = "profiles"

# Editing takes no user in the URL: a profile can only ever be edited by the one logged in.
urlpatterns = [
    path("users/<text:username>/profile", views.profile_detail, name="detail"),
    path("profile/edit", views.profile_edit, name="edit"),
]
