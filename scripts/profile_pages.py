#!/usr/bin/env python
"""Where a page's first render goes: cProfile over first visits, in process, on bench_100000.

    .venv/bin/python scripts/profile_pages.py chapter          # logged-out chapters, never visited
    .venv/bin/python scripts/profile_pages.py chapter --reader # the same, logged in
    .venv/bin/python scripts/profile_pages.py search           # searches nobody asked before

Each request asks for a page not asked for before in the run (another chapter, another question),
through the whole Django stack with the test client, production settings (DEBUG off) and Redis as
the cache (database REDIS_DB, default 9, flushed first). It prints the queries of one such page,
the CPU time a page costs with and without the profiler, and the project's functions by their
cumulative time. `make perf` measures throughput; this says where the time of a page nobody had
asked for goes (the README's "Speed per core"). Needs the archive `scripts/bench_archive.sh` makes.
"""

import argparse
import cProfile
import os
import pstats
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_100000")
os.environ.setdefault("DJANGO_SECRET_KEY", "profile-only-secret")
os.environ.setdefault("REDIS_URL", f"redis://127.0.0.1:6379/{os.environ.get('REDIS_DB', '9')}")
os.environ["DJANGO_DEBUG"] = "0"


def chapter_paths(rng: random.Random) -> list[str]:
    from archive.chapters.models import Chapter

    # Works every reader may open without the adult-content question in the way.
    pairs = list(
        Chapter.objects.filter(
            published_at__isnull=False,
            story__published_at__isnull=False,
            story__restricted=False,
            story__rating__in=["general", "teen"],
        ).values_list("story_id", "id")[:20_000]
    )
    rng.shuffle(pairs)
    return [f"/works/{story_id}/chapters/{chapter_id}" for story_id, chapter_id in pairs]


def search_paths(rng: random.Random) -> list[str]:
    import perf  # scripts/perf.py: the same distinct questions as `make perf`

    return perf.distinct_searches()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", choices=["chapter", "search"])
    parser.add_argument("--reader", action="store_true", help="logged in, as the user profile-reader")
    parser.add_argument("--pages", type=int, default=150, help="first visits profiled (and as many timed)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--top", type=int, default=40, help="the project's functions to list")
    args = parser.parse_args()

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    rng = random.Random(args.seed)  # noqa: S311 - a reproducible sample, not a secret
    paths = (chapter_paths if args.page == "chapter" else search_paths)(rng)
    needed = 21 + 2 * args.pages
    if len(paths) < needed:
        raise SystemExit(f"only {len(paths)} pages to visit, {needed} needed: fewer --pages")
    client = Client(HTTP_HOST="127.0.0.1")
    if args.reader:
        reader, _ = get_user_model().objects.get_or_create(
            username="profile-reader", defaults={"email": "profile-reader@example.org"}
        )
        client.force_login(reader)
    for path in paths[:20]:  # templates, connections and per-process caches warm
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
    with CaptureQueriesContext(connection) as captured:
        client.get(paths[20])
    print(f"{paths[20]}: {len(captured.captured_queries)} queries")
    for query in captured.captured_queries:
        print(f"  {query['time']} s  {' '.join(query['sql'].split())[:150]}")

    profile = cProfile.Profile()
    started = time.process_time()
    profile.enable()
    for path in paths[21 : 21 + args.pages]:
        client.get(path)
    profile.disable()
    profiled = (time.process_time() - started) * 1000 / args.pages
    started = time.process_time()
    for path in paths[21 + args.pages : needed]:
        client.get(path)
    plain = (time.process_time() - started) * 1000 / args.pages
    print(f"CPU a page: {plain:.1f} ms ({profiled:.1f} ms under the profiler), over {args.pages} first visits")

    stats = pstats.Stats(profile)
    calls = sum(entry[1] for entry in stats.stats.values())
    print(f"Python calls a page: {calls / args.pages:,.0f}")
    ours = [
        (cumulative, count, f"{file.removeprefix(str(ROOT) + '/')}:{line}({name})")
        for (file, line, name), (_, count, _, cumulative, _) in stats.stats.items()
        if file.startswith(str(ROOT / "archive"))
    ]
    print(f"\nThe project's functions by cumulative time (s over {args.pages} pages), calls:")
    for cumulative, count, where in sorted(ours, reverse=True)[: args.top]:
        print(f"{cumulative:8.3f} {count:7d}  {where}")


if __name__ == "__main__":
    main()
