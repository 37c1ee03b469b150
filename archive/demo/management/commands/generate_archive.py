"""Fill the database with a big, realistic archive for benchmarks: `generate_archive --works 100000`.

The same seed gives the same rows. Word counts are nominal: chapters claim realistic lengths but
store only about --body-words words of generated text. See archive/demo/generator.py.
"""

from django.core.management.base import BaseCommand, CommandError

from archive.demo.generator import ArchiveGenerator


class Command(BaseCommand):
    help = "Add a generated archive (users, tags, works, chapters, comments) to the current database."

    def add_arguments(self, parser):
        parser.add_argument("--works", type=int, required=True, help="How many works to add.")
        parser.add_argument("--seed", type=int, default=1, help="The same seed gives the same archive.")
        parser.add_argument(
            "--body-words", type=int, default=120, help="Words of generated text stored per chapter body."
        )

    def handle(self, *args, works: int, seed: int, body_words: int, verbosity: int, **options):
        if works < 1:
            raise CommandError("--works must be at least 1.")
        if body_words < 1:
            raise CommandError("--body-words must be at least 1.")
        summary = ArchiveGenerator(works=works, seed=seed, body_words=body_words, progress=verbosity > 0).run()
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {summary.works} works ({summary.drafts} drafts), {summary.chapters} chapters, "
                f"{summary.tags} tags, {summary.comments} comments and {summary.users} users "
                f"in {summary.seconds} seconds."
            )
        )
