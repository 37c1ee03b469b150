from django.apps import AppConfig


class HitsConfig(AppConfig):
    name = "archive.hits"
    label = "hits"
