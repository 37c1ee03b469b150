from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "archive.core"
    label = "core"

    def ready(self) -> None:
        from archive.core import checks  # noqa: F401  (registers the deploy checks)
