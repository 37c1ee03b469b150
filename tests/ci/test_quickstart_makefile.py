"""The quickstart's front door: `make run` installs only what running needs and serves on PORT."""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def dry_run(*args: str) -> str:
    """What make would do, for a checkout with no virtual environment yet."""
    command = ["make", "-n", "VENV=/nonexistent-venv", *args]
    return subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True).stdout  # noqa: S603


def test_make_run_installs_only_the_running_requirements_and_serves_on_port():
    plan = dry_run("run", "PORT=8123")

    assert "-r requirements.txt" in plan
    assert "requirements-dev.txt" not in plan
    assert "runserver 127.0.0.1:8123" in plan


def test_make_test_brings_the_test_tools():
    assert "-r requirements-dev.txt" in dry_run("test")
