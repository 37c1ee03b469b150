from django.apps import AppConfig


class ChaptersConfig(AppConfig):
    name = "archive.chapters"
    label = "chapters"
