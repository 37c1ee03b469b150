"""Background jobs of the archive's own plumbing: sending the e-mail outbox."""

from smtplib import SMTPException

from archive.core import emails, jobs
from config.celery import app

# Backoff between attempts to send a batch: 30 s, 1 min, 2 min... up to an hour, 10 tries.
MAX_RETRIES = 10


def backoff(retries: int) -> int:
    return min(3600, 30 * 2**retries)


@app.task(bind=True, max_retries=MAX_RETRIES)
def send_emails(self, *, ids: list[int]) -> int:
    """Send these outbox e-mails (at most a batch), retrying with backoff while the server fails."""
    try:
        return emails.send_outbox(ids)
    except (OSError, SMTPException) as error:
        if self.request.is_eager:
            raise  # no worker to retry later: `send_waiting_emails` (or the next run) sends them
        raise self.retry(exc=error, countdown=backoff(self.request.retries)) from error


@app.task
def send_waiting_emails() -> int:
    """Queue again what is still unsent long after it was queued (beat, every five minutes)."""
    ids = emails.waiting_ids()
    for start in range(0, len(ids), emails.BATCH_SIZE):
        jobs.queue(send_emails, ids=ids[start : start + emails.BATCH_SIZE])
    return len(ids)
