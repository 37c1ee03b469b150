"""Hit jobs: Celery beat moves the hits counted in the cache into the works every minute."""

from archive.hits import services
from config.celery import app


@app.task
def flush_hits() -> int:
    return services.flush_hits()
