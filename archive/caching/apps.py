from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


def _forget_every_page(**kwargs) -> None:
    """After `migrate`, which every deploy runs (`make serve`): the code and the rows may both have
    changed, so no page or fragment built before it is served again."""
    from archive.caching import versions

    versions.changed(everything=True)


class CachingConfig(AppConfig):
    name = "archive.caching"
    label = "caching"

    def ready(self) -> None:
        # No models here, so no post_migrate of its own: listen for the stories'.
        post_migrate.connect(_forget_every_page, sender=apps.get_app_config("stories"))
