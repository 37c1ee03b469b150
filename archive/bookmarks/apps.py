from django.apps import AppConfig


class BookmarksConfig(AppConfig):
    name = "archive.bookmarks"
    label = "bookmarks"
