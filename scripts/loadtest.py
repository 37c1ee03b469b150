#!/usr/bin/env python
"""make loadtest: gunicorn + PostgreSQL + Redis on this machine under 200 concurrent clients, twice.

1. Ensures the generated benchmark archive `bench_<works>` exists (as scripts/bench.sh makes it),
   copies it into a fresh `loadtest` database (`createdb -T`, so every run starts from the same
   rows and the benchmark database is never written to), migrates it and collects static files.
   It adds one user per client, each with a session made directly (no log-in form) and
   co-author of one posted work, so that client may post new chapters to it.
2. Starts gunicorn with the project's gunicorn.conf.py on a free port, DEBUG off, Redis as the
   cache (a database number of its own, flushed first).
3. Steady run: every client loops (no think time) over 90% reads (front page, tag pages,
   chapters, search by characters) and 10% writes (comments, kudos, new chapters) for
   LOADTEST_SECONDS. Every request's latency and status is recorded. Requirement: no 5xx, no
   failed connection.
4. Fault run: the same load, and at its midpoint PostgreSQL is restarted
   (`CHECKPOINT`, then `pg_ctlcluster ... restart`). Requirement: /healthz answers 200 within
   5 seconds of PostgreSQL taking connections again, with the same gunicorn; no 5xx outside the
   outage (those inside it are counted apart). How long PostgreSQL itself was away and the time
   from the start of the restart are reported beside it.
5. After each run, every write that got a success response (comment ids, new chapter ids,
   (work, user) kudos pairs) must be in the database.

Results go to docs/loadtest-results.json and a table on stdout; the exit status is 1 when a
requirement fails. gunicorn is stopped at the end; the `loadtest` database is kept for a look
afterwards and replaced by the next run (--drop-db drops it).

Settings: LOADTEST_CLIENTS (200), LOADTEST_SECONDS (120), LOADTEST_WORKS (100000),
LOADTEST_PG (postgres://postgres@127.0.0.1:5432), LOADTEST_REDIS_DB (7), or the flags below.
"""

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import httpx
import psycopg

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
LOADTEST_DB = "loadtest"
SECRET_KEY = "loadtest-only-secret"  # noqa: S105 - a throwaway server on 127.0.0.1
# Seconds from the start of PostgreSQL's restart until /healthz answers 200, with the same
# gunicorn (the limit). How long PostgreSQL itself is away (mostly its shutdown
# checkpoint) and how soon after its return the site answers are reported beside it.
RECOVERY_LIMIT = 5.0
PROBE_EVERY = 0.5  # seconds between /healthz probes in the fault run (the precision of recovery)
# Closed-loop clients queue in gunicorn's backlog: a request may wait clients/throughput seconds.
CLIENT_TIMEOUT = float(os.environ.get("LOADTEST_TIMEOUT", "120"))

# The mix: 90% reads, 10% writes.
MIX = {
    "front": 15,
    "tag": 25,
    "chapter": 35,
    "search": 15,
    "comment": 4,
    "kudos": 4,
    "new_chapter": 2,
}
WRITES = {"comment", "kudos", "new_chapter"}

COMMENT_AT = re.compile(r"#comment-(\d+)$")
CHAPTER_AT = re.compile(r"/works/(\d+)/chapters/(\d+)$")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def run(*command: str, env: dict | None = None, quiet: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own fixed commands
        command, cwd=ROOT, env=env, check=True, text=True, capture_output=quiet
    )


def psql(server: str, sql: str, database: str = "postgres") -> str:
    return run("psql", f"{server}/{database}", "-tAc", sql, quiet=True).stdout.strip()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# 1. The database


