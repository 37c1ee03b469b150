from django.apps import AppConfig


class KudosConfig(AppConfig):
    name = "archive.kudos"
    label = "kudos"
