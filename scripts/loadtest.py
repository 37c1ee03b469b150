#!/usr/bin/env python
"""make loadtest: gunicorn + PostgreSQL + Redis on this machine under 200 concurrent clients, twice.

1. Ensures the generated benchmark archive `bench_<works>` exists (as scripts/bench.sh makes it),
   copies it into a fresh `loadtest` database (`createdb -T`, so every run starts from the same
   rows and the benchmark database is never written to), migrates it and collects static files.
   It adds one user per client, each with a session made directly (no log-in form) and
   co-author of one posted work, so that client may post new chapters to it.
2. Starts gunicorn with the project's gunicorn.conf.py on a free port, DEBUG off, Redis as the
   cache (a database number of its own, flushed first).
3. Steady run: `wrk -t2 -c<clients>` with scripts/loadtest.lua, for LOADTEST_SECONDS, every
   connection sending its next request as soon as it has an answer (no think time). The requests
   are listed here beforehand, in files the Lua script loads: 90% reads (front page, tag pages,
   chapters, search by characters), two thirds of them logged out (the client's CSRF cookie
   only) and one third logged in (the client's session), and 10% writes (comments, kudos, new
   chapters), all logged in, each with the client's CSRF cookie and its X-CSRFToken header.
   wrk measures the latency (queue wait included); gunicorn's access log gives each kind's
   statuses and its time in a worker; wrk's own CPU time is measured (os.wait4), and it must
   stay under a quarter of the machine. Requirements: no 5xx, no socket error, and the issue's
   goal (#11): ten times the throughput of the first measurement, p95 under 1 s.
4. Fault run: the same load, and at its midpoint PostgreSQL is restarted
   (`CHECKPOINT`, then `pg_ctlcluster ... restart`). Requirement: /healthz answers 200 within
   5 seconds of the restart's start, with the same gunicorn; no 5xx outside the outage (those
   inside it are counted apart, by the time wrk got them) and no socket error. How long
   PostgreSQL itself was away and the time from the start of the restart are reported beside it.
5. After each run, every write that got a redirect to what it made is looked up: each comment
   (the id in the redirect, its text carrying the marker of the listed request, its author and
   chapter those of that request), each new chapter (id, work and title) and each kudos (the
   redirect names the work, and each work takes kudos from one listed request a run, so one user).

Results go to docs/loadtest-results.json and a table on stdout; the exit status is 1 when a
requirement fails. gunicorn is stopped at the end; the `loadtest` database is kept for a look
afterwards and replaced by the next run (--drop-db drops it). The request lists, wrk's output and
the acknowledged writes stay in /tmp/loadtest-<port>/.

Settings: LOADTEST_CLIENTS (200), LOADTEST_SECONDS (120), LOADTEST_WORKS (100000),
LOADTEST_PG (postgres://postgres@127.0.0.1:5432), LOADTEST_REDIS_DB (7), LOADTEST_TIMEOUT (120,
seconds before wrk gives up on an answer), LOADTEST_LOGGED_OUT (0.667, the share of reads made
logged out), or the flags below.
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
WRK = shutil.which("wrk") or "/usr/bin/wrk"
LUA = ROOT / "scripts" / "loadtest.lua"
LOADTEST_DB = "loadtest"
SECRET_KEY = "loadtest-only-secret"  # noqa: S105 - a throwaway server on 127.0.0.1
# Seconds from the start of PostgreSQL's restart until /healthz answers 200, with the same
# gunicorn (the limit). How long PostgreSQL itself is away (mostly its shutdown
# checkpoint) and how soon after its return the site answers are reported beside it.
RECOVERY_LIMIT = 5.0
PROBE_EVERY = 0.5  # seconds between /healthz probes in the fault run (the precision of recovery)
# Closed-loop clients queue in gunicorn's backlog: a request may wait clients/throughput seconds.
# wrk drops an answer slower than this as a timeout (a socket error), so it is generous.
CLIENT_TIMEOUT = int(os.environ.get("LOADTEST_TIMEOUT", "120"))
WRK_THREADS = 2
# The load generator may use at most this share of the machine's CPUs (the issue: a quarter).
GENERATOR_CPU_SHARE = 0.25
# The goal of #11: ten times the throughput `make loadtest` measured when it was filed (README,
# 2026-11-26: 49.9 requests a second, every client logged in), with p95 under a second.
FIRST_THROUGHPUT = 49.9
GOAL_FACTOR = 10
GOAL_P95_MS = 1000
# Requests listed per second of a run: more than this machine serves even a bare hello (~3,300
# a second on 2 CPUs), so no run uses its list up (if one does, it starts over and says so).
LISTED_PER_SECOND = 2500

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
# Most of a real archive's readers are not logged in (AO3 publishes no figure): two reads in
# three are made logged out, with no cookie but the client's CSRF one; the rest, and every write,
# with the client's session. LOADTEST_LOGGED_OUT=0 makes every read logged in, as before wrk.
LOGGED_OUT_READS = float(os.environ.get("LOADTEST_LOGGED_OUT", 2 / 3))
KINDS = [f"{kind}-{state}" for kind in MIX if kind not in WRITES for state in ("out", "in")] + [
    kind for kind in MIX if kind in WRITES
]

MARKER = re.compile(r"lt-(?:steady|fault)-\d+")


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
    csrf_secrets: list[str]  # one CSRF cookie per client
    user_ids: list[int]
    own_story: list[int]  # the work each client co-writes
    chapters: list[tuple[int, int]]  # (work id, chapter id) to read and comment on
    kudos_works: list[list[int]]  # per run, works to leave kudos on, each once
    tags: list[str]
    searches: list[str]


def prepare(clients: int, seed: int, runs: int) -> Targets:
    """Users, sessions, co-authorship and the URLs the clients visit (in-process Django)."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection
    from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
    from django.utils.crypto import get_random_string

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

    # Works every reader may open (not restricted to registered users) that take comments at once.
    open_works = Story.objects.filter(
        published_at__isnull=False,
        restricted=False,
        comment_permission__in=["everyone", "registered"],
        moderate_comments=False,
    )
    # The same works every run: a seeded sample, not ORDER BY random().
    picked = rng.sample(list(open_works.order_by("id").values_list("id", flat=True)), clients + 2000)
    own, others = picked[:clients], picked[clients:]
    for user, story_id in zip(users, own, strict=True):
        Story.authors.through.objects.create(story_id=story_id, user_id=user.pk)
    chapters = list(
        Chapter.objects.filter(story_id__in=others, published_at__isnull=False)
        .order_by("id")
        .values_list("story_id", "id")
    )
    # Kudos: every work a logged-in reader sees but their own, each run its own share, so that
    # no user leaves kudos twice on a work and the redirect (which names the work) names the pair.
    kudos_pool = list(
        Story.objects.visible_to(users[0]).exclude(pk__in=own).order_by("id").values_list("id", flat=True)
    )
    rng.shuffle(kudos_pool)

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
        csrf_secrets=[get_random_string(CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS) for _ in range(clients)],
        user_ids=[user.pk for user in users],
        own_story=own,
        chapters=chapters,
        kudos_works=[kudos_pool[index::runs] for index in range(runs)],
        tags=tags,
        searches=searches,
    )


