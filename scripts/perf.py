#!/usr/bin/env python
"""make perf: requests per second per page, logged out and logged in, against a bare Django hello.

1. Makes sure the generated archive bench_100000 exists (scripts/bench_archive.sh, exactly as
   make bench makes and reuses it) and holds a reader for the logged-in pages, `perf-reader`,
   with kudos, bookmarks, subscriptions, a reading history and unread inbox items (added once,
   through the services, and kept).
2. Serves it as production does: gunicorn with gunicorn.conf.py, WEB_CONCURRENCY=2, DEBUG off,
   Redis as the cache (a database number of its own, flushed first), collected static files.
   Beside it, served the same way, the bare Django hello of scripts/perf/hello.py. Both run for
   the whole measurement, each on a free loopback port.
3. Logs the reader in once, through the log-in form, for a real session cookie.
4. Page by page, checks that the page answers 200 with the real page (its marker, a plausible
   size, no adult-content warning, the right header for the log-in state), then runs
   `wrk -t2 -c16 -d10s --latency` on it logged out (no cookies: a first visit) and then logged
   in (the session cookie on every request). The hello is measured before the first page and
   after each page, and a page's ratio is to the mean of the hellos just before and after it,
   so a machine whose load changes during the run still gives honest ratios. wrk's own CPU time
   is measured for every run.
5. Prints the table and writes docs/perf-results.json and docs/perf-results.md.

Settings: PERF_DURATION (10, seconds per wrk run), PERF_PAGES (page keys to measure, e.g.
"front,work"; a partial run writes its results beside the server logs, not to docs/),
PERF_REDIS_DB (3), PERF_PG (postgres://postgres@127.0.0.1:5432). The exit status is 1 when a
page fails its check or wrk counts a non-2xx answer or a socket error.
"""

import datetime as dt
import json
import logging
import os
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
BENCH_ARCHIVE = str(ROOT / "scripts" / "bench_archive.sh")
PATHS_LUA = ROOT / "scripts" / "perf" / "paths.lua"
WRK = shutil.which("wrk") or "/usr/bin/wrk"
DOCS = ROOT / "docs"

WORKS = 100_000
DATABASE = f"bench_{WORKS}"
WORKERS = 2
THREADS, CONNECTIONS = 2, 16
WRK_TIMEOUT = "10s"  # a slow answer is measured, not dropped as a timeout (wrk's default is 2 s)
SECRET_KEY = "perf-only-secret"  # noqa: S105 - throwaway servers on 127.0.0.1
READER = "perf-reader"
READER_PASSWORD = "perf-reader-password"  # noqa: S105 - a local benchmark account
# The work measured: chapter 1 of a General or Teen work (no adult-content warning, so the
# logged-out run measures the real page) with at least 4 chapters and about this many comments
# on chapter 1.
CHAPTER_ONE_COMMENTS = 12


@dataclass
class Page:
    key: str
    label: str
    path: str
    marker: str  # text the real page contains
    html: bool = True  # an HTML page: check the header shows the right log-in state
    # A page that asks a different question on each request: the paths to cycle through.
    paths: list[str] = field(default_factory=list)


class Servers:
    """The two gunicorns, stopped (gracefully, then by force) however the run ends."""

    def __init__(self, logs: Path):
        self.logs = logs
        self.processes: dict[str, subprocess.Popen] = {}

    def start(self, name: str, app: str, env: dict, *extra: str) -> str:
        port = free_port()
        env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(WORKERS)}
        # A control socket of its own: by default every gunicorn on the machine shares one path.
        command = [GUNICORN, "--config", "gunicorn.conf.py", "--control-socket", str(self.logs / f"{name}.ctl")]
        with open(self.logs / f"{name}.log", "w") as log_file:
            self.processes[name] = subprocess.Popen(  # noqa: S603 - our own fixed command
                [*command, *extra, app],
                cwd=ROOT,
                env=env,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C reaches this script, which stops it in order
            )
        return f"http://127.0.0.1:{port}"

    def wait_ready(self, name: str, url: str) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.processes[name].poll() is not None:
                raise SystemExit(f"{name} server exited:\n{self.tail(name)}")
            try:
                if httpx.get(url, timeout=5).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"{name} server did not answer {url} within 60 s:\n{self.tail(name)}")

    def tail(self, name: str, lines: int = 30) -> str:
        return "\n".join((self.logs / f"{name}.log").read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)  # gunicorn's graceful shutdown
        for process in self.processes.values():
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# 1. The archive, the pages and the reader


