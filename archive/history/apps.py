from django.apps import AppConfig


class HistoryConfig(AppConfig):
    name = "archive.history"
    label = "history"
    verbose_name = "reading history"
