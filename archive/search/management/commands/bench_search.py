"""Time the search view, query shape by query shape, against whatever archive the database holds.

Each shape is requested through the whole Django stack (URL, view, ORM, template) with the
test client; the database part is the time spent in SQL, measured with an execute wrapper.
A trivial view (/healthz) is timed in the same run for the ratio. Parameters are picked from
the data deterministically, so two runs on the same archive ask the same questions.
"""

import gc
import re
import statistics
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client

from archive.discovery.exclusions import Exclusions
from archive.discovery.services import save_exclusions
from archive.stories.choices import Rating, Warning
from archive.stories.models import Story, StoryTag
from archive.tags.filtering import IN_ROMANCE
from archive.tags.models import Tag


class SqlTimer:
    def __init__(self):
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start
            self.count += 1


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


TEN_EXCLUSIONS = ", 10 saved exclusions"


class Command(BaseCommand):
    help = "Benchmark the work search on the current database (see `make bench`)."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=30, help="Timed requests per shape (after 3 warm-ups).")

    def handle(self, *args, runs: int, **options):
        # No test instrumentation (it copies every template context): time what production runs,
        # with the same garbage-collector setting as config/wsgi.py.
        client = Client(HTTP_HOST=(settings.ALLOWED_HOSTS or ["localhost"])[0])
        client.get("/healthz")
        gc.freeze()
        works = Story.objects.count()
        shapes = self._shapes()
        self.stdout.write(f"Archive: {works:,} works, {Tag.objects.count():,} tags. {runs} runs per shape.\n")
        header = f"{'shape':<48} {'p50 ms':>8} {'p95 ms':>8} {'db p50':>8} {'db p95':>8} {'queries':>8} {'results':>9}"
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        trivial = self._measure(client, "/healthz", runs)
        excluding = Client(HTTP_HOST=(settings.ALLOWED_HOSTS or ["localhost"])[0])
        excluding.force_login(self._excluding_reader())
        for name, url in shapes:
            result = self._measure(excluding if name.endswith(TEN_EXCLUSIONS) else client, url, runs)
            self.stdout.write(
                f"{name:<48} {result['p50']:>8.1f} {result['p95']:>8.1f} {result['db50']:>8.1f} "
                f"{result['db95']:>8.1f} {result['queries']:>8} {result['results']:>9}"
            )
        self.stdout.write(
            f"{'trivial view (/healthz), for the ratio':<48} {trivial['p50']:>8.1f} {trivial['p95']:>8.1f} "
            f"{trivial['db50']:>8.1f} {trivial['db95']:>8.1f} {trivial['queries']:>8}"
        )

    def _excluding_reader(self):
        """A reader with ten saved exclusions (eight popular tags, a rating cap, a warning) and a muted
        author: made once in the bench database, and the same on every run."""
        reader, _ = get_user_model().objects.get_or_create(username="bench_excluder")
        popular = Tag.objects.canonical().exclude(kind=Tag.Kind.FANDOM).order_by("-use_count", "id")
        muted = Story.authors.through.objects.order_by("id").values_list("user_id", flat=True).first()
        exclusions = Exclusions(
            tag_ids=tuple(popular.values_list("pk", flat=True)[20:28]),
            rating_cap=Rating.MATURE,
            warnings=Warning.UNDERAGE,
            muted_ids=(muted,) if muted else (),
        )
        save_exclusions(user=reader, exclusions=exclusions)
        reader.muted_ids = list(exclusions.muted_ids)
        reader.save(update_fields=["muted_ids"])
        return reader

    def _measure(self, client: Client, url: str, runs: int) -> dict:
        for _ in range(3):
            response = client.get(url)
            if response.status_code != 200:
                raise CommandError(f"{url} answered {response.status_code}")
        totals, sql_times, counts = [], [], set()
        for _ in range(runs):
            timer = SqlTimer()
            with connection.execute_wrapper(timer):
                start = time.perf_counter()
                response = client.get(url)
                totals.append((time.perf_counter() - start) * 1000)
            sql_times.append(timer.seconds * 1000)
            counts.add(timer.count)
        shown = re.search(r"of ([\d,]+\+?) works", response.content.decode())
        return {
            "p50": statistics.median(totals),
            "p95": _percentile(totals, 0.95),
            "db50": statistics.median(sql_times),
            "db95": _percentile(sql_times, 0.95),
            "queries": "/".join(str(count) for count in sorted(counts)),
            "results": shown[1] if shown else "",
        }

    def _shapes(self) -> list[tuple[str, str]]:
        characters = list(
            Tag.objects.canonical()
            .of_kind(Tag.Kind.CHARACTER)
            .order_by("-use_count", "id")
            .values_list("name", flat=True)[:50]
        )
        one = characters[min(9, len(characters) - 1)]
        # Three characters that really occur together: the popular trio on a recent work.
        top = Tag.objects.named(characters[0]).values_list("pk", flat=True).first()
        canonical_characters = dict(Tag.objects.canonical().of_kind(Tag.Kind.CHARACTER).values_list("pk", "use_count"))
        trio_work: list[int] = []
        candidates = Story.objects.published().filter(filter_ids__has_all=[top]).order_by("-id")
        for filter_ids in candidates.values_list("filter_ids", flat=True)[:500]:
            if sum(1 for tag_id in filter_ids if tag_id in canonical_characters) >= 3:
                trio_work = filter_ids
                break
        trio_ids = sorted(
            (tag_id for tag_id in trio_work if tag_id in canonical_characters), key=lambda i: -canonical_characters[i]
        )[:3]
        names = dict(Tag.objects.filter(pk__in=trio_ids).values_list("pk", "name"))
        trio = [names[tag_id] for tag_id in trio_ids]
        excluded = next(name for name in characters[1:20] if name not in trio)
        romantic_character = (
            Tag.objects.filter(pk__in=[i - IN_ROMANCE for i in trio_work if IN_ROMANCE <= i < 2 * IN_ROMANCE])
            .values_list("name", flat=True)
            .first()
        ) or characters[0]
        fandom = (
            Tag.objects.canonical().of_kind(Tag.Kind.FANDOM).order_by("-use_count").values_list("name", flat=True)[2]
        )
        # The most used ship, and a popular character outside it (so excluding it leaves works).
        ship = (
            Tag.objects.canonical()
            .of_kind(Tag.Kind.RELATIONSHIP)
            .order_by("-use_count", "id")
            .prefetch_related("characters")
            .first()
        )
        ship_name = ship.name if ship else characters[0]
        members = {character.name for character in ship.characters.all()} if ship else set()
        outside = next((name for name in characters[1:20] if name not in members), excluded)
        word = (
            StoryTag.objects.filter(tag__kind=Tag.Kind.FREEFORM)
            .values_list("tag__name", flat=True)
            .order_by("-id")
            .first()
            or "love"
        ).split()[0]

        def search(**params) -> str:
            return "/works/search?" + urlencode(params)

        return [
            ("one character", search(characters=one)),
            ("three characters AND", search(characters=", ".join(trio))),
            ("two characters, one excluded", search(characters=", ".join(trio[:2]), excluded=excluded)),
            ("character in a romantic relationship", search(characters=romantic_character, character_mode="romantic")),
            (
                "fandom+rating+complete+words, by kudos",
                search(
                    fandoms=fandom, rating="teen", complete="complete", words_from=1000, words_to=50000, sort="kudos"
                ),
            ),
            ("free text", search(q=word)),
            ("free text + filters", search(q=word, rating="general", complete="complete", words_from=500)),
            ("deep page 500", search(rating="general", page=500)),
            (
                "matches nothing, by date",
                search(characters=", ".join([characters[0], characters[-1]]), excluded=characters[0]),
            ),
            ("three characters AND, one excluded", search(characters=", ".join(trio), excluded=excluded)),
            ("main character", search(main_characters=one)),
            ("main ship, one excluded", search(main_relationships=ship_name, excluded=outside)),
            ("one character" + TEN_EXCLUSIONS, search(characters=one)),
            ("fandom, by kudos" + TEN_EXCLUSIONS, search(fandoms=fandom, sort="kudos")),
            ("free text" + TEN_EXCLUSIONS, search(q=word)),
            ("deep page 500" + TEN_EXCLUSIONS, search(rating="general", page=500)),
        ]
