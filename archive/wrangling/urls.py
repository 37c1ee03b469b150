from django.urls import path

from archive.wrangling import views

app_name = "wrangling"

urlpatterns = [
    path("wrangling/", views.unwrangled, name="unwrangled"),
    path("wrangling/log", views.log, name="log"),
    path("wrangling/tags/<tag:name>", views.wrangle, name="tag"),
    path("wrangling/tags/<tag:name>/<text:action>", views.act, name="act"),
]
