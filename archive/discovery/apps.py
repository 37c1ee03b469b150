from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


def _index_unindexed_works(using: str = "default", **kwargs) -> None:
    """SQLite databases made before works had a search document there: give each one after `migrate`."""
    from django.db import connections

    from archive.discovery.search_index import refresh_search_index
    from archive.stories.models import Story

    if connections[using].vendor == "postgresql" or using != "default":
        return  # PostgreSQL's vectors are written with every work
    missing = list(Story.objects.using(using).filter(search_vector__isnull=True).values_list("pk", flat=True))
    if missing:
        from archive.caching import versions

        refresh_search_index(missing)
        versions.changed(everything=True)  # searches kept before now missed these works


class DiscoveryConfig(AppConfig):
    """How readers find works: filters, sidebar facets, listing pages and the text search index."""

    name = "archive.discovery"
    label = "discovery"

    def ready(self) -> None:
        # This app has no models, so it is sent no post_migrate of its own: listen for the stories'.
        post_migrate.connect(_index_unindexed_works, sender=apps.get_app_config("stories"))
