from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "archive.notifications"
    label = "notifications"
