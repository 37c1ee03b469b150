from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "archive.comments"
    label = "comments"
