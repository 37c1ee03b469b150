from django.urls import path

from archive.downloads import views

app_name = "downloads"

# The Archive of Our Own's download URLs: the slug is for people and file names; the id decides.
urlpatterns = [
    path("downloads/<int:story_id>/<str:slug>.epub", views.epub, name="epub"),
    path("downloads/<int:story_id>/<str:slug>.html", views.html, name="html"),
]
