from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "archive.publishing"
    label = "publishing"
