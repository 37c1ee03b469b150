from django.urls import path
from django.views.generic import RedirectView

from archive.stories import views
from archive.stories.feeds import AuthorWorksFeed, TagWorksFeed

app_name = "stories"

# Lists, tag and author pages. Editing and deleting a work ("stories:edit", "stories:delete") are
# archive/publishing/urls.py's, added to this namespace in config/urls.py.

urlpatterns = [
    path("", views.home, name="home"),
    path("tags/<tag:name>/works", views.tag_works, name="tag_works"),
    path("tags/<tag:name>/feed.atom", TagWorksFeed(), name="tag_feed"),
    path("users/<text:username>/works", views.author_works, name="by_author"),
    path("users/<text:username>/works/feed.atom", AuthorWorksFeed(), name="author_feed"),
    # The Archive of Our Own's byline URL (one pseud per user here), which tools such as FanFicFare read authors from.
    path(
        "users/<text:username>/pseuds/<text:pseud>",
        RedirectView.as_view(url="/users/%(username)s/works"),
        name="pseud",
    ),
    path("dashboard", views.dashboard, name="dashboard"),
]
