"""Saved-search jobs: after wrangling, the saved searches naming the tags it changed are indexed
again (archive/search/alerts.py), in the background: a popular tag may be in thousands."""

from archive.search import alerts
from config.celery import app


@app.task
def reindex_saved_searches(*, tag_ids: list[int]) -> int:
    return alerts.reindex_saved_searches(tag_ids)
