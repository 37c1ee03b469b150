"""Every e-mail the archive sends is three templates: `<name>_subject.txt`, `<name>.txt` (the
plain-text part) and `<name>.html` (the HTML part), rendered with the same context, which always
holds `site_name` and `site_url` (the archive's own address, never the request's Host)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def site_context() -> dict:
    return {"site_name": settings.SITE_NAME, "site_url": settings.ARCHIVE_SITE_URL.rstrip("/")}


def build(*, to: str, template: str, context: dict) -> EmailMultiAlternatives:
    context = {**site_context(), **context}
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())[:200]
    message = EmailMultiAlternatives(subject, render_to_string(f"{template}.txt", context), None, [to])
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message


def send(*, to: str, template: str, context: dict) -> None:
    build(to=to, template=template, context=context).send()