def ensure_benchmark(server: str, works: int, env: dict) -> str:
    """bench_<works>, generated once as scripts/bench.sh does, then kept (and never written to)."""
    name = f"bench_{works}"
    if psql(server, f"SELECT 1 FROM pg_database WHERE datname = '{name}'") != "1":  # noqa: S608
        psql(server, f"CREATE DATABASE {name}")
    migrated = psql(server, "SELECT to_regclass('stories_story') IS NOT NULL", name) == "t"
    if not migrated or psql(server, "SELECT EXISTS (SELECT 1 FROM stories_story)", name) != "t":
        log(f"Generating {works} works into {name} (about two minutes, once; later runs reuse it)...")
        bench_env = {**env, "DATABASE_URL": f"{server}/{name}"}
        run(PY, "manage.py", "migrate", "--noinput", "-v0", env=bench_env)
        run(PY, "manage.py", "generate_archive", "--works", str(works), "--seed", "1", env=bench_env)
    return name


def fresh_loadtest_db(server: str, template: str, env: dict) -> None:
    psql(server, f"DROP DATABASE IF EXISTS {LOADTEST_DB} WITH (FORCE)")
    run("createdb", "--maintenance-db", f"{server}/postgres", "-T", template, LOADTEST_DB)
    run(PY, "manage.py", "migrate", "--noinput", "-v0", env=env)
    run(PY, "manage.py", "collectstatic", "--noinput", "-v0", env=env)


@dataclass
class Targets:
    sessions: list[str]  # one session key per client
    user_ids: list[int]
    own_story: list[int]  # the work each client co-writes
    chapters: list[str]  # chapter URLs to read and comment on
    stories: list[int]  # works to leave kudos on
    tags: list[str]
    searches: list[str]