# 2. The server


def start_gunicorn(port: int, env: dict, logfile: Path, access_log: Path) -> subprocess.Popen:
    server_env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}"}
    args = [GUNICORN, "config.wsgi"]
    if (ROOT / "gunicorn.conf.py").exists():
        args += ["-c", "gunicorn.conf.py"]
    # The time each request spent in a worker (microseconds), apart from its wait in the queue,
    # and the kind the Lua script names in a header of its own.
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


ACCESS_FORMAT = '"%(r)s" %(s)s %(D)s %({x-loadtest-kind}i)s'
ACCESS_LINE = re.compile(r'^"(?P<method>\S+) (?P<path>\S+) [^"]*" (?P<status>\d+) (?P<micros>\d+) (?P<kind>\S+)$')


def server_side(access_log: Path, skip_lines: int) -> tuple[dict, int]:
    """Per kind, from gunicorn's access log lines after `skip_lines`: statuses and time in a worker."""
    lines = access_log.read_text().splitlines()
    times, statuses = defaultdict(list), defaultdict(Counter)
    for line in lines[skip_lines:]:
        if match := ACCESS_LINE.match(line):
            kind = match["kind"] if match["kind"] != "-" else match["path"].split("?")[0].strip("/") or "other"
            for name in (kind, "all"):
                times[name].append(int(match["micros"]) / 1000)
                statuses[name][match["status"]] += 1
    by_kind = {
        kind: {**percentiles_ms(times[kind]), "statuses": dict(sorted(statuses[kind].items()))}
        for kind in [*KINDS, *sorted(set(times) - {*KINDS, "all"}), "all"]
        if times[kind]
    }
    return by_kind, len(lines)