def prepare() -> tuple[list[Page], dict]:
    """The pages to measure, picked from the archive deterministically, and the reader."""
    import django

    django.setup()
    from django.contrib.auth.models import AnonymousUser
    from django.core.cache import cache
    from django.db import connection
    from django.db.models import Count, F, OuterRef, Subquery
    from django.db.models.functions import Abs
    from django.urls import reverse
    from django.utils.html import escape

    from archive.chapters.models import Chapter
    from archive.comments.models import Comment
    from archive.search.management.commands.bench_search import Command as BenchSearch
    from archive.stories.choices import Rating
    from archive.stories.models import Story
    from archive.tags.models import Tag

    cache.clear()  # our own Redis database: every run starts from a cold cache
    anonymous = AnonymousUser()
    chapter_one_comments = (
        Comment.objects.filter(chapter__story=OuterRef("pk"), chapter__position=1, approved=True)
        .values("chapter__story")
        .annotate(count=Count("pk"))
        .values("count")
    )
    story = (
        Story.objects.visible_to(anonymous)
        .filter(rating__in=[Rating.GENERAL, Rating.TEEN], chapter_count__gte=4)
        .annotate(chapter_one_comments=Subquery(chapter_one_comments))
        .filter(chapter_one_comments__isnull=False)
        .order_by(Abs(F("chapter_one_comments") - CHAPTER_ONE_COMMENTS), "chapter_count", "id")
        .first()
    )
    chapters = Chapter.objects.numbered_for(story, anonymous)
    author = story.authors.order_by("id").first()
    fandom = Tag.objects.canonical().of_kind(Tag.Kind.FANDOM).order_by("-use_count", "id").first()
    reader = ensure_reader(story=story, author=author, fandom=fandom)

    # The same one-character and free-text questions as make bench.
    shapes = dict(BenchSearch()._shapes())
    title = escape(story.title)
    pages = [
        Page("healthz", "`/healthz`", "/healthz", '"status": "ok"', html=False),
        Page("front", "front page", "/", 'class="story-card"'),
        Page(
            "work",
            f"a work (chapter 1 of {len(chapters)}, {story.chapter_one_comments} comments)",
            story.get_absolute_url(),
            f"<title>{title} - Chapter 1",
        ),
        Page("chapter2", "its chapter 2", chapters[1].get_absolute_url(), f"<title>{title} - Chapter 2"),
        Page(
            "entire",
            "entire work",
            f"{story.get_absolute_url()}?view_full_work=true",
            f"<title>{title} (entire work)",
        ),
        Page(
            "fandom",
            "a fandom's tag works page",
            reverse("stories:tag_works", kwargs={"name": fandom.name}),
            'class="story-card"',
        ),
        Page("fandoms", "`/fandoms`", reverse("tags:fandoms"), "<title>Fandoms"),
        Page(
            "author",
            "an author's works",
            reverse("stories:by_author", kwargs={"username": author.username}),
            'class="story-card"',
        ),
        Page(
            "tag_feed",
            "a tag's Atom feed",
            reverse("stories:tag_feed", kwargs={"name": fandom.name}),
            "<entry>",
            html=False,
        ),
        Page(
            "author_feed",
            "an author's Atom feed",
            reverse("stories:author_feed", kwargs={"username": author.username}),
            "<entry>",
            html=False,
        ),
        Page("search_character", "search by one character", shapes["one character"], 'class="story-card"'),
        Page("search_text", "free-text search", shapes["free text"], 'class="story-card"'),
        Page(
            "search_distinct",
            "searches not cached (distinct queries)",
            "/works/search",
            "<title>",
            paths=distinct_searches(),
        ),
    ]
    facts = {
        "works": Story.objects.count(),
        "work": {"id": story.pk, "rating": story.rating, "chapters": len(chapters)},
        "fandom": fandom.name,
        "author": author.username,
        "reader": {
            "username": reader.username,
            "kudos": reader.kudos.count(),
            "bookmarks": reader.bookmarks.count(),
            "subscriptions": reader.subscriptions.count(),
            "history": reader.readings.count(),
            "unread": reader.notifications.unread().count(),
        },
    }
    connection.close()
    return pages, facts


