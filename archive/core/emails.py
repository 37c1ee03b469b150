"""Every e-mail the archive sends is three templates: `<name>_subject.txt`, `<name>.txt` (the
plain-text part) and `<name>.html` (the HTML part), rendered with the same context, which always
holds `site_name` and `site_url` (the archive's own address, never the request's Host).

E-mails are rendered where they are asked for and kept in the outbox (`OutgoingEmail`) in the
caller's transaction; a background job (archive/core/tasks.py) sends them once it commits, a
hundred to a connection, so no request waits on the mail server and a server that is down
delays e-mail rather than losing it (each send is retried with backoff, and
`send_waiting_emails` picks up what is left).
"""

import uuid
from collections.abc import Iterable, Iterator
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from archive.core import jobs
from archive.core.models import OutgoingEmail

BATCH_SIZE = 100
# What is still unsent this long after it was queued is queued again by `send_waiting_emails`.
WAITING_AFTER = timedelta(minutes=10)
# An e-mail that failed this many times (a bad address the server refuses, say) is given up on.
MAX_ATTEMPTS = 20


def site_context() -> dict:
    return {"site_name": settings.SITE_NAME, "site_url": settings.ARCHIVE_SITE_URL.rstrip("/")}


def render(*, to: str, template: str, context: dict, key: str = "") -> OutgoingEmail:
    """One e-mail, rendered and unsaved; `key` names what it tells of (unique per address)."""
    context = {**site_context(), **context}
    return OutgoingEmail(
        key=key or f"once:{uuid.uuid4().hex}",
        address=to,
        subject=" ".join(render_to_string(f"{template}_subject.txt", context).split())[:200],
        text=render_to_string(f"{template}.txt", context),
        html=render_to_string(f"{template}.html", context),
    )


def build(*, to: str, template: str, context: dict) -> EmailMultiAlternatives:
    return render(to=to, template=template, context=context).message()


def send(*, to: str, template: str, context: dict) -> None:
    """Send one e-mail once the current transaction commits (it is kept in the outbox now)."""
    queue_all([render(to=to, template=template, context=context)])


def queue_all(emails: Iterable[OutgoingEmail]) -> None:
    """Keep these e-mails and send them once the current transaction commits; an e-mail whose key
    and address were queued before (a fan-out run again) is not queued twice. A fixed number of
    queries however many there are."""
    emails = list(emails)
    if not emails:
        return
    OutgoingEmail.objects.bulk_create(emails, ignore_conflicts=True, batch_size=1000)
    keys = {email.key for email in emails}
    ids = list(
        OutgoingEmail.objects.filter(key__in=keys, sent_at__isnull=True).order_by("pk").values_list("pk", flat=True)
    )
    from archive.core import tasks  # the tasks send through this module

    for batch in _batches(ids):
        jobs.after_commit(tasks.send_emails, ids=batch)


def _batches(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), BATCH_SIZE):
        yield ids[start : start + BATCH_SIZE]


class SendingFailed(Exception):
    """The mail server failed partway through a batch; what it accepted is marked sent."""


def send_outbox(ids: Iterable[int]) -> int:
    """Send these outbox e-mails that are still unsent over one connection; returns how many.

    The rows are locked while they are sent (another sender skips them), and each accepted one is
    marked sent in that transaction, so running this twice, or a retry after a failure partway,
    sends nothing twice. A failure marks what was sent, then raises the mail server's error.
    """
    with transaction.atomic():
        rows = list(
            OutgoingEmail.objects.select_for_update(skip_locked=True)
            .filter(pk__in=list(ids), sent_at__isnull=True)
            .order_by("pk")
        )
        if not rows:
            return 0
        sent, failure = [], None
        try:
            with get_connection(fail_silently=False) as connection:
                for row in rows:
                    connection.send_messages([row.message()])
                    sent.append(row.pk)
        except Exception as error:  # noqa: BLE001 - recorded below, then raised again
            failure = error
        OutgoingEmail.objects.filter(pk__in=sent).update(sent_at=timezone.now())
        unsent = [row.pk for row in rows[len(sent) :]]  # sent in order: the rest are not
        if unsent:
            OutgoingEmail.objects.filter(pk__in=unsent).update(attempts=F("attempts") + 1)
    if failure is not None:
        raise failure
    return len(sent)


def waiting_ids(*, limit: int = 10_000) -> list[int]:
    """Unsent e-mails queued a while ago: their job failed for good or was lost."""
    cutoff = timezone.now() - WAITING_AFTER
    return list(
        OutgoingEmail.objects.filter(sent_at__isnull=True, created_at__lt=cutoff, attempts__lt=MAX_ATTEMPTS)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