def prepare(clients: int, seed: int) -> Targets:
    """Users, sessions, co-authorship and the URLs the clients visit (in-process Django)."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection

    from archive.chapters.models import Chapter
    from archive.stories.models import Story
    from archive.tags.models import Tag, TagKind

    rng = random.Random(seed)  # noqa: S311 - a reproducible sample, not a secret
    user_model = get_user_model()
    users = [user_model(username=f"loadtest{i:04d}", email=f"loadtest{i:04d}@example.org") for i in range(clients)]
    for user in users:
        user.set_unusable_password()  # these accounts never log in through the form
    users = user_model.objects.bulk_create(users)
    sessions = []
    for user in users:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        sessions.append(session.session_key)

    open_works = Story.objects.filter(
        published_at__isnull=False, comment_permission__in=["everyone", "registered"], moderate_comments=False
    )
    # The same works every run: a seeded sample, not ORDER BY random().
    picked = rng.sample(list(open_works.order_by("id").values_list("id", flat=True)), clients + 2000)
    own, others = picked[:clients], picked[clients:]
    for user, story_id in zip(users, own, strict=True):
        Story.authors.through.objects.create(story_id=story_id, user_id=user.pk)
    chapters = [
        f"/works/{story_id}/chapters/{chapter_id}"
        for story_id, chapter_id in Chapter.objects.filter(story_id__in=others, published_at__isnull=False)
        .order_by("id")
        .values_list("story_id", "id")
    ]

    canonical = Tag.objects.filter(merger__isnull=True).order_by("-use_count", "id")
    tags = [tag.get_absolute_url() for tag in canonical.filter(kind=TagKind.FANDOM)[:40]]
    tags += [tag.get_absolute_url() for tag in canonical.filter(kind=TagKind.CHARACTER)[:60]]
    searches = []
    for ship in canonical.filter(kind=TagKind.RELATIONSHIP).prefetch_related("characters", "fandoms")[:40]:
        names = [character.name for character in ship.characters.all()][:2]
        if len(names) == 2:
            mode = "romantic" if ship.ship_kind == "romantic" else "platonic"
            searches.append("/works/search?" + urlencode({"characters": ",".join(names), "character_mode": mode}))
        if names and ship.fandoms.all():
            query = {"characters": names[0], "fandoms": ship.fandoms.all()[0].name, "sort": "kudos"}
            searches.append("/works/search?" + urlencode(query))
    connection.close()
    return Targets(
        sessions=sessions,
        user_ids=[user.pk for user in users],
        own_story=own,
        chapters=chapters,
        stories=others,
        tags=tags,
        searches=searches,
    )


# 2. The server


def start_gunicorn(port: int, env: dict, logfile: Path, access_log: Path) -> subprocess.Popen:
    server_env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}"}
    args = [GUNICORN, "config.wsgi"]
    if (ROOT / "gunicorn.conf.py").exists():
        args += ["-c", "gunicorn.conf.py"]
    # The time each request spent in a worker (microseconds), apart from its wait in the queue.
    args += ["--bind", f"127.0.0.1:{port}", "--access-logfile", str(access_log), "--access-logformat", ACCESS_FORMAT]
    with logfile.open("w") as out:
        process = subprocess.Popen(args, cwd=ROOT, env=server_env, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with {process.returncode}; see {logfile}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    process.terminate()
    raise SystemExit(f"gunicorn did not answer /healthz within a minute; see {logfile}")


ACCESS_FORMAT = '"%(r)s" %(s)s %(D)s'
ACCESS_LINE = re.compile(r'^"(?P<method>\S+) (?P<path>\S+) [^"]*" (?P<status>\d+) (?P<micros>\d+)$')


def access_kind(method: str, path: str) -> str:
    path = path.split("?")[0]
    if method == "POST":
        return {"comments": "comment", "kudos": "kudos", "new": "new_chapter"}.get(path.rsplit("/", 1)[-1], "other")
    if path == "/":
        return "front"
    if path == "/healthz":
        return "healthz"
    if path.startswith("/tags/"):
        return "tag"
    if path.startswith("/works/search"):
        return "search"
    return "chapter" if CHAPTER_AT.search(path) else "other"


def server_times(access_log: Path, skip_lines: int) -> tuple[dict, int]:
    """Time in the worker per kind, from gunicorn's access log lines after `skip_lines`."""
    lines = access_log.read_text().splitlines()
    by_kind = defaultdict(list)
    for line in lines[skip_lines:]:
        if match := ACCESS_LINE.match(line):
            kind = access_kind(match["method"], match["path"])
            by_kind[kind].append(int(match["micros"]) / 1_000_000)
            by_kind["all"].append(int(match["micros"]) / 1_000_000)
    summary = {
        kind: latency_summary([Sample(kind, 0, value, "") for value in by_kind[kind]])
        for kind in [*MIX, "healthz", "all"]
        if by_kind[kind]
    }
    return summary, len(lines)


def stop_gunicorn(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=40)
    except subprocess.TimeoutExpired:
        process.kill()


# 3. The load


@dataclass
class Sample:
    kind: str
    start: float  # seconds since the run began
    latency: float  # seconds
    status: str  # "200", "302", or "error:ReadTimeout"


@dataclass
class Run:
    name: str
    samples: list[Sample] = field(default_factory=list)
    probes: list[Sample] = field(default_factory=list)  # /healthz during the fault run
    comments: list[int] = field(default_factory=list)
    chapters: list[int] = field(default_factory=list)
    kudos: list[tuple[int, int]] = field(default_factory=list)  # (story id, user id)
    write_refusals: Counter = field(default_factory=Counter)  # write kind -> non-success responses
    elapsed: float = 0.0
    restart: dict | None = None


CHAPTER_TEXT = "\n\n".join(
    [
        "The rain had not stopped for three days, and the lantern in the window burned lower each night.",
        "She counted the steps down to the harbour twice, the way her mother used to, before she went.",
        "Nobody at the inn asked where the letter had come from. They only asked who would answer it.",
    ]
)


