from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "archive.profiles"
    label = "profiles"
