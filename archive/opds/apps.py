from django.apps import AppConfig


class OpdsConfig(AppConfig):
    name = "archive.opds"
    label = "opds"
