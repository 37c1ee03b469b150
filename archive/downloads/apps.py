from django.apps import AppConfig


class DownloadsConfig(AppConfig):
    name = "archive.downloads"
    label = "downloads"
