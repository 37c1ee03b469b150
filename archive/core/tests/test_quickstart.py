"""The quickstart (issue #16, item 11): `make run` takes PORT (8000 by default) and installs only
what running needs; the README opens with the two commands and the Python version, before the
feature list. tests/browser/test_quickstart.py runs it and opens it on a phone and a desktop."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

needs_make = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def dry_run(*arguments: str) -> str:
    """What make would run, without running it (-B: as if nothing were installed yet)."""
    result = subprocess.run(  # noqa: S603 - our own Makefile
        ["make", "--no-print-directory", "-n", "-B", *arguments],  # noqa: S607 - make from the PATH, as a user runs it
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


@needs_make
def test_make_run_serves_on_the_port_it_is_given_and_8000_by_default():
    assert "runserver 127.0.0.1:8001" in dry_run("run", "PORT=8001")
    assert "runserver 127.0.0.1:8000" in dry_run("run")


@needs_make
def test_make_run_installs_only_what_running_needs():
    commands = dry_run("run")
    installs = [line for line in commands.splitlines() if "pip install" in line]
    assert installs and all(line.endswith("-r requirements.txt") for line in installs)
    running = (ROOT / "requirements.txt").read_text().lower()
    for tool in ("pytest", "playwright", "ruff", "factory"):
        assert tool not in running, f"{tool} is a test tool: requirements-dev.txt, installed by make test"
    assert "requirements-dev.txt" in dry_run("test")


def test_the_readme_opens_with_the_two_commands_and_the_python_version():
    readme = (ROOT / "README.md").read_text()
    opening = readme.split("What works today")[0]
    assert re.search(r"Python 3\.11 or newer", opening)
    assert re.search(r"^make run\b", opening, re.MULTILINE)
    assert re.search(r"^make test\b", opening, re.MULTILINE)
    assert "PORT=" in opening
