from django.urls import path

from archive.search import views

app_name = "search"

urlpatterns = [
    path("works/search", views.work_search, name="works"),
]