async def client(
    index: int, base: str, targets: Targets, result: Run, began: float, until: float, rng: random.Random
) -> None:
    kinds, weights = list(MIX), list(MIX.values())
    user_id, own_story = targets.user_ids[index], targets.own_story[index]
    cookies = {"sessionid": targets.sessions[index]}
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with httpx.AsyncClient(base_url=base, cookies=cookies, timeout=CLIENT_TIMEOUT, limits=limits) as http:
        token = ""
        while time.monotonic() < until:
            kind = rng.choices(kinds, weights)[0]
            if kind in WRITES and not token:
                kind = "chapter"  # a chapter page sets the CSRF cookie the first write needs
            method, data, story_id = "GET", None, None
            if kind == "front":
                url = "/"
            elif kind == "tag":
                url = rng.choice(targets.tags) + ("?page=2" if rng.random() < 0.1 else "")
            elif kind == "chapter":
                url = rng.choice(targets.chapters)
            elif kind == "search":
                url = rng.choice(targets.searches)
            elif kind == "comment":
                method, url = "POST", rng.choice(targets.chapters) + "/comments"
                data = {"body": f"Load test comment from client {index} at {time.time():.3f}. Lovely chapter!"}
            elif kind == "kudos":
                story_id = rng.choice(targets.stories)
                method, url = "POST", f"/works/{story_id}/kudos"
            else:
                method, url = "POST", f"/works/{own_story}/chapters/new"
                data = {"title": f"Load test {index}", "body": CHAPTER_TEXT, "action": "post"}
            if method == "POST":
                data = {**(data or {}), "csrfmiddlewaretoken": token}
            started = time.monotonic()
            try:
                response = await http.request(method, url, data=data, headers={"X-CSRFToken": token} if data else None)
                status = str(response.status_code)
            except httpx.HTTPError as error:
                response, status = None, f"error:{type(error).__name__}"
            finished = time.monotonic()
            result.samples.append(Sample(kind, started - began, finished - started, status))
            token = http.cookies.get("csrftoken") or token
            if kind in WRITES:
                location = response.headers.get("location", "") if response is not None else ""
                if kind == "comment" and status == "302" and (match := COMMENT_AT.search(location)):
                    result.comments.append(int(match.group(1)))
                elif kind == "kudos" and status == "302" and location.endswith("#kudos"):
                    result.kudos.append((story_id, user_id))
                elif kind == "new_chapter" and status == "302" and (match := CHAPTER_AT.search(location)):
                    result.chapters.append(int(match.group(2)))
                else:
                    result.write_refusals[f"{kind} {status}"] += 1


async def probe_health(base: str, result: Run, began: float, until: float) -> None:
    """Ask /healthz every PROBE_EVERY seconds, each on its own connection, for the whole run.

    Under 200 clients every request waits its turn in gunicorn's queue, so a single poller would
    add that wait to the recovery time; a probe already queued when PostgreSQL comes back shows
    the moment the site answers again.
    """

    async def one(http: httpx.AsyncClient) -> None:
        sent = time.monotonic()
        try:
            status = str((await http.get("/healthz")).status_code)
        except httpx.HTTPError as error:
            status = f"error:{type(error).__name__}"
        result.probes.append(Sample("healthz", sent - began, time.monotonic() - sent, status))

    limits = httpx.Limits(max_connections=None, max_keepalive_connections=0)
    async with (
        httpx.AsyncClient(base_url=base, timeout=CLIENT_TIMEOUT, limits=limits) as http,
        asyncio.TaskGroup() as group,
    ):
        while time.monotonic() < until:
            group.create_task(one(http))
            await asyncio.sleep(PROBE_EVERY)


async def watch_postgres(dsn: str, stop: asyncio.Event) -> tuple[float | None, float | None]:
    """When PostgreSQL stopped taking connections, and when it took them again."""
    down = up = None
    give_up = time.monotonic() + 120
    # Until it has come back, or the restart command ended without it ever going away.
    while not up and time.monotonic() < give_up and not (stop.is_set() and not down):
        try:
            async with await psycopg.AsyncConnection.connect(dsn, connect_timeout=2) as connection:
                await connection.execute("SELECT 1")
            up = time.monotonic() if down else None
        except psycopg.Error:
            down = down or time.monotonic()
        await asyncio.sleep(0.05)
    return down, up


