from django.urls import path

from archive.opds import views

app_name = "opds"

urlpatterns = [
    path("opds/", views.root, name="root"),
    path("opds/new", views.new_works, name="new"),
    path("opds/fandoms", views.fandoms, name="fandoms"),
    path("opds/fandoms/<tag:name>", views.fandom_works, name="fandom"),
    path("opds/search.xml", views.search_description, name="search_description"),
    path("opds/search", views.search, name="search"),
]
