from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "archive.core"
    label = "core"