async def restart_postgres(result: Run, began: float, at: float, cluster: list[str], dsn: str) -> None:
    await asyncio.sleep(max(0.0, at - time.monotonic()))
    # As before any planned restart: write dirty pages out first, while the site still has its
    # database, so the shutdown checkpoint has little left to do.
    checkpoint_start = time.monotonic()
    async with await psycopg.AsyncConnection.connect(dsn, autocommit=True) as connection:
        await connection.execute("CHECKPOINT")
    restart_start = time.monotonic()
    stop = asyncio.Event()
    watcher = asyncio.create_task(watch_postgres(dsn, stop))
    process = await asyncio.create_subprocess_exec(
        "pg_ctlcluster", "--skip-systemctl-redirect", *cluster, "restart",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    output, _ = await process.communicate()
    restart_end = time.monotonic()
    stop.set()
    down, up = await watcher
    result.restart = {
        "command_exit_status": process.returncode,
        "command_output": output.decode().strip(),
        "checkpoint_seconds": round(restart_start - checkpoint_start, 3),
        "at_seconds": round(restart_start - began, 3),
        "command_seconds": round(restart_end - restart_start, 3),
        # What a client of PostgreSQL saw: refused from `down` until `up` (connection attempts
        # every 50 ms).
        "postgres_down_at_seconds": round(down - began, 3) if down else None,
        "postgres_back_at_seconds": round((up or restart_end) - began, 3),
        "postgres_unavailable_seconds": round(up - down, 3) if down and up else None,
    }


def recovery(result: Run) -> dict:
    """When the site answered /healthz with 200 again, from the probes' answers."""
    restart = result.restart
    back = restart["postgres_back_at_seconds"]
    # A 200 that arrives once PostgreSQL is back was computed by a query after the restart.
    answered = sorted(p.start + p.latency for p in result.probes if p.status == "200" and p.start + p.latency >= back)
    recovered = answered[0] if answered else None
    probes_during = [p for p in result.probes if p.start + p.latency >= restart["at_seconds"] and p.start <= back]
    failures = [s for s in result.samples if not s.status.startswith(("2", "3"))]
    return {
        "recovered_at_seconds": round(recovered, 3) if recovered else None,
        # From the moment the restart began (the site loses its database) to /healthz's first 200.
        "recovery_seconds": round(recovered - restart["at_seconds"], 3) if recovered else None,
        "after_postgres_back_seconds": round(recovered - back, 3) if recovered else None,
        "healthz_statuses_during_restart": dict(Counter(p.status for p in probes_during)),
        "healthz_latency": latency_summary(result.probes),
        # The clients' own view: when their last error of the run arrived.
        "last_client_failure_at_seconds": round(max(s.start + s.latency for s in failures), 3) if failures else None,
    }


async def load(
    name: str,
    base: str,
    targets: Targets,
    clients: int,
    seconds: float,
    seed: int,
    cluster: list[str] | None = None,
    dsn: str = "",
) -> Run:
    result = Run(name)
    began = time.monotonic()
    until = began + seconds
    tasks = [
        client(i, base, targets, result, began, until, random.Random(f"{seed}-{name}-{i}"))  # noqa: S311
        for i in range(clients)
    ]
    if cluster:
        tasks.append(probe_health(base, result, began, until))
        tasks.append(restart_postgres(result, began, began + seconds / 2, cluster, dsn))
    await asyncio.gather(*tasks)
    result.elapsed = time.monotonic() - began
    if cluster:
        result.restart.update(recovery(result))
    return result


# 4. Checking and reporting


def verify_writes(result: Run) -> dict:
    from django.db import connection

    from archive.chapters.models import Chapter
    from archive.comments.models import Comment
    from archive.kudos.models import Kudos

    connection.close()  # the connection from before a restart is gone
    comments = Comment.objects.filter(pk__in=result.comments).count()
    chapters = Chapter.objects.filter(pk__in=result.chapters).count()
    pairs = set(result.kudos)
    stories = {story for story, _ in pairs}
    found = set(
        Kudos.objects.filter(story_id__in=stories, user_id__in={user for _, user in pairs}).values_list(
            "story_id", "user_id"
        )
    )
    kudos = len(pairs & found)
    expected = len(set(result.comments)) + len(set(result.chapters)) + len(pairs)
    connection.close()
    return {
        "comments": {"succeeded": len(set(result.comments)), "found": comments},
        "new_chapters": {"succeeded": len(set(result.chapters)), "found": chapters},
        "kudos": {"succeeded": len(pairs), "found": kudos},
        "succeeded": expected,
        "found": comments + chapters + kudos,
    }


def percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values) + 0.5) - 1))
    return sorted_values[index]