def distinct_searches() -> list[str]:
    """Thousands of different questions: each character by use, alternating with words and pairs
    of words from titles, so no answer is asked for twice in a run."""
    from archive.stories.models import Story
    from archive.tags.models import Tag

    characters = list(
        Tag.objects.canonical()
        .of_kind(Tag.Kind.CHARACTER)
        .filter(use_count__gt=0)
        .order_by("-use_count", "id")
        .values_list("name", flat=True)
    )
    words = sorted(
        {
            word.lower()
            for title in Story.objects.published().values_list("title", flat=True)
            for word in title.split()
            if word.isalpha() and len(word) >= 4
        }
    )
    texts = words + [f"{first} {second}" for first, second in zip(words, words[1:] + words[:1], strict=True)]
    questions = []
    for index in range(max(len(characters), len(texts))):
        if index < len(characters):
            questions.append({"characters": characters[index]})
        if index < len(texts):
            questions.append({"q": texts[index]})
    return ["/works/search?" + urlencode(question) for question in questions]


def ensure_reader(*, story, author, fandom):
    """perf-reader, with the state a logged-in page shows: kudos, bookmarks, subscriptions,
    history and unread notifications on the measured work and the front page's works."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from archive.bookmarks.services import create_bookmark
    from archive.chapters.models import Chapter
    from archive.history.services import record_reading
    from archive.kudos.services import leave_kudos
    from archive.notifications.models import Kind, Notification
    from archive.notifications.services import subscribe
    from archive.stories.models import Story

    user_model = get_user_model()
    reader = user_model.objects.filter(username=READER).first()
    if reader:
        return reader
    log(f"Adding the reader {READER} to {DATABASE} (once)...")
    with transaction.atomic():
        reader = user_model.objects.create_user(READER, f"{READER}@example.org", READER_PASSWORD)
        front = Story.objects.visible_to(reader).exclude(pk=story.pk).order_by("-updated_at", "-id")[:20]
        works = [story, *front]
        for number, work in enumerate(works):
            leave_kudos(story=work, user=reader, ip="127.0.0.1")
            record_reading(user=reader, story=work, chapter=Chapter.objects.numbered_for(work, reader)[0])
            if number < 10:
                create_bookmark(user=reader, story=work, note="For the benchmark.", tags=["favourites"])
        subscribe(user=reader, story=story)
        subscribe(user=reader, author=author)
        subscribe(user=reader, tag=fandom)
        # Unread "new chapter" lines as notify_chapter_posted writes them, without posting a
        # chapter into the benchmark archive.
        new_chapters = Chapter.objects.filter(story__in=works, position__gte=2, published_at__isnull=False)
        Notification.objects.bulk_create(
            Notification(
                recipient=reader,
                kind=Kind.NEW_CHAPTER,
                story_id=chapter.story_id,
                chapter_id=chapter.pk,
                text=f"New chapter of “{chapter.story.title}”: Chapter {chapter.position}",
                url=chapter.get_absolute_url(),
            )
            for chapter in new_chapters.select_related("story").order_by("story_id", "position")[:15]
        )
    return reader


# 2-4. Serving, logging in, measuring


def log_in(base: str) -> str:
    """The reader's cookies after logging in through the form, as a Cookie header."""
    with httpx.Client(base_url=base, timeout=60) as client:
        form = client.get("/users/login")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)[1]
        answer = client.post(
            "/users/login",
            data={"username": READER, "password": READER_PASSWORD, "csrfmiddlewaretoken": token},
        )
        if answer.status_code != 302 or "sessionid" not in client.cookies:
            raise SystemExit(f"Could not log {READER} in: {answer.status_code}")
        return "; ".join(f"{name}={value}" for name, value in client.cookies.items())


