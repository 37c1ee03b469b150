"""The EPUB passes epubcheck, the W3C's validator (Debian's `epubcheck` package; .ci/run installs it).

Without it the test skips, and under CI=true that skip fails the run (conftest.py).
"""

import os
import shutil
import subprocess

import pytest

from archive.core.prose import clean_prose
from archive.downloads.tests.factories import AWKWARD_FRAGMENTS, write_rich_story
from archive.publishing.services import add_chapter
from archive.series.services import add_work, create_series
from archive.stories.tests.factories import make_story

pytestmark = pytest.mark.django_db


def epubcheck_command() -> list[str] | None:
    found = shutil.which("epubcheck")
    if found is None:
        return None
    # Debian's /usr/bin/epubcheck is the jar itself, run through binfmt_misc, which containers
    # often lack: run the jar with java directly.
    real = os.path.realpath(found)
    if not real.endswith(".jar"):
        return [found]
    java = shutil.which("java")
    return [java, "-jar", real] if java else None


EPUBCHECK = epubcheck_command()


@pytest.mark.skipif(EPUBCHECK is None, reason="epubcheck (and java) not installed: apt-get install epubcheck")
def test_epubcheck_finds_no_errors_or_warnings_in_downloaded_works(client, author, tmp_path):
    rich = write_rich_story(author, chapters=3)
    for fragment in AWKWARD_FRAGMENTS:
        fields = {"title": "", "notes": fragment, "end_notes": clean_prose(fragment), "body": fragment}
        add_chapter(story=rich, fields=fields, post=True)
    stories = [rich, make_story(author=author, title="قصة", language="ar", body="مرحبا بالعالم")]
    for title in ("A Series", "Another & Series"):  # the package names the series it is part of
        add_work(series=create_series(creator=author, title=title), story=rich)
    for story in stories:
        path = tmp_path / f"work-{story.pk}.epub"
        path.write_bytes(client.get(f"/downloads/{story.pk}/work.epub").content)

        result = subprocess.run(  # noqa: S603 - our own file, a fixed command
            [*EPUBCHECK, "--failonwarnings", str(path)], capture_output=True, text=True, timeout=120, check=False
        )

        report = result.stdout + result.stderr
        assert result.returncode == 0, report
        assert "No errors or warnings detected" in report, report
