"""The e-mail outbox: e-mails are kept with the change that asks for them, sent once it commits by
a background job, never twice, and kept for a retry while the mail server fails."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import transaction
from django.utils import timezone

from archive.core import emails, tasks
from archive.core.models import OutgoingEmail

pytestmark = pytest.mark.django_db


class FlakyBackend(EmailBackend):
    """Accepts `accepts` more messages, then fails as a mail server that went away."""

    accepts = 0

    def send_messages(self, messages):
        if FlakyBackend.accepts <= 0:
            raise smtplib.SMTPServerDisconnected("the mail server went away")
        FlakyBackend.accepts -= 1
        return super().send_messages(messages)


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = "archive.core.tests.test_outbox.FlakyBackend"
    FlakyBackend.accepts = 0
    return FlakyBackend


def welcome(to: str) -> None:
    emails.send(to=to, template="accounts/email/confirm_address", context={"username": "carol", "path": "/x"})


def test_an_e_mail_is_sent_once_what_asked_for_it_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        welcome("carol@example.org")
        assert mail.outbox == []  # kept, not sent, until the commit

    [message] = mail.outbox
    assert message.to == ["carol@example.org"]
    assert message.alternatives[0][1] == "text/html"
    assert OutgoingEmail.objects.get().sent_at is not None


def test_a_change_rolled_back_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        welcome("carol@example.org")
        raise RuntimeError("the change fails")

    assert mail.outbox == []
    assert not OutgoingEmail.objects.exists()


def queued(*addresses: str, key: str = "chapter:1") -> list[int]:
    rows = [
        emails.render(to=address, key=key, template="accounts/email/confirm_address", context={"path": "/x"})
        for address in addresses
    ]
    OutgoingEmail.objects.bulk_create(rows)
    return list(OutgoingEmail.objects.order_by("pk").values_list("pk", flat=True))


def test_sending_twice_sends_each_e_mail_once():
    ids = queued("a@example.org", "b@example.org")

    assert emails.send_outbox(ids) == 2
    assert emails.send_outbox(ids) == 0

    assert len(mail.outbox) == 2


def test_queueing_the_same_thing_to_the_same_address_again_keeps_one(django_capture_on_commit_callbacks):
    def fan_out():
        emails.queue_all(
            emails.render(to=address, key="chapter:7", template="accounts/email/confirm_address", context={})
            for address in ("a@example.org", "b@example.org")
        )

    with django_capture_on_commit_callbacks(execute=True):
        fan_out()
    with django_capture_on_commit_callbacks(execute=True):
        fan_out()  # a fan-out job run a second time

    assert OutgoingEmail.objects.count() == 2
    assert sorted(message.to[0] for message in mail.outbox) == ["a@example.org", "b@example.org"]


def test_a_server_failing_partway_keeps_what_it_accepted_sent_and_the_rest_for_the_retry(flaky):
    ids = queued("a@example.org", "b@example.org", "c@example.org")
    flaky.accepts = 1

    with pytest.raises(smtplib.SMTPServerDisconnected):
        emails.send_outbox(ids)
    assert [message.to for message in mail.outbox] == [["a@example.org"]]
    assert list(OutgoingEmail.objects.filter(sent_at__isnull=True).values_list("attempts", flat=True)) == [1, 1]

    flaky.accepts = 10
    assert emails.send_outbox(ids) == 2  # the retry
    assert [message.to for message in mail.outbox] == [["a@example.org"], ["b@example.org"], ["c@example.org"]]


def test_the_send_job_in_the_request_lets_the_failure_be_logged_and_keeps_the_e_mail(flaky):
    [pk] = queued("a@example.org")

    with pytest.raises(smtplib.SMTPServerDisconnected):
        tasks.send_emails.apply(kwargs={"ids": [pk]}, throw=True)

    assert OutgoingEmail.objects.get().sent_at is None


def test_what_is_still_unsent_after_a_while_is_sent_by_the_sweep():
    old, recent, given_up = queued("old@example.org", "recent@example.org", "given-up@example.org")
    OutgoingEmail.objects.filter(pk__in=[old, given_up]).update(created_at=timezone.now() - timedelta(hours=1))
    OutgoingEmail.objects.filter(pk=given_up).update(attempts=emails.MAX_ATTEMPTS)

    assert tasks.send_waiting_emails.apply(throw=True).get() == 1

    assert [message.to for message in mail.outbox] == [["old@example.org"]]


def test_backoff_doubles_up_to_an_hour():
    assert [tasks.backoff(n) for n in (0, 1, 2, 3)] == [30, 60, 120, 240]
    assert tasks.backoff(20) == 3600
