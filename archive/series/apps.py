from django.apps import AppConfig


class SeriesConfig(AppConfig):
    name = "archive.series"
    label = "series"
