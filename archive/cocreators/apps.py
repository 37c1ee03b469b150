from django.apps import AppConfig


class CocreatorsConfig(AppConfig):
    name = "archive.cocreators"
    label = "cocreators"
    verbose_name = "co-creators"
