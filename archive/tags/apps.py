from django.apps import AppConfig


class TagsConfig(AppConfig):
    name = "archive.tags"
    label = "tags"
