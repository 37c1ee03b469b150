#!/usr/bin/env python
"""The driver of `make scaletest` (scripts/scaletest.sh starts and stops every process; this
prepares the data, makes the load and checks what came of it). Three steps:

    prepare  users with sessions made directly (no log-in form), a work with 10,000 subscribers
             whose e-mail addresses are verified (bulk inserted), and the addresses to visit;
    load     CLIENTS threads through nginx for SECONDS: logged-out reads (works, tags, search, the
             front page), logged-in reads, comments and kudos. Every acknowledged write is
             recorded (the redirect names it), and after each comment its writer opens the page
             the redirect names at once and looks for it. A third of the way in, gunicorn host 2
             is killed (SIGKILL to its process group); two thirds in, the replica is stopped
             (pg_ctl stop -m immediate). Transactions on the replica and the primary are counted
             (pg_stat_database) from the start until the replica stops;
    check    on the primary: every acknowledged write is there; requests per gunicorn host from
             their access logs; a chapter posted to the 10,000-subscriber work and one to a work
             with none, timed; then their e-mails, counted per address in EMAIL_FILE_PATH's files
             and in the outbox (OutgoingEmail.sent_at), within EMAIL_TIMEOUT seconds. Prints the
             table and exits 1 if a requirement fails.
"""

import argparse
import datetime as dt
import json
import os
import random
import re
import shlex
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import httpx
import psycopg

ROOT = Path(__file__).resolve().parent.parent
SUBSCRIBERS = 10_000
USERS_PER_CLIENT = 4  # a comment limit of 10 a minute per user is never reached by one client
EMAIL_TIMEOUT = 300  # seconds for the 10,000 e-mails to be sent
ERROR_SECONDS_LIMIT = 5  # seconds with a 5xx or a failed request, after each failure
POST_SECONDS_LIMIT = 2.0  # posting a chapter to the 10,000-subscriber work
HOST_SHARE_MIN = 0.25  # each of the two hosts serves at least this share while both are up
REPLICA_TRANSACTIONS_MIN = 50
MIX = {
    "work-out": 20,
    "tag-out": 15,
    "search-out": 10,
    "front-out": 10,
    "work-in": 12,
    "tag-in": 8,
    "search-in": 5,
    "comment": 10,
    "kudos": 10,
}


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# prepare


