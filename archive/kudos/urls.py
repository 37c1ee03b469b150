from django.urls import path

from archive.kudos import views

app_name = "kudos"

urlpatterns = [
    path("works/<id:story_id>/kudos", views.kudos_create, name="create"),
]
