from django.urls import path

from archive.chapters import views
from archive.chapters.feeds import StoryChaptersFeed

app_name = "chapters"

# The pages readers see. The author's pages in this namespace ("chapters:story_create", "chapters:edit"...)
# are archive/publishing/urls.py's, added to it in config/urls.py.
urlpatterns = [
    path("works/<id:story_id>", views.work, name="work"),
    path("works/<id:story_id>/navigate", views.navigate, name="navigate"),
    path("works/<id:story_id>/chapters/feed.atom", StoryChaptersFeed(), name="feed"),
    path("works/<id:story_id>/chapters/<id:chapter_id>", views.chapter_detail, name="detail"),
]
