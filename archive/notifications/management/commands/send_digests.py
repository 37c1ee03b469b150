"""E-mail authors the day's kudos, bookmarks and new subscribers: run it from cron once a day."""

from datetime import date

from django.core.management.base import BaseCommand

from archive.notifications.services import email_digests, yesterday


class Command(BaseCommand):
    help = "E-mail each author who wants it the digest of a UTC day, yesterday's by default (cron: daily)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--day", type=date.fromisoformat, help="the UTC day to send, as YYYY-MM-DD")

    def handle(self, *args, day: date | None = None, **options) -> None:
        day = day or yesterday()
        sent = email_digests(day=day)
        if options["verbosity"] > 0:
            self.stdout.write(f"Sent {sent} digest e-mail{'' if sent == 1 else 's'} for {day.isoformat()}.")
