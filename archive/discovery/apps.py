from django.apps import AppConfig


class DiscoveryConfig(AppConfig):
    """How readers find works: filters, sidebar facets, listing pages and the text search index."""

    name = "archive.discovery"
    label = "discovery"