def latency_summary(samples: list[Sample]) -> dict:
    values = sorted(sample.latency for sample in samples)
    return {
        "requests": len(values),
        "p50_ms": round(percentile(values, 0.50) * 1000, 1),
        "p95_ms": round(percentile(values, 0.95) * 1000, 1),
        "p99_ms": round(percentile(values, 0.99) * 1000, 1),
        "max_ms": round(values[-1] * 1000, 1) if values else 0.0,
    }


def summarise(result: Run, writes: dict) -> dict:
    samples = result.samples
    by_kind = defaultdict(list)
    for sample in samples:
        by_kind[sample.kind].append(sample)
    server_errors = [sample for sample in samples if sample.status.startswith("5")]
    failed = [sample for sample in samples if sample.status.startswith("error")]
    summary = {
        "seconds": round(result.elapsed, 1),
        "requests": len(samples),
        "throughput_rps": round(len(samples) / result.elapsed, 1),
        "latency": latency_summary(samples),
        "by_kind": {kind: latency_summary(by_kind[kind]) for kind in MIX if by_kind[kind]},
        "status_counts": dict(sorted(Counter(sample.status for sample in samples).items())),
        "status_by_kind": {
            kind: dict(sorted(Counter(sample.status for sample in by_kind[kind]).items())) for kind in MIX
        },
        "server_errors_5xx": len(server_errors),
        "connection_failures": len(failed),
        "write_non_successes": dict(result.write_refusals),
        "writes_verified": writes,
    }
    if result.restart:
        restart = result.restart
        window_start = restart["at_seconds"]
        window_end = restart["recovered_at_seconds"] or float("inf")

        def in_window(sample: Sample) -> bool:
            # By when the answer came: a request queued before the restart may fail during it.
            return window_start <= sample.start + sample.latency <= window_end

        summary["restart"] = restart
        summary["server_errors_5xx_during_outage"] = sum(1 for sample in server_errors if in_window(sample))
        summary["server_errors_5xx_outside_outage"] = sum(1 for sample in server_errors if not in_window(sample))
        summary["connection_failures_outside_outage"] = sum(1 for sample in failed if not in_window(sample))
    return summary