def check_page(base: str, page: Page, path: str, cookie: str | None) -> tuple[int, str | None]:
    """The page's size in bytes, and what is wrong with it (None: the real page, answering 200)."""
    response = httpx.get(base + path, headers={"Cookie": cookie} if cookie else {}, timeout=60)
    text = response.text
    problems = []
    if response.status_code != 200:
        problems.append(f"status {response.status_code}")
    if page.marker not in text:
        problems.append(f"no {page.marker!r}")
    if page.html:
        expected = f"Log out {READER}" if cookie else "Log in</a>"
        if expected not in text:
            problems.append(f"no {expected!r} in the header")
        if "adult-warning" in text:
            problems.append("the adult-content warning")
        if len(response.content) < 2000:
            problems.append(f"only {len(response.content)} bytes")
    return len(response.content), "; ".join(problems) or None


def to_ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def parse_wrk(output: str) -> dict:
    def number(pattern: str) -> str | None:
        found = re.search(pattern, output, re.MULTILINE)
        return found[1] if found else None

    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return {
        "rps": float(number(r"^Requests/sec:\s+([\d.]+)")),
        "p50_ms": to_ms(number(r"^\s+50%\s+(\S+)")),
        "p99_ms": to_ms(number(r"^\s+99%\s+(\S+)")),
        "requests": int(number(r"^\s+(\d+) requests in")),
        "non_2xx": int(number(r"Non-2xx or 3xx responses: (\d+)") or 0),
        "socket_errors": sum(int(count) for count in socket_errors.groups()) if socket_errors else 0,
    }


