from django.urls import path

from archive.tags import views

app_name = "tags"

urlpatterns = [
    path("tags/<tag:name>", views.tag_detail, name="detail"),
    path("fandoms", views.fandom_list, name="fandoms"),
    path("autocomplete/tags", views.autocomplete, name="autocomplete"),
]
