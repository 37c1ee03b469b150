from django.apps import AppConfig


class WranglingConfig(AppConfig):
    name = "archive.wrangling"
    label = "wrangling"