def requirements(steady: dict | None, fault: dict | None) -> list[tuple[str, bool]]:
    checks = []
    if steady:
        checks += [
            ("steady run: zero 5xx responses", steady["server_errors_5xx"] == 0),
            ("steady run: no failed connections", steady["connection_failures"] == 0),
            (
                f"steady run: {steady['writes_verified']['found']} of {steady['writes_verified']['succeeded']} "
                "successful writes found",
                steady["writes_verified"]["found"] == steady["writes_verified"]["succeeded"],
            ),
        ]
    if fault:
        restart = fault["restart"]
        recovery = restart["recovery_seconds"]
        checks += [
            ("fault run: PostgreSQL restarted", restart["command_exit_status"] == 0),
            (
                f"fault run: /healthz 200 again {recovery} s after the restart began "
                f"({restart['after_postgres_back_seconds']} s after PostgreSQL was back, PostgreSQL itself "
                f"unavailable {restart['postgres_unavailable_seconds']} s; limit {RECOVERY_LIMIT:g} s)",
                recovery is not None and recovery <= RECOVERY_LIMIT,
            ),
            ("fault run: no 5xx outside the outage", fault["server_errors_5xx_outside_outage"] == 0),
            ("fault run: no failed connections outside the outage", fault["connection_failures_outside_outage"] == 0),
            (
                f"fault run: {fault['writes_verified']['found']} of {fault['writes_verified']['succeeded']} "
                "successful writes found",
                fault["writes_verified"]["found"] == fault["writes_verified"]["succeeded"],
            ),
        ]
    return checks