HELLO_SECONDS = 10


def hello_rate(env: dict, folder: Path) -> float:
    """Requests a second of the bare Django hello (scripts/perf/hello.py, as `make perf` measures
    it), served by gunicorn with the same configuration and workers as the archive, under
    `wrk -t2 -c16` for HELLO_SECONDS: this machine's speed at the time of the run, so that runs on
    a faster or slower machine (or hour) compare as multiples of it."""
    port = free_port()
    hello_env = {key: value for key, value in env.items() if key != "DJANGO_SETTINGS_MODULE"}
    hello_env["GUNICORN_BIND"] = f"127.0.0.1:{port}"
    args = [GUNICORN, "-c", "gunicorn.conf.py", "--pythonpath", "scripts/perf", "--bind", f"127.0.0.1:{port}", "hello"]
    with (folder / "hello.log").open("w") as out:
        process = subprocess.Popen(args, cwd=ROOT, env=hello_env, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise SystemExit(f"the hello did not answer; see {folder / 'hello.log'}") from None
            time.sleep(0.3)
        run = subprocess.run(  # noqa: S603 - our own fixed command
            [WRK, "-t2", "-c16", f"-d{HELLO_SECONDS}s", f"http://127.0.0.1:{port}/"],
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        stop_gunicorn(process)
    found = re.search(r"^Requests/sec:\s+([\d.]+)", run.stdout, re.MULTILINE)
    if not found:
        raise SystemExit(f"wrk said nothing of the hello's rate:\n{run.stdout}")
    return float(found[1])


def stop_gunicorn(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=40)
    except subprocess.TimeoutExpired:
        process.kill()


# 3. The load


CHAPTER_TEXT = "\n\n".join(
    [
        "The rain had not stopped for three days, and the lantern in the window burned lower each night.",
        "She counted the steps down to the harbour twice, the way her mother used to, before she went.",
        "Nobody at the inn asked where the letter had come from. They only asked who would answer it.",
    ]
)


@dataclass
class Plan:
    """What one run's request lists ask for: the writes its acknowledgements are checked against."""

    comments: dict[str, tuple[int, int]] = field(default_factory=dict)  # marker -> (user id, chapter id)
    kudos: dict[int, int] = field(default_factory=dict)  # work id -> user id (one a run)
    chapters: dict[str, tuple[int, int]] = field(default_factory=dict)  # title -> (work id, user id)
    listed: Counter = field(default_factory=Counter)  # kind -> requests listed


def write_requests(
    folder: Path, name: str, targets: Targets, clients: int, count: int, threads: int, seed: int
) -> Plan:
    """The run's requests, in the files scripts/loadtest.lua loads: thread t sends lines t, t + threads..."""
    rng = random.Random(f"{seed}-{name}")  # noqa: S311 - a reproducible load, not a secret
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "clients.tsv").open("w") as out:
        out.writelines(
            f"{secret}\t{session}\n" for secret, session in zip(targets.csrf_secrets, targets.sessions, strict=True)
        )
    plan = Plan()
    kudos_works = list(reversed(targets.kudos_works[0 if name == "steady" else -1]))
    files = [(folder / f"requests-{thread}.tsv").open("w") for thread in range(threads)]
    try:
        for index, kind in enumerate(rng.choices(list(MIX), list(MIX.values()), k=count)):
            client = (index // threads) % clients
            user_id = targets.user_ids[client]
            marker = f"lt-{name}-{index}"
            method, body, logged_in = "POST", "", True
            if kind == "comment":
                story_id, chapter_id = rng.choice(targets.chapters)
                path = f"/works/{story_id}/chapters/{chapter_id}/comments"
                body = urlencode({"body": f"Load test comment {marker} from client {client}. Lovely chapter!"})
                plan.comments[marker] = (user_id, chapter_id)
            elif kind == "kudos":
                if not kudos_works:
                    break  # a small archive: the list ends here, and wrk starts it over
                story_id = kudos_works.pop()
                path = f"/works/{story_id}/kudos"
                plan.kudos[story_id] = user_id
            elif kind == "new_chapter":
                story_id, title = targets.own_story[client], f"Load test {marker}"
                path = f"/works/{story_id}/chapters/new"
                body = urlencode({"title": title, "body": CHAPTER_TEXT, "action": "post"})
                plan.chapters[title] = (story_id, user_id)
            else:
                method, logged_in = "GET", rng.random() >= LOGGED_OUT_READS
                if kind == "front":
                    path = "/"
                elif kind == "tag":
                    path = rng.choice(targets.tags) + ("?page=2" if rng.random() < 0.1 else "")
                elif kind == "chapter":
                    path = "/works/{}/chapters/{}".format(*rng.choice(targets.chapters))
                else:
                    path = rng.choice(targets.searches)
                kind = f"{kind}-{'in' if logged_in else 'out'}"
            plan.listed[kind] += 1
            files[index % threads].write(f"{kind}\t{method}\t{path}\t{client}\t{int(logged_in)}\t{body}\n")
    finally:
        for file in files:
            file.close()
    return plan


@dataclass
class Sample:
    kind: str
    start: float  # seconds since the run began
    latency: float  # seconds
    status: str  # "200", "503", or "error:ReadTimeout"


@dataclass
class Run:
    name: str
    folder: Path
    began: float = 0.0  # time.monotonic() when wrk was started
    wrk: dict = field(default_factory=dict)  # what scripts/loadtest.lua's done() printed
    generator: dict = field(default_factory=dict)  # wrk's command and CPU time
    acks: list[list[str]] = field(default_factory=list)  # the lines of acks-<thread>.tsv
    machine_busy_cores: float = 0.0  # every process's CPU during the run, in cores
    jiffies_before: tuple[int, int] = (0, 0)
    probes: list[Sample] = field(default_factory=list)  # /healthz during the fault run
    restart: dict | None = None


def cpu_jiffies() -> tuple[int, int]:
    """(busy, total) CPU time of the whole machine so far, from /proc/stat."""
    values = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    return sum(values) - idle, sum(values)


def start_wrk(result: Run, base: str, clients: int, seconds: int, threads: int) -> subprocess.Popen:
    command = [
        WRK, f"-t{threads}", f"-c{clients}", f"-d{seconds}s", "--latency", "--timeout", f"{CLIENT_TIMEOUT}s",
        "-s", str(LUA), base, "--", str(result.folder),
    ]  # fmt: skip
    # wrk gives each thread clients // threads connections.
    result.generator = {"command": " ".join(command), "threads": threads, "connections": clients // threads * threads}
    result.jiffies_before = cpu_jiffies()
    result.began = time.monotonic()
    with (result.folder / "wrk.out").open("w") as out:
        return subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603 - our own command


def finish_wrk(result: Run, process: subprocess.Popen, threads: int) -> None:
    """Wait for wrk, with its own CPU time (wait4: the fault run's pg_ctlcluster is a child too)."""
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.monotonic() - result.began
    process.returncode = os.waitstatus_to_exitcode(status)
    busy_before, total_before = result.jiffies_before
    busy, total = cpu_jiffies()
    result.machine_busy_cores = round((busy - busy_before) / (total - total_before) * os.cpu_count(), 2)
    output = (result.folder / "wrk.out").read_text()
    printed = [line for line in output.splitlines() if line.startswith("loadtest-wrk ")]
    if process.returncode != 0 or not printed:
        raise SystemExit(f"wrk failed (exit status {process.returncode}):\n{output}")
    result.wrk = json.loads(printed[0].removeprefix("loadtest-wrk "))
    cpu = usage.ru_utime + usage.ru_stime
    result.generator.update(
        cpu_seconds=round(cpu, 2),
        user_seconds=round(usage.ru_utime, 2),
        system_seconds=round(usage.ru_stime, 2),
        wall_seconds=round(wall, 2),
        cores=round(cpu / wall, 3),
        share_of_machine=round(cpu / wall / os.cpu_count(), 3),
    )
    for thread in range(threads):
        path = result.folder / f"acks-{thread}.tsv"
        result.acks += [line.split("\t") for line in path.read_text().splitlines()] if path.exists() else []


async def probe_health(base: str, result: Run, until: float) -> None:
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
        result.probes.append(Sample("healthz", sent - result.began, time.monotonic() - sent, status))

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


async def restart_postgres(result: Run, at: float, cluster: list[str], dsn: str) -> None:
    await asyncio.sleep(max(0.0, at - time.monotonic()))
    began = result.began
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


def server_errors(result: Run) -> list[float]:
    """When (seconds into the run) wrk got each 5xx answer."""
    return [float(ack[2]) - result.began for ack in result.acks if ack[0] == "status" and ack[1].startswith("5")]


def recovery(result: Run) -> dict:
    """When the site answered /healthz with 200 again, from the probes' answers."""
    restart = result.restart
    back = restart["postgres_back_at_seconds"]
    # A 200 that arrives once PostgreSQL is back was computed by a query after the restart.
    answered = sorted(p.start + p.latency for p in result.probes if p.status == "200" and p.start + p.latency >= back)
    recovered = answered[0] if answered else None
    probes_during = [p for p in result.probes if p.start + p.latency >= restart["at_seconds"] and p.start <= back]
    errors = server_errors(result)
    return {
        "recovered_at_seconds": round(recovered, 3) if recovered else None,
        # From the moment the restart began (the site loses its database) to /healthz's first 200.
        "recovery_seconds": round(recovered - restart["at_seconds"], 3) if recovered else None,
        "after_postgres_back_seconds": round(recovered - back, 3) if recovered else None,
        "healthz_statuses_during_restart": dict(Counter(p.status for p in probes_during)),
        "healthz_latency": percentiles_ms([p.latency * 1000 for p in result.probes]),
        # The clients' own view: when their last 5xx of the run arrived.
        "last_5xx_at_seconds": round(max(errors), 3) if errors else None,
    }


def steady_load(result: Run, base: str, clients: int, seconds: int, threads: int) -> Run:
    finish_wrk(result, start_wrk(result, base, clients, seconds, threads), threads)
    return result


async def fault_load(
    result: Run, base: str, clients: int, seconds: int, threads: int, cluster: list[str], dsn: str
) -> Run:
    process = start_wrk(result, base, clients, seconds, threads)
    await asyncio.gather(
        asyncio.to_thread(finish_wrk, result, process, threads),
        probe_health(base, result, result.began + seconds),
        restart_postgres(result, result.began + seconds / 2, cluster, dsn),
    )
    result.restart.update(recovery(result))
    return result


# 4. Checking and reporting


def verify_writes(result: Run, plan: Plan) -> dict:
    """Look up every write wrk saw acknowledged; each must be the one its request listed."""
    from django.db import connection

    from archive.chapters.models import Chapter
    from archive.comments.models import Comment
    from archive.kudos.models import Kudos

    connection.close()  # the connection from before a restart is gone
    comment_ids = {int(ack[1]) for ack in result.acks if ack[0] == "comment"}
    chapter_ids = {int(ack[2]): int(ack[1]) for ack in result.acks if ack[0] == "new_chapter"}
    kudos_works = {int(ack[1]) for ack in result.acks if ack[0] == "kudos"}

    comments = 0
    for row in Comment.objects.filter(pk__in=comment_ids, deleted_at__isnull=True).values(
        "user_id", "chapter_id", "body"
    ):
        marker = MARKER.search(row["body"])
        comments += bool(marker) and plan.comments.get(marker[0]) == (row["user_id"], row["chapter_id"])
    chapters = 0
    for row in Chapter.objects.filter(pk__in=chapter_ids, published_at__isnull=False).values("pk", "story_id", "title"):
        expected = plan.chapters.get(row["title"])
        chapters += bool(expected) and expected[0] == row["story_id"] == chapter_ids[row["pk"]]
    # A kudos redirect names the work; the plan names the one user who was to leave kudos on it.
    pairs = {(story_id, plan.kudos.get(story_id)) for story_id in kudos_works}
    kudos = len(
        pairs
        & set(
            Kudos.objects.filter(story_id__in=kudos_works, user_id__in={user for _, user in pairs if user})
            .values_list("story_id", "user_id")
            .distinct()
        )
    )
    connection.close()
    return {
        "comments": {"acknowledged": len(comment_ids), "found": comments},
        "new_chapters": {"acknowledged": len(chapter_ids), "found": chapters},
        "kudos": {"acknowledged": len(pairs), "found": kudos},
        "acknowledged": len(comment_ids) + len(chapter_ids) + len(pairs),
        "found": comments + chapters + kudos,
    }


def percentiles_ms(values: list[float]) -> dict:
    values = sorted(values)

    def at(fraction: float) -> float:
        index = min(len(values) - 1, max(0, round(fraction * len(values) + 0.5) - 1))
        return round(values[index], 1) if values else 0.0

    return {
        "requests": len(values),
        "p50_ms": at(0.50),
        "p95_ms": at(0.95),
        "p99_ms": at(0.99),
        "max_ms": round(values[-1], 1) if values else 0.0,
    }


def summarise(result: Run, plan: Plan, by_kind: dict, writes: dict) -> dict:
    wrk = result.wrk
    seconds = wrk["duration_us"] / 1_000_000
    percentiles = wrk["latency_us"]["percentiles"]
    statuses = wrk["statuses"]
    listed = sum(plan.listed.values())
    summary = {
        "seconds": round(seconds, 1),
        "requests": wrk["requests"],
        "throughput_rps": round(wrk["requests"] / seconds, 1),
        # As wrk saw it: from sending a request to its answer, the wait in gunicorn's queue included.
        "latency": {
            "p50_ms": round(percentiles["50"] / 1000, 1),
            "p90_ms": round(percentiles["90"] / 1000, 1),
            "p95_ms": round(percentiles["95"] / 1000, 1),
            "p99_ms": round(percentiles["99"] / 1000, 1),
            "p99.9_ms": round(percentiles["99.9"] / 1000, 1),
            "max_ms": round(wrk["latency_us"]["max"] / 1000, 1),
            "mean_ms": round(wrk["latency_us"]["mean"] / 1000, 1),
        },
        "status_counts": statuses,
        "server_errors_5xx": sum(count for status, count in statuses.items() if status.startswith("5")),
        "socket_errors": wrk["socket_errors"],
        "connection_failures": sum(wrk["socket_errors"].values()),
        "load_generator": result.generator,
        "machine_busy_cores": result.machine_busy_cores,
        "request_list": {
            "listed": listed,
            "sent": wrk["sent"],
            "laps": wrk["laps"],
            "mix_listed_percent": {kind: round(100 * plan.listed[kind] / listed, 2) for kind in KINDS},
        },
        # From gunicorn's access log: each kind's statuses and its time in a worker (no queue).
        "by_kind": by_kind,
        "write_non_successes": {
            f"{kind} {status}": count
            for kind in sorted(WRITES)
            for status, count in by_kind.get(kind, {}).get("statuses", {}).items()
            if status != "302"
        },
        "writes_verified": writes,
    }
    if result.restart:
        restart = result.restart
        window_start = restart["at_seconds"]
        window_end = restart["recovered_at_seconds"] or float("inf")
        # By when the answer came: a request queued before the restart may fail during it.
        during = [at for at in server_errors(result) if window_start <= at <= window_end]
        summary["restart"] = restart
        summary["server_errors_5xx_during_outage"] = len(during)
        summary["server_errors_5xx_outside_outage"] = summary["server_errors_5xx"] - len(during)
    return summary


def requirements(steady: dict | None, fault: dict | None) -> list[tuple[str, bool]]:
    limit = os.cpu_count() * GENERATOR_CPU_SHARE
    checks = []

    def common(name: str, summary: dict) -> list[tuple[str, bool]]:
        writes, generator = summary["writes_verified"], summary["load_generator"]
        return [
            (
                f"{name}: no socket errors ({summary['connection_failures']}: {summary['socket_errors']})",
                summary["connection_failures"] == 0,
            ),
            (
                f"{name}: {writes['found']} of {writes['acknowledged']} acknowledged writes found",
                writes["found"] == writes["acknowledged"],
            ),
            (
                f"{name}: the load generator (wrk) used {generator['cores']} cores "
                f"(limit {limit:g}, a quarter of {os.cpu_count()})",
                generator["cores"] < limit,
            ),
        ]

    if steady:
        goal = GOAL_FACTOR * FIRST_THROUGHPUT
        checks += [
            ("steady run: zero 5xx responses", steady["server_errors_5xx"] == 0),
            *common("steady run", steady),
            (
                f"steady run, goal of #11: {steady['throughput_rps']} req/s, at least {GOAL_FACTOR} x "
                f"{FIRST_THROUGHPUT} = {goal:g}",
                steady["throughput_rps"] >= goal,
            ),
            (
                f"steady run, goal of #11: p95 {steady['latency']['p95_ms']} ms, under {GOAL_P95_MS} ms",
                steady["latency"]["p95_ms"] < GOAL_P95_MS,
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
            *common("fault run", fault),
        ]
    return checks


def print_table(name: str, summary: dict) -> None:
    latency, generator = summary["latency"], summary["load_generator"]
    print(f"\n== {name}: {summary['requests']} requests in {summary['seconds']} s, {summary['throughput_rps']} req/s")
    if "hello_rps" in summary:
        print(
            f"The bare Django hello did {summary['hello_rps']:,.0f} req/s just before: this run is "
            f"{summary['throughput_per_hello']:.4f} of it"
        )
    print(
        f"Latency as wrk saw it (queue wait included): p50 {latency['p50_ms']} ms, p95 {latency['p95_ms']} ms, "
        f"p99 {latency['p99_ms']} ms, max {latency['max_ms']} ms"
    )
    print(
        f"wrk: {generator['cpu_seconds']} s of CPU in {generator['wall_seconds']} s = {generator['cores']} cores "
        f"({100 * generator['share_of_machine']:.1f}% of the machine); the whole machine was busy "
        f"{summary['machine_busy_cores']} of {os.cpu_count()} cores"
    )
    print("By kind, from gunicorn's access log (time in a worker, without the wait in the queue):")
    print(
        f"{'kind':<12} {'requests':>8} {'share':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}  statuses"
    )
    total = summary["by_kind"].get("all", {}).get("requests", 0) or 1
    for kind, row in summary["by_kind"].items():
        shown = " ".join(f"{status}:{count}" for status, count in row["statuses"].items())
        print(
            f"{kind:<12} {row['requests']:>8} {100 * row['requests'] / total:>5.1f}% {row['p50_ms']:>8} "
            f"{row['p95_ms']:>8} {row['p99_ms']:>8} {row['max_ms']:>8}  {shown}"
        )
    writes = summary["writes_verified"]
    refused = ", ".join(f"{what}: {count}" for what, count in summary["write_non_successes"].items()) or "none"
    print(
        f"5xx: {summary['server_errors_5xx']}   socket errors: {summary['connection_failures']}   "
        f"writes: {writes['found']} of {writes['acknowledged']} acknowledged writes found "
        f"(comments {writes['comments']['found']}/{writes['comments']['acknowledged']}, "
        f"new chapters {writes['new_chapters']['found']}/{writes['new_chapters']['acknowledged']}, "
        f"kudos {writes['kudos']['found']}/{writes['kudos']['acknowledged']}); writes not done: {refused}"
    )
    if summary["request_list"]["laps"]:
        print(f"The request list ran out and started over {summary['request_list']['laps']} times.")
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
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("LOADTEST_SECONDS", "120")))
    parser.add_argument("--works", type=int, default=int(os.environ.get("LOADTEST_WORKS", "100000")))
    parser.add_argument("--pg", default=os.environ.get("LOADTEST_PG", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--redis-db", type=int, default=int(os.environ.get("LOADTEST_REDIS_DB", "7")))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-steady", action="store_true", help="Only the fault run.")
    parser.add_argument("--skip-fault", action="store_true", help="Only the steady run (PostgreSQL untouched).")
    parser.add_argument("--drop-db", action="store_true", help="Drop the loadtest database afterwards.")
    parser.add_argument("--output", default=str(ROOT / "docs" / "loadtest-results.json"))
    args = parser.parse_args()

    if not Path(WRK).exists():
        raise SystemExit("make loadtest drives its load with wrk: apt-get install wrk")
    clusters = sorted(os.listdir("/etc/postgresql")) if os.path.isdir("/etc/postgresql") else []
    cluster = [clusters[-1], "main"] if clusters else None
    if not args.skip_fault and not (cluster and shutil.which("pg_ctlcluster")):
        raise SystemExit("The fault run restarts PostgreSQL with pg_ctlcluster, which this machine lacks.")
    threads = min(WRK_THREADS, args.clients)

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
    targets = prepare(args.clients, args.seed, runs=2)
    import redis

    redis.Redis.from_url(redis_url).flushdb()  # rate-limit counts and cache from earlier runs

    port = free_port()
    folder = Path(f"/tmp/loadtest-{port}")  # noqa: S108 - the run's own files, kept for a look
    server_log = folder / "gunicorn.log"
    access_log = folder / "access.log"
    folder.mkdir(exist_ok=True)
    listed = LISTED_PER_SECOND * (args.seconds + 5)
    runs = {}
    for name in ("steady", "fault"):
        if not getattr(args, f"skip_{name}"):
            log(f"Listing {listed} requests for the {name} run in {folder / name}...")
            plan = write_requests(folder / name, name, targets, args.clients, listed, threads, args.seed)
            runs[name] = (Run(name, folder / name), plan)
    log(f"The bare Django hello under the same gunicorn, wrk -t2 -c16 for {HELLO_SECONDS} s...")
    hello = hello_rate(env, folder)
    log(f"  {hello:,.0f} req/s: this machine's speed now, to compare runs by")
    log(f"Starting gunicorn on 127.0.0.1:{port} (logs: {server_log}, {access_log})...")
    server = start_gunicorn(port, env, server_log, access_log)
    _, seen = server_side(access_log, 0)
    base = f"http://127.0.0.1:{port}"
    steady = fault = None
    try:
        if "steady" in runs:
            log(f"Steady run: wrk, {args.clients} connections for {args.seconds} s...")
            result, plan = runs["steady"]
            steady_load(result, base, args.clients, args.seconds, threads)
            by_kind, seen = server_side(access_log, seen)
            steady = summarise(result, plan, by_kind, verify_writes(result, plan))
            steady["hello_rps"] = hello
            steady["throughput_per_hello"] = round(steady["throughput_rps"] / hello, 4)
            print_table("Steady run", steady)
        if "fault" in runs:
            log(f"Fault run: wrk, {args.clients} connections for {args.seconds} s, PostgreSQL restarted midway...")
            result, plan = runs["fault"]
            asyncio.run(fault_load(result, base, args.clients, args.seconds, threads, cluster, env["DATABASE_URL"]))
            by_kind, seen = server_side(access_log, seen)
            fault = summarise(result, plan, by_kind, verify_writes(result, plan))
            fault["hello_rps"] = hello
            fault["throughput_per_hello"] = round(fault["throughput_rps"] / hello, 4)
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
    read_share = 100 - sum(MIX[kind] for kind in WRITES)
    results = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count()},
        "setup": {
            "works": args.works,
            "clients": args.clients,
            "seconds": args.seconds,
            "load_generator": f"wrk -t{threads} -c{args.clients} with scripts/loadtest.lua",
            "mix_percent": MIX,
            "reads_logged_out_percent": round(read_share * LOGGED_OUT_READS, 1),
            "reads_logged_in_percent": round(read_share * (1 - LOGGED_OUT_READS), 1),
            "writes_logged_in_percent": 100 - read_share,
            "gunicorn": "gunicorn.conf.py" if (ROOT / "gunicorn.conf.py").exists() else "defaults",
            "gunicorn_workers": os.environ.get("WEB_CONCURRENCY", "gunicorn.conf.py's default (2 x CPUs + 1)"),
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
