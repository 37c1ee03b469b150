from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "archive.demo"
    label = "demo"