def run_wrk(url: str, duration: int, *, cookie: str | None = None, lua_args: list[str] | None = None) -> dict:
    command = [WRK, f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{duration}s", "--latency", "--timeout", WRK_TIMEOUT]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    if lua_args:
        command += ["-s", str(PATHS_LUA), url, "--", *lua_args]
    else:
        command.append(url)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout  # noqa: S603
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {**parse_wrk(output), "wrk_cpu_s": round(cpu, 2), "wrk_cpu_cores": round(cpu / wall, 3)}


def measure(page: Page, base: str, duration: int, cookie: str | None, logs: Path) -> dict:
    state = "logged in" if cookie else "logged out"
    lua_args = None
    path = page.path
    if page.paths:
        # Logged out asks the first half of the questions, logged in the second.
        first = len(page.paths) // 2 if cookie else 0
        paths_file = logs / "paths.txt"
        paths_file.write_text("\n".join(page.paths) + "\n")
        lua_args = [str(paths_file), str(first), str(THREADS)]
        path = page.paths[first]
    size, problem = check_page(base, page, path, cookie)
    if problem:
        log(f"  {page.label}, {state}: {path} is not the real page ({problem}); not timed")
        return {"path": path, "bytes": size, "error": problem}
    for _ in range(3):  # warm the workers (templates, connections) before timing
        check_page(base, page, path, cookie)
    result = {"path": path, "bytes": size, **run_wrk(base + page.path, duration, cookie=cookie, lua_args=lua_args)}
    if page.paths:
        result["distinct_paths"] = len(page.paths) // 2
        result["repeated"] = max(0, result["requests"] - result["distinct_paths"])
    log(
        f"  {page.label}, {state}: {result['rps']:,.0f} req/s, p50 {result['p50_ms']:.1f} ms, "
        f"p99 {result['p99_ms']:.1f} ms, wrk CPU {result['wrk_cpu_cores']:.2f} cores"
    )
    return result


# 5. The table


def table(report: dict) -> str:
    def cells(result: dict | None) -> list[str]:
        if not result:
            return ["", "", "", ""]
        if "error" in result:
            return ["error", "", "", ""]
        return [
            f"{result['rps']:,.0f}",
            f"{result['ratio']:.3f}",
            f"{result['p50_ms']:.1f} ms",
            f"{result['p99_ms']:.1f} ms",
        ]

    rows = [
        "| page | logged out req/s | ratio to hello | p50 | p99 | logged in req/s | ratio | p50 | p99 |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, result in (("first", report["hello"][0]), ("last", report["hello"][-1])):
        rows.append(f"| bare Django hello ({name} run) | " + " | ".join(cells(result) + [""] * 4) + " |")
    for page in report["pages"]:
        rows.append(f"| {page['label']} | " + " | ".join(cells(page["logged_out"]) + cells(page["logged_in"])) + " |")
    return "\n".join(rows)


def markdown(report: dict) -> str:
    cpu = report["wrk_cpu"]
    hellos = [result["rps"] for result in report["hello"]]
    lines = [
        f"# make perf, {report['measured_at']}",
        "",
        f"{report['facts']['works']:,} works (`{DATABASE}`), gunicorn with `gunicorn.conf.py` and "
        f"WEB_CONCURRENCY={WORKERS}, DEBUG off, Redis cache; `wrk -t{THREADS} -c{CONNECTIONS} "
        f"-d{report['duration_s']}s --latency` on loopback, on a {os.cpu_count()}-CPU machine (load average "
        f"{report['load_average_before']} before the run).",
        "",
        f"The hello was measured {len(hellos)} times, before the first page and after each one: "
        f"{min(hellos):,.0f} to {max(hellos):,.0f} req/s, median {statistics.median(hellos):,.0f}. "
        "A page's ratio is to the mean of the hellos just before and just after it; the hello rows' "
        "ratios are to the mean of all of them.",
        "",
        table(report),
        "",
        f"wrk's CPU: {cpu['mean_cores']:.2f} cores on average, at most {cpu['max_cores']:.2f} ({cpu['max_run']}).",
    ]
    if report["problems"]:
        lines += ["", "Problems:", *[f"- {problem}" for problem in report["problems"]]]
    return "\n".join(lines) + "\n"


def main() -> int:
    duration = int(os.environ.get("PERF_DURATION", "10"))
    wanted = {key.strip() for key in os.environ.get("PERF_PAGES", "").split(",") if key.strip()}
    server = os.environ.get("PERF_PG", "postgres://postgres@127.0.0.1:5432")
    redis_db = os.environ.get("PERF_REDIS_DB", "3")
    if not os.path.exists(WRK):
        raise SystemExit("make perf needs wrk (apt-get install wrk)")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": SECRET_KEY,
        "DATABASE_URL": f"{server}/{DATABASE}",
        "REDIS_URL": f"redis://127.0.0.1:6379/{redis_db}",
        "BENCH_PG": server,
    }
    os.environ.update(env)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # Django's root logger would print every request

    log(f"Checking the generated archive {DATABASE} (scripts/bench_archive.sh)...")
    started = time.monotonic()
    subprocess.run([BENCH_ARCHIVE, str(WORKS)], cwd=ROOT, env=env, check=True)  # noqa: S603
    log(f"  ready in {time.monotonic() - started:.0f} s")
    pages, facts = prepare()
    unknown = wanted - {page.key for page in pages}
    if unknown:
        raise SystemExit(f"Unknown PERF_PAGES {sorted(unknown)}; the pages are {[page.key for page in pages]}")
    pages = [page for page in pages if not wanted or page.key in wanted]

    logs = Path(tempfile.mkdtemp(prefix="archive-perf-"))
    servers = Servers(logs)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the servers on `kill` too
    load_average = Path("/proc/loadavg").read_text().split()[:3]
    try:
        archive = servers.start("archive", "config.wsgi", env)
        hello_env = {key: value for key, value in env.items() if key != "DJANGO_SETTINGS_MODULE"}
        hello = servers.start("hello", "hello", hello_env, "--pythonpath", "scripts/perf")
        servers.wait_ready("archive", archive + "/healthz")
        servers.wait_ready("hello", hello + "/")
        log(f"Serving {DATABASE} at {archive} and the bare hello at {hello}; logs in {logs}")
        cookie = log_in(archive)
        hello_page = Page("hello", "bare Django hello", "/", "hello", html=False)

        log(f"Measuring, {duration} s per run:")
        report = {"hello": [measure(hello_page, hello, duration, None, logs)], "pages": []}
        for page in pages:
            report["pages"].append(
                {
                    "key": page.key,
                    "label": page.label,
                    "logged_out": measure(page, archive, duration, None, logs),
                    "logged_in": measure(page, archive, duration, cookie, logs),
                }
            )
            report["hello"].append(measure(hello_page, hello, duration, None, logs))
    finally:
        log("Stopping the servers...")
        servers.stop()

    hello_mean = statistics.mean(result["rps"] for result in report["hello"])
    runs = {}  # name: (result, the hello rate it is compared with)
    for number, result in enumerate(report["hello"], start=1):
        runs[f"hello (run {number})"] = result, hello_mean
    for page, before, after in zip(report["pages"], report["hello"][:-1], report["hello"][1:], strict=True):
        page["hello_rps"] = round((before["rps"] + after["rps"]) / 2, 1)
        runs[f"{page['label']}, logged out"] = page["logged_out"], page["hello_rps"]
        runs[f"{page['label']}, logged in"] = page["logged_in"], page["hello_rps"]
    problems = []
    for name, (result, hello_rps) in runs.items():
        if "error" in result:
            problems.append(f"{name}: {result['path']} is not the real page ({result['error']})")
            continue
        result["ratio"] = round(result["rps"] / hello_rps, 4)
        if result["non_2xx"] or result["socket_errors"]:
            problems.append(f"{name}: {result['non_2xx']} non-2xx answers, {result['socket_errors']} socket errors")
        if result.get("repeated"):
            problems.append(f"{name}: {result['repeated']} requests repeated a question (the list ran out)")
    timed = {name: result for name, (result, _) in runs.items() if "rps" in result}
    busiest = max(timed, key=lambda name: timed[name]["wrk_cpu_cores"])
    report |= {
        "measured_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "duration_s": duration,
        "threads": THREADS,
        "connections": CONNECTIONS,
        "workers": WORKERS,
        "load_average_before": " ".join(load_average),
        "facts": facts,
        "wrk_cpu": {
            "mean_cores": round(statistics.mean(result["wrk_cpu_cores"] for result in timed.values()), 3),
            "max_cores": timed[busiest]["wrk_cpu_cores"],
            "max_run": busiest,
            "total_s": round(sum(result["wrk_cpu_s"] for result in timed.values()), 1),
        },
        "problems": problems,
    }

    print()
    print(markdown(report))
    out = DOCS if not wanted else logs
    (out / "perf-results.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    (out / "perf-results.md").write_text(markdown(report))
    log(f"Wrote {out / 'perf-results.json'} and {out / 'perf-results.md'}")
    if not problems and not wanted:
        shutil.rmtree(logs)  # the access logs; kept when something went wrong or for a partial run
    return 1 if problems else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit("Interrupted; the servers are stopped.")
