from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "archive.stories"
    label = "stories"
