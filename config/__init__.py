# Loaded with Django, so that `shared_task`s bind to the archive's Celery app (config/celery.py).
from config.celery import app as celery_app

__all__ = ("celery_app",)
