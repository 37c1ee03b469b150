from django.urls import path

from archive.downloads import views

app_name = "downloads"

# The Archive of Our Own's download URLs: the slug is for people and file names; the id decides.
urlpatterns = [
    path("downloads/<id:story_id>/<text:slug>.epub", views.epub, name="epub"),
    path("downloads/<id:story_id>/<text:slug>.html", views.html, name="html"),
]