def prepare(args: argparse.Namespace) -> None:
    setup_django()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.cached_db import SessionStore
    from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
    from django.utils.crypto import get_random_string

    from archive.chapters.models import Chapter
    from archive.notifications.models import Subscription
    from archive.stories.models import Story
    from archive.tags.models import Tag, TagKind

    rng = random.Random(1)  # noqa: S311 - a reproducible sample
    user_model = get_user_model()

    def with_session(username: str) -> dict:
        user = user_model(username=username, email=f"{username}@example.org", email_verified=True)
        user.set_unusable_password()
        user.save()
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session["adult_ok"] = True  # said yes to adult content once (archive/chapters/views.py)
        session.create()
        csrf = get_random_string(CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS)
        return {"id": user.pk, "session": session.session_key, "csrf": csrf}

    readers = [with_session(f"scale{index:04d}") for index in range(args.clients * USERS_PER_CLIENT)]
    author = with_session("scaleauthor")

    open_works = list(
        Story.objects.filter(
            published_at__isnull=False,
            restricted=False,
            comment_permission__in=["everyone", "registered"],
            moderate_comments=False,
        )
        .order_by("id")
        .values_list("id", flat=True)
    )
    if len(open_works) < 50:
        raise SystemExit(f"only {len(open_works)} open works were generated: raise SCALETEST_WORKS")
    picked = rng.sample(open_works, min(len(open_works), 800))
    big, none, readable = picked[0], picked[1], picked[2:]
    for story_id in (big, none):
        Story.authors.through.objects.create(story_id=story_id, user_id=author["id"])
    Subscription.objects.filter(story_id__in=[big, none]).delete()

    subscribers = [
        user_model(username=f"sub{index:05d}", email=f"sub{index:05d}@example.org", email_verified=True, password="!")  # noqa: S106 - an unusable password
        for index in range(SUBSCRIBERS)
    ]
    subscribers = user_model.objects.bulk_create(subscribers, batch_size=2000)
    Subscription.objects.bulk_create([Subscription(user=user, story_id=big) for user in subscribers], batch_size=2000)

    chapters = list(
        Chapter.objects.filter(story_id__in=readable, published_at__isnull=False)
        .order_by("id")
        .values_list("story_id", "id")
    )
    canonical = Tag.objects.filter(merger__isnull=True).order_by("-use_count", "id")
    tags = [tag.get_absolute_url() for tag in canonical.filter(kind=TagKind.FANDOM)[:20]]
    tags += [tag.get_absolute_url() for tag in canonical.filter(kind=TagKind.CHARACTER)[:30]]
    searches = [
        "/works/search?" + urlencode({"characters": tag.name, "sort": "kudos"})
        for tag in canonical.filter(kind=TagKind.CHARACTER)[:20]
    ]
    searches += ["/works/search?" + urlencode({"q": word}) for word in ("rain", "harbour", "letter", "lantern")]
    Path(args.out).write_text(
        json.dumps(
            {
                "readers": readers,
                "author": author,
                "big_work": big,
                "quiet_work": none,
                "works": [f"/works/{story_id}" for story_id in readable],
                "chapters": chapters,
                "tags": tags,
                "searches": searches,
                "subscriber_addresses": [user.email for user in subscribers],
            }
        )
    )
    log(
        f"Prepared {len(readers)} readers, work {big} with {SUBSCRIBERS} subscribers, "
        f"{len(chapters)} chapters, {len(tags)} tags and {len(searches)} searches to visit"
    )


# load


def cookie_header(user: dict | None) -> dict:
    """A logged-in reader's cookies as their browser sends them: the session, the CSRF cookie (and
    its token in the header) and what the site set since (`cookies`: primary_until, messages)."""
    if user is None:
        return {}
    cookies = {"csrftoken": user["csrf"], "sessionid": user["session"], **user.get("cookies", {})}
    return {"Cookie": "; ".join(f"{name}={value}" for name, value in cookies.items()), "X-CSRFToken": user["csrf"]}


def keep_cookies(user: dict | None, response: httpx.Response) -> None:
    """What the site set for this reader, kept as a browser would (an emptied cookie is deleted)."""
    if user is None:
        return
    kept = user.setdefault("cookies", {})
    for header in response.headers.get_list("set-cookie"):
        name, _, rest = header.partition("=")
        value = rest.split(";", 1)[0]
        if name in ("csrftoken", "sessionid"):
            continue
        if value.strip('"') and "max-age=0" not in header.lower():
            kept[name] = value
        else:
            kept.pop(name, None)


def transactions(url: str) -> int | None:
    try:
        with psycopg.connect(url, connect_timeout=3) as connection:
            row = connection.execute(
                "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"
            ).fetchone()
            return int(row[0])
    except psycopg.Error:
        return None


