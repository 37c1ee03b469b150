"""`make backup` and `make restore`: a backup restored into an empty database serves the same archive.

Real databases, not pytest's transaction: the test creates two throwaway databases beside the
test database, migrates and fills the first through Django in a child process, backs it up with
`make backup`, restores into the second (empty) with `make restore`, and then reads both, and serves
pages from the restored one, through Django pointed at each.
"""

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[3]
DATABASE_URL = os.environ.get("DATABASE_URL", "")

# On PostgreSQL, a missing pg_dump or make is a skip that CI=true turns into a failure (conftest.py).
pytestmark = [
    pytest.mark.postgres_only(reason="backs up and restores with pg_dump and pg_restore"),
    pytest.mark.skipif(
        not all(map(shutil.which, ["pg_dump", "pg_restore", "make"])), reason="needs pg_dump, pg_restore and make"
    ),
]

CHAPTER_TEXTS = ["<p>The gates stood open at dawn.</p>", "<p>They drove north until the fuel ran out.</p>"]
COMMENT = "The fuel running out was perfect."
TAGS = ["Carol Peletier", "Daryl Dixon", "Carol Peletier/Daryl Dixon", "Slow Burn"]


def url_for(name: str) -> str:
    return urlsplit(DATABASE_URL)._replace(path=f"/{name}").geturl()


@contextmanager
def throwaway_database(role: str) -> Iterator[str]:
    """A new, empty database named after the test database's server and this process; dropped after."""
    name = f"{urlsplit(DATABASE_URL).path.strip('/')}_backup_{role}_{os.getpid()}"
    with psycopg.connect(url_for("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url_for(name)
    finally:
        with psycopg.connect(url_for("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(args: list[str], database_url: str) -> str:
    # DEBUG, so pages render without collectstatic's manifest.
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_DEBUG": "1", "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False)  # noqa: S603
    assert result.returncode == 0, f"{' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def in_django(database_url: str, *functions: str) -> dict:
    """Run this module's `functions` in one child process whose Django uses `database_url`."""
    calls = "".join(f"out.update(test_backup.{function}() or {{}});" for function in functions)
    code = (
        "import django, json; django.setup(); from archive.core.tests import test_backup; out = {};"
        f"{calls} print(json.dumps(out))"
    )
    # The last line: anything before it is the child's own output (notification e-mails, say).
    return json.loads(run([sys.executable, "-c", code], database_url).splitlines()[-1])


# In the child process:


def fill() -> None:
    from archive.accounts.tests.factories import UserFactory
    from archive.comments.services import post_comment
    from archive.publishing.services import add_chapter
    from archive.stories.tests.factories import make_story

    author, reader = UserFactory(username="quill"), UserFactory(username="lantern")
    story = make_story(
        author=author,
        title="Walker Season",
        fandoms=["The Walking Dead"],
        characters=TAGS[:2],
        relationships=TAGS[2:3],
        freeforms=TAGS[3:],
        summary="<p>Two survivors and a long winter.</p>",
        body=CHAPTER_TEXTS[0],
    )
    second = add_chapter(story=story, fields={"title": "North", "body": CHAPTER_TEXTS[1]}, post=True)
    post_comment(chapter=second, user=reader, body=COMMENT)
    make_story(author=author, title="Prison Days", fandoms=["The Walking Dead"], post=False)


def contents() -> dict:
    from archive.chapters.models import Chapter
    from archive.comments.models import Comment
    from archive.stories.models import Story
    from archive.tags.models import Tag

    stories = Story.objects.order_by("pk").prefetch_related("authors")
    story_tags = Story.tags.through.objects.values_list("content_object_id", "tag__name")
    return {
        "stories": [
            [story.pk, story.title, story.summary, str(story.published_at), [a.username for a in story.authors.all()]]
            for story in stories
        ],
        "story_tags": sorted([story_id, name] for story_id, name in story_tags),
        "chapters": list(
            Chapter.objects.order_by("pk").values_list("pk", "story_id", "position", "title", "body", "word_count")
        ),
        "tags": list(Tag.objects.order_by("pk").values_list("pk", "name", "kind", "canonical")),
        "comments": list(Comment.objects.order_by("pk").values_list("pk", "chapter_id", "user__username", "body")),
    }


def pages() -> dict:
    from django.test import Client
    from django.test.utils import setup_test_environment

    from archive.stories.models import Story
    from archive.tags.models import Tag

    setup_test_environment()
    client = Client()
    story = Story.objects.get(title="Walker Season")
    responses = {
        "full work": client.get(f"{story.get_absolute_url()}?view_full_work=true"),
        "last chapter": client.get(story.chapters.get(position=2).get_absolute_url()),
        "front": client.get("/"),
        "tag": client.get(Tag.objects.get(name=TAGS[-1]).get_absolute_url()),
    }
    return {"pages": {name: [r.status_code, r.content.decode()] for name, r in responses.items()}}


# In the test process:


def test_a_backup_restored_into_an_empty_database_serves_the_same_stories_chapters_tags_and_comments(tmp_path):
    backup = tmp_path / "archive.dump"
    with throwaway_database("live") as live, throwaway_database("restored") as restored:
        run([sys.executable, "manage.py", "migrate", "--noinput", "--verbosity", "0"], live)
        before = in_django(live, "fill", "contents")

        run(["make", "--silent", "backup", f"BACKUP_FILE={backup}"], live)
        run(["make", "--silent", "restore", f"BACKUP_FILE={backup}"], restored)

        after = in_django(restored, "contents", "pages")

    served = after.pop("pages")
    assert backup.stat().st_size > 0
    assert after == before
    assert [title for _, title, *_ in after["stories"]] == ["Walker Season", "Prison Days"]
    assert len(after["chapters"]) == 3 and len(after["comments"]) == 1
    assert {status for status, _ in served.values()} == {200}
    for text in [*CHAPTER_TEXTS, *TAGS]:
        assert text in served["full work"][1]
    assert COMMENT in served["last chapter"][1]
    assert "Walker Season" in served["front"][1]
    assert "Prison Days" not in served["front"][1]  # still a draft after the restore
    assert "Walker Season" in served["tag"][1]
