from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.caches, deploy=True)
def check_shared_cache(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """Rate limits count in the cache: in local memory each gunicorn worker counts on its own."""
    if settings.CACHES["default"]["BACKEND"].endswith("LocMemCache"):
        return [
            checks.Warning(
                "The cache is each process's local memory, so every gunicorn worker counts rate limits apart.",
                hint="Set REDIS_URL so the workers share one cache.",
                id="core.W001",
            )
        ]
    return []