class Load:
    def __init__(self, args: argparse.Namespace, targets: dict):
        self.args, self.targets = args, targets
        self.began = 0.0
        self.stop_at = 0.0
        self.lock = threading.Lock()
        self.samples: list[list] = []  # [seconds since start, kind, status, latency, X-Cache-Status]
        self.comments: list[dict] = []  # acknowledged: id, marker, user
        self.kudos: list[dict] = []  # acknowledged: story, user
        self.seen_at_once: list[dict] = []  # after each acknowledged comment: was it on the page?
        self.events: dict = {}

    def client(self, index: int) -> None:
        rng = random.Random(index)  # noqa: S311 - a reproducible mix
        users = self.targets["readers"][index * USERS_PER_CLIENT : (index + 1) * USERS_PER_CLIENT]
        kinds, weights = list(MIX), list(MIX.values())
        number = 0
        with httpx.Client(base_url=self.args.base, timeout=40, follow_redirects=False) as http:
            while time.monotonic() < self.stop_at:
                kind = rng.choices(kinds, weights)[0]
                user = rng.choice(users) if not kind.endswith("-out") else None
                number += 1
                method, path, data = "GET", "", None
                if kind.startswith("work"):
                    path = rng.choice(self.targets["works"])
                    if rng.random() < 0.5:
                        path = "/works/{}/chapters/{}".format(*rng.choice(self.targets["chapters"]))
                elif kind.startswith("tag"):
                    path = rng.choice(self.targets["tags"])
                elif kind.startswith("search"):
                    path = rng.choice(self.targets["searches"])
                elif kind.startswith("front"):
                    path = "/"
                elif kind == "comment":
                    story_id, chapter_id = rng.choice(self.targets["chapters"])
                    method, path = "POST", f"/works/{story_id}/chapters/{chapter_id}/comments"
                    marker = f"scaletest-{index}-{number}"
                    data = {"body": f"A comment from the scale test, {marker}. Lovely chapter!"}
                else:
                    story_id = rng.choice(self.targets["works"]).rsplit("/", 1)[1]
                    method, path = "POST", f"/works/{story_id}/kudos"
                http.cookies.clear()
                response = self.send(http, kind, method, path, data, user)
                if response is not None and response.status_code == 302:
                    location = response.headers.get("location", "")
                    if kind == "comment" and (found := re.search(r"#comment-(\d+)$", location)):
                        comment_id = int(found[1])
                        with self.lock:
                            self.comments.append({"id": comment_id, "marker": marker, "user": user["id"]})
                        self.read_own(http, location, comment_id, user)
                    elif kind == "kudos" and re.fullmatch(rf"/works/{story_id}#kudos", location):
                        with self.lock:
                            self.kudos.append({"story": int(story_id), "user": user["id"]})
                time.sleep(rng.uniform(0.02, 0.1))

    def send(self, http, kind, method, path, data, user) -> httpx.Response | None:
        start = time.monotonic()
        try:
            response = http.request(method, path, data=data, headers=cookie_header(user))
            status = str(response.status_code)
            keep_cookies(user, response)
        except httpx.HTTPError as error:
            response, status = None, f"error:{type(error).__name__}"
        cache_status = response.headers.get("x-cache-status", "-") if response is not None else "-"
        with self.lock:
            self.samples.append([start - self.began, kind, status, time.monotonic() - start, cache_status])
        return response

    def read_own(self, http, location: str, comment_id: int, user: dict) -> None:
        """The writer opens the page the redirect names, straight away: their comment is on it."""
        parts = urlsplit(location)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        http.cookies.clear()
        response = self.send(http, "own-comment", "GET", path, None, user)
        seen = response is not None and response.status_code == 200 and f'id="comment-{comment_id}"' in response.text
        with self.lock:
            self.seen_at_once.append(
                {
                    "id": comment_id,
                    "seen": seen,
                    "path": path,
                    "status": response.status_code if response is not None else None,
                    "comments_shown": len(re.findall(r'id="comment-\d+"', response.text))
                    if response is not None
                    else 0,
                    "page_range": re.findall(r"page=(\d+)", response.text)[-3:] if response is not None else [],
                }
            )

    def faults(self) -> None:
        seconds = self.args.seconds
        self.events["replica_transactions_start"] = transactions(self.args.replica)
        self.events["primary_transactions_start"] = transactions(self.args.primary)
        time.sleep(max(0.0, self.began + seconds / 3 - time.monotonic()))
        os.killpg(self.args.kill_group, signal.SIGKILL)
        self.events["host_killed"] = time.monotonic() - self.began
        self.events["host_killed_at"] = dt.datetime.now(dt.UTC).isoformat()
        log(f"Killed gunicorn host 2 (process group {self.args.kill_group})")
        time.sleep(max(0.0, self.began + 2 * seconds / 3 - time.monotonic()))
        self.events["replica_transactions_end"] = transactions(self.args.replica)
        self.events["primary_transactions_end"] = transactions(self.args.primary)
        self.events["replica_stopped"] = time.monotonic() - self.began
        subprocess.run(shlex.split(self.args.replica_stop), check=True, capture_output=True)  # noqa: S603
        log("Stopped the replica (pg_ctl stop -m immediate)")

    def run(self) -> dict:
        self.began = time.monotonic()
        self.stop_at = self.began + self.args.seconds
        self.events["began_at"] = dt.datetime.now(dt.UTC).isoformat()
        threads = [
            threading.Thread(target=self.client, args=(index,), daemon=True) for index in range(self.args.clients)
        ]
        faults = threading.Thread(target=self.faults, daemon=True)  # Ctrl-C ends the load at once
        for thread in [*threads, faults]:
            thread.start()
        for thread in [*threads, faults]:
            thread.join()
        self.events["ended"] = time.monotonic() - self.began
        return {
            "events": self.events,
            "samples": self.samples,
            "comments": self.comments,
            "kudos": self.kudos,
            "seen_at_once": self.seen_at_once,
        }


