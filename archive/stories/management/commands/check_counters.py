"""`manage.py check_counters [--fix] [--chapter-text]`: every derived value against its rows.

Prints each stale value (a work's counts, filter and role ids, search document; a tag's use
count; with --chapter-text, a chapter's word count) and exits with status 1 if there are any.
--fix recomputes them all with the functions the services use, then checks again.
"""

from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from archive.stories.integrity import repair, stale_values

SHOWN = 50


class Command(BaseCommand):
    help = "Check every count, filter id, use count and search document against the rows it comes from."

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="Recompute what is stale, then check again.")
        parser.add_argument(
            "--chapter-text",
            action="store_true",
            help="Also recount every chapter's words from its text (slow; not for generated archives).",
        )

    def handle(self, *args, fix: bool, chapter_text: bool, **options):
        stale = stale_values(chapter_text=chapter_text)
        if stale and fix:
            self.stdout.write(f"{len(stale)} stale values; recomputing everything derived...")
            repair(chapter_text=chapter_text)
            stale = stale_values(chapter_text=chapter_text)
        if not stale:
            self.stdout.write(self.style.SUCCESS("Every derived value matches its rows."))
            return
        for value in stale[:SHOWN]:
            self.stdout.write(str(value))
        if len(stale) > SHOWN:
            self.stdout.write(f"...and {len(stale) - SHOWN} more.")
        by_field = Counter(f"{value.what.split()[0]} {value.field}" for value in stale)
        summary = ", ".join(f"{count} {field}" for field, count in by_field.most_common())
        raise CommandError(f"{len(stale)} stale values ({summary}). Run with --fix to recompute them.")
