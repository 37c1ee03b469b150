from django.apps import AppConfig


class CachingConfig(AppConfig):
    name = "archive.caching"
    label = "caching"