def load(args: argparse.Namespace) -> None:
    targets = json.loads(Path(args.targets).read_text())
    result = Load(args, targets).run()
    Path(args.out).write_text(json.dumps(result))
    statuses = Counter(sample[2] for sample in result["samples"])
    log(f"{len(result['samples'])} requests: {dict(statuses.most_common())}")


# check


ACCESS_TIME = re.compile(r"\[(\d{2}/\w{3}/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4})\]")


def requests_between(access_log: Path, start: dt.datetime, end: dt.datetime) -> int:
    count = 0
    for line in access_log.read_text().splitlines() if access_log.exists() else []:
        if found := ACCESS_TIME.search(line):
            when = dt.datetime.strptime(found[1], "%d/%b/%Y:%H:%M:%S %z")
            count += start <= when < end
    return count


def error_seconds(samples: list, start: float, end: float) -> list[int]:
    return sorted(
        {
            int(sample[0] + sample[3])
            for sample in samples
            if start <= sample[0] + sample[3] < end and (sample[2].startswith("error") or sample[2].startswith("5"))
        }
    )


def post_chapter(base: str, author: dict, story_id: int) -> tuple[float, int | None, str]:
    data = {"title": f"Scale test chapter {time.time():.0f}", "body": "The harbour lights came on.", "action": "post"}
    with httpx.Client(base_url=base, timeout=60) as http:
        start = time.monotonic()
        response = http.post(f"/works/{story_id}/chapters/new", data=data, headers=cookie_header(author))
        seconds = time.monotonic() - start
    found = re.fullmatch(rf"/works/{story_id}/chapters/(\d+)", response.headers.get("location", ""))
    return seconds, int(found[1]) if found else None, str(response.status_code)


def addressed(folder: Path, addresses: set[str]) -> Counter:
    """How many e-mails went to each of `addresses`, from the file backend's files."""
    counts = Counter()
    for path in folder.glob("*.log"):
        for line in path.read_text(errors="replace").splitlines():
            if line.startswith("To: ") and (address := line[4:].strip()) in addresses:
                counts[address] += 1
    return counts


