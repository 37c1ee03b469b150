"""Move the hits counted in the cache into each work's hit count: run it from cron every minute."""

from django.core.management.base import BaseCommand

from archive.hits.services import flush_hits


class Command(BaseCommand):
    help = "Move pending hits from the cache into Story.hit_count (cron: every minute)."

    def handle(self, *args, **options) -> None:
        moved = flush_hits()
        if options["verbosity"] > 0:
            self.stdout.write(f"Moved {moved} hit{'' if moved == 1 else 's'}.")
