"""Notification jobs, queued once the post that causes them commits (services.notify_*).

Each takes ids and looks again: the work may have been drafted or deleted by the time it runs.
Each is safe to run twice (inbox rows and outbox e-mails are unique per thing told of).
"""

from archive.notifications import services
from config.celery import app


@app.task
def story_posted(*, story_id: int) -> None:
    services.send_story_posted(story_id=story_id)


@app.task
def story_in_series(*, story_id: int, series_id: int) -> None:
    services.send_story_in_series(story_id=story_id, series_id=series_id)


@app.task
def chapter_posted(*, story_id: int, chapter_id: int) -> None:
    services.send_chapter_posted(story_id=story_id, chapter_id=chapter_id)


@app.task
def comment_posted(*, comment_id: int) -> None:
    services.send_comment_posted(comment_id=comment_id)


@app.task
def send_digests() -> int:
    """Yesterday's digest e-mails (beat, daily after midnight UTC)."""
    return services.email_digests(day=services.yesterday())