def check(args: argparse.Namespace) -> int:
    os.environ.pop("DATABASE_REPLICA_URLS", None)  # the replica is down: everything from the primary
    setup_django()
    from archive.comments.models import Comment
    from archive.core.models import OutgoingEmail
    from archive.kudos.models import Kudos

    targets = json.loads(Path(args.targets).read_text())
    result = json.loads(Path(args.load).read_text())
    events, samples = result["events"], result["samples"]
    rows = []

    def require(name: str, measured: str, passed: bool) -> None:
        rows.append({"requirement": name, "measured": measured, "pass": bool(passed)})

    # Reads over both hosts, while both were up.
    began = dt.datetime.fromisoformat(events["began_at"]).replace(microsecond=0)
    killed = dt.datetime.fromisoformat(events["host_killed_at"]).replace(microsecond=0)
    per_host = [requests_between(Path(log_file), began, killed) for log_file in args.access_logs]
    total = sum(per_host) or 1
    require(
        f"requests spread over both gunicorn hosts (each >= {HOST_SHARE_MIN:.0%} before the kill)",
        " / ".join(f"host {index + 1}: {count} ({count / total:.0%})" for index, count in enumerate(per_host)),
        min(per_host) >= HOST_SHARE_MIN * total,
    )
    replica = (events.get("replica_transactions_end") or 0) - (events.get("replica_transactions_start") or 0)
    primary = (events.get("primary_transactions_end") or 0) - (events.get("primary_transactions_start") or 0)
    require(
        f"reads on the replica (>= {REPLICA_TRANSACTIONS_MIN} transactions while it was up)",
        f"replica {replica}, primary {primary} transactions",
        replica >= REPLICA_TRANSACTIONS_MIN,
    )
    seen = result["seen_at_once"]
    require(
        "a writer sees their own comment at once",
        f"{sum(item['seen'] for item in seen)}/{len(seen)} comments on the next page",
        seen and all(item["seen"] for item in seen),
    )

    # Errors around the failures.
    end = events["ended"]
    before = error_seconds(samples, 0, events["host_killed"])
    after_kill = error_seconds(samples, events["host_killed"], events["replica_stopped"])
    after_replica = error_seconds(samples, events["replica_stopped"], end + 60)
    require("no errors before any failure", f"{len(before)} s with errors {before}", not before)
    require(
        f"host killed: errors for <= {ERROR_SECONDS_LIMIT} s",
        f"{len(after_kill)} s with errors (at {after_kill}; killed at {events['host_killed']:.1f} s)",
        len(after_kill) <= ERROR_SECONDS_LIMIT,
    )
    require(
        f"replica stopped: errors for <= {ERROR_SECONDS_LIMIT} s",
        f"{len(after_replica)} s with errors (at {after_replica}; stopped at {events['replica_stopped']:.1f} s)",
        len(after_replica) <= ERROR_SECONDS_LIMIT,
    )

    # Every acknowledged write on the primary.
    comments = {item["id"]: item for item in result["comments"]}
    found_comments = sum(
        comments[pk]["marker"] in body and comments[pk]["user"] == user_id
        for pk, body, user_id in Comment.objects.filter(pk__in=comments).values_list("pk", "body", "user_id")
    )
    pairs = {(item["story"], item["user"]) for item in result["kudos"]}
    found_kudos = len(
        set(
            Kudos.objects.filter(
                story_id__in={story for story, _ in pairs}, user_id__in={user for _, user in pairs}
            ).values_list("story_id", "user_id")
        )
        & pairs
    )
    acknowledged = len(comments) + len(pairs)
    require(
        "every acknowledged write is on the primary",
        f"comments {found_comments}/{len(comments)}, kudos {found_kudos}/{len(pairs)}",
        acknowledged > 0 and found_comments + found_kudos == acknowledged,
    )

    # The 10,000-subscriber chapter: quick to post, its e-mails all sent once.
    quiet_seconds, _, quiet_status = post_chapter(args.base, targets["author"], targets["quiet_work"])
    big_seconds, chapter_id, big_status = post_chapter(args.base, targets["author"], targets["big_work"])
    require(
        f"posting a chapter to a {SUBSCRIBERS:,}-subscriber work returns in <= {POST_SECONDS_LIMIT} s",
        f"{big_seconds:.2f} s ({big_status}); to a work with none {quiet_seconds:.2f} s ({quiet_status})",
        chapter_id is not None and big_seconds <= POST_SECONDS_LIMIT,
    )
    addresses = set(targets["subscriber_addresses"])
    start = time.monotonic()
    counts, outbox, unsent = Counter(), 0, 0
    while chapter_id is not None and time.monotonic() - start < EMAIL_TIMEOUT:
        queued = OutgoingEmail.objects.filter(key=f"chapter:{chapter_id}")
        outbox, unsent = queued.count(), queued.filter(sent_at__isnull=True).count()
        counts = addressed(Path(args.emails), addresses)
        if outbox >= SUBSCRIBERS and not unsent and len(counts) >= SUBSCRIBERS:
            break
        time.sleep(3)
    waited = time.monotonic() - start
    once = sum(1 for address in addresses if counts[address] == 1)
    twice = sum(1 for count in counts.values() if count > 1)
    require(
        f"its {SUBSCRIBERS:,} e-mails all sent exactly once within {EMAIL_TIMEOUT} s",
        f"{once} addresses once, {twice} more than once, outbox {outbox - unsent}/{outbox} sent, after {waited:.0f} s",
        once == SUBSCRIBERS and not twice and outbox == SUBSCRIBERS and not unsent,
    )

    # Static files straight from nginx (collectstatic's hashed names), never from a host.
    with httpx.Client(base_url=args.base, timeout=10) as http:
        stylesheet = re.search(r'href="(/static/[^"]+\.css)"', http.get("/").text)
        static = http.get(stylesheet[1]) if stylesheet else None
    reached_hosts = any(
        "/static/" in Path(log_file).read_text() for log_file in args.access_logs if Path(log_file).exists()
    )
    require(
        "static files served by nginx, kept for ever",
        f"{stylesheet[1] if stylesheet else 'no stylesheet on /'}: "
        + (f"{static.status_code}, Expires {static.headers.get('expires')}" if static is not None else "not fetched")
        + (", reached a gunicorn host" if reached_hosts else ", no gunicorn host asked"),
        static is not None
        and static.status_code == 200
        and "2037" in static.headers.get("expires", "")
        and not reached_hosts,
    )

    # What nginx's cache did (reported; logged-in pages must never come from it).
    cache = Counter(
        (sample[1].rsplit("-", 1)[-1], sample[4]) for sample in samples if sample[1].endswith(("-out", "-in"))
    )
    require(
        "nginx never serves a logged-in reader from its cache",
        ", ".join(f"{who} {status}: {count}" for (who, status), count in sorted(cache.items())),
        not any(status == "HIT" for (who, status) in cache if who == "in"),
    )

    statuses = Counter(sample[2] for sample in samples)
    summary = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "requests": len(samples),
        "seconds": round(end, 1),
        "statuses": dict(statuses.most_common()),
        "requirements": rows,
    }
    if args.out:
        Path(args.out).write_text(json.dumps(summary, indent=2) + "\n")
    width = max(len(row["requirement"]) for row in rows)
    print(f"\n{len(samples)} requests in {end:.0f} s through nginx: {dict(statuses.most_common())}\n")
    print(f"{'requirement':<{width}}  {'result':<6}  measured")
    for row in rows:
        print(f"{row['requirement']:<{width}}  {'pass' if row['pass'] else 'FAIL':<6}  {row['measured']}")
    failed = [row for row in rows if not row["pass"]]
    print(f"\n{'FAILED: ' + str(len(failed)) + ' requirement(s)' if failed else 'All requirements met.'}")
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    steps = parser.add_subparsers(dest="step", required=True)
    step = steps.add_parser("prepare")
    step.add_argument("--clients", type=int, required=True)
    step.add_argument("--out", required=True)
    step = steps.add_parser("load")
    step.add_argument("--targets", required=True)
    step.add_argument("--out", required=True)
    step.add_argument("--base", required=True)
    step.add_argument("--seconds", type=int, required=True)
    step.add_argument("--clients", type=int, required=True)
    step.add_argument("--kill-group", type=int, required=True)
    step.add_argument("--replica-stop", required=True)
    step.add_argument("--replica", required=True)
    step.add_argument("--primary", required=True)
    step = steps.add_parser("check")
    step.add_argument("--targets", required=True)
    step.add_argument("--load", required=True)
    step.add_argument("--base", required=True)
    step.add_argument("--access-logs", nargs=2, required=True)
    step.add_argument("--emails", required=True)
    step.add_argument("--out", default="")
    args = parser.parse_args()
    if args.step == "prepare":
        prepare(args)
    elif args.step == "load":
        load(args)
    else:
        return check(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
