from django.core.mail import EmailMultiAlternatives
from django.db import models
from django.db.models import Q


class OutgoingEmail(models.Model):
    """An e-mail the archive means to send, kept until it is sent (archive/core/emails.py).

    Rendering and sending are apart: a request or a notification fan-out renders its e-mails
    into rows here, and a background job sends them in batches, retrying with backoff while the
    mail server is down. `key` names what the e-mail tells of ("chapter:12"): one e-mail per key
    and address, so a fan-out that runs twice queues nothing twice, and a row is marked sent in
    the same transaction that locked it for sending, so a retry never sends it again.
    """

    key = models.CharField(max_length=100)
    address = models.EmailField(max_length=254)
    subject = models.CharField(max_length=200)
    text = models.TextField()
    html = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "address"], name="one_email_per_key_and_address")]
        indexes = [
            models.Index(fields=["created_at"], condition=Q(sent_at__isnull=True), name="outgoing_email_waiting")
        ]

    def __str__(self) -> str:
        return f"{self.subject} to {self.address}"

    def message(self) -> EmailMultiAlternatives:
        message = EmailMultiAlternatives(self.subject, self.text, None, [self.address])
        message.attach_alternative(self.html, "text/html")
        return message