def print_table(name: str, summary: dict) -> None:
    print(f"\n== {name}: {summary['requests']} requests in {summary['seconds']} s, {summary['throughput_rps']} req/s")
    print("Latency as the clients saw it (queue wait included), and the time in a gunicorn worker:")
    print(
        f"{'kind':<12} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} "
        f"{'worker p50':>10} {'p95':>7} {'p99':>7}  statuses"
    )
    rows = [*summary["by_kind"].items(), ("all", summary["latency"])]
    for kind, row in rows:
        statuses = summary["status_counts"] if kind == "all" else summary["status_by_kind"][kind]
        shown = " ".join(f"{status}:{count}" for status, count in statuses.items())
        worker = summary["server_time"].get(kind, {"p50_ms": "-", "p95_ms": "-", "p99_ms": "-"})
        print(
            f"{kind:<12} {row['requests']:>8} {row['p50_ms']:>8} {row['p95_ms']:>8} {row['p99_ms']:>8} "
            f"{row['max_ms']:>8} {worker['p50_ms']:>10} {worker['p95_ms']:>7} {worker['p99_ms']:>7}  {shown}"
        )
    writes = summary["writes_verified"]
    print(
        f"5xx: {summary['server_errors_5xx']}   failed connections: {summary['connection_failures']}   "
        f"writes: {writes['found']} of {writes['succeeded']} successful writes found "
        f"(comments {writes['comments']['found']}/{writes['comments']['succeeded']}, "
        f"new chapters {writes['new_chapters']['found']}/{writes['new_chapters']['succeeded']}, "
        f"kudos {writes['kudos']['found']}/{writes['kudos']['succeeded']})"
    )
    if "restart" in summary:
        restart = summary["restart"]
        print(
            f"PostgreSQL restarted at {restart['at_seconds']} s "
            f"(unavailable {restart['postgres_unavailable_seconds']} s, "
            f"pg_ctlcluster took {restart['command_seconds']} s); "
            f"/healthz 200 again after {restart['recovery_seconds']} s "
            f"({restart['after_postgres_back_seconds']} s after PostgreSQL was back; "
            f"healthz p50 {restart['healthz_latency']['p50_ms']} ms under this load); "
            f"5xx during the outage: {summary['server_errors_5xx_during_outage']}, "
            f"outside it: {summary['server_errors_5xx_outside_outage']}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=int(os.environ.get("LOADTEST_CLIENTS", "200")))
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("LOADTEST_SECONDS", "120")))
    parser.add_argument("--works", type=int, default=int(os.environ.get("LOADTEST_WORKS", "100000")))
    parser.add_argument("--pg", default=os.environ.get("LOADTEST_PG", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--redis-db", type=int, default=int(os.environ.get("LOADTEST_REDIS_DB", "7")))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-steady", action="store_true", help="Only the fault run.")
    parser.add_argument("--skip-fault", action="store_true", help="Only the steady run (PostgreSQL untouched).")
    parser.add_argument("--drop-db", action="store_true", help="Drop the loadtest database afterwards.")
    parser.add_argument("--output", default=str(ROOT / "docs" / "loadtest-results.json"))
    args = parser.parse_args()

    clusters = sorted(os.listdir("/etc/postgresql")) if os.path.isdir("/etc/postgresql") else []
    cluster = [clusters[-1], "main"] if clusters else None
    if not args.skip_fault and not (cluster and shutil.which("pg_ctlcluster")):
        raise SystemExit("The fault run restarts PostgreSQL with pg_ctlcluster, which this machine lacks.")

    redis_url = f"redis://127.0.0.1:6379/{args.redis_db}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": SECRET_KEY,
        "DATABASE_URL": f"{args.pg}/{LOADTEST_DB}",
        "REDIS_URL": redis_url,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_LOG_LEVEL": "WARNING",
        # New chapters notify subscribers by e-mail: keep them out of the server log.
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
    }
    log(f"Checking the benchmark archive ({args.works} works)...")
    template = ensure_benchmark(args.pg, args.works, env)
    log(f"Copying {template} into a fresh {LOADTEST_DB} database; migrate; collectstatic...")
    fresh_loadtest_db(args.pg, template, env)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    log(f"Adding {args.clients} users with sessions and co-written works...")
    targets = prepare(args.clients, args.seed)
    import redis

    redis.Redis.from_url(redis_url).flushdb()  # rate-limit counts and cache from earlier runs

    port = free_port()
    server_log = Path(f"/tmp/loadtest-gunicorn-{port}.log")  # noqa: S108
    access_log = server_log.with_suffix(".access.log")
    log(f"Starting gunicorn on 127.0.0.1:{port} (logs: {server_log}, {access_log})...")
    server = start_gunicorn(port, env, server_log, access_log)
    _, seen = server_times(access_log, 0)
    base = f"http://127.0.0.1:{port}"
    steady = fault = None
    try:
        if not args.skip_steady:
            log(f"Steady run: {args.clients} clients for {args.seconds:g} s...")
            steady_run = asyncio.run(load("steady", base, targets, args.clients, args.seconds, args.seed))
            steady = summarise(steady_run, verify_writes(steady_run))
            steady["server_time"], seen = server_times(access_log, seen)
            print_table("Steady run", steady)
        if not args.skip_fault:
            log(f"Fault run: {args.clients} clients for {args.seconds:g} s, PostgreSQL restarted at the midpoint...")
            fault_run = asyncio.run(
                load("fault", base, targets, args.clients, args.seconds, args.seed, cluster, env["DATABASE_URL"])
            )
            fault = summarise(fault_run, verify_writes(fault_run))
            fault["server_time"], seen = server_times(access_log, seen)
            print_table("Fault run", fault)
        gunicorn_pid_unchanged = server.poll() is None
    finally:
        log("Stopping gunicorn...")
        stop_gunicorn(server)
    if args.drop_db:
        psql(args.pg, f"DROP DATABASE IF EXISTS {LOADTEST_DB} WITH (FORCE)")

    checks = requirements(steady, fault)
    if fault:
        checks.append(("fault run: the same gunicorn served throughout (never restarted)", gunicorn_pid_unchanged))
    results = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count()},
        "setup": {
            "works": args.works,
            "clients": args.clients,
            "seconds": args.seconds,
            "mix_percent": MIX,
            "gunicorn": "gunicorn.conf.py" if (ROOT / "gunicorn.conf.py").exists() else "defaults",
            "redis": redis_url,
        },
        "steady": steady,
        "fault": fault,
        "requirements": [{"check": name, "passed": passed} for name, passed in checks],
        "passed": all(passed for _, passed in checks),
    }
    Path(args.output).write_text(json.dumps(results, indent=2) + "\n")
    print()
    for name, passed in checks:
        print(f"{'PASS' if passed else 'FAIL'}  {name}")
    print(f"\nResults written to {args.output}")
    return 0 if results["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
