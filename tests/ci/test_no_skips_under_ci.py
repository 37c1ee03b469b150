"""Under CI=true a skipped test fails the run (conftest.py): a CI machine without Chromium, Java,
npm or epubcheck fails loudly instead of passing with a row of quiet skips.

Each test runs pytest in a child process on SQLite in memory (or on no database at all), so it
never touches the test database this run is using.
"""

import os
import subprocess
import sys
import xml.etree.ElementTree as ET  # noqa: S405 - pytest's own report of our own tests
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SQLITE = "sqlite:///:memory:"
POSTGRES = "postgres://postgres@127.0.0.1:5432/archive"  # named, never connected to: no test uses a database


def run_pytest(*args: str, ci: bool, database_url: str = SQLITE, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "DJANGO_SECRET_KEY": "tests-only-secret", "DATABASE_URL": database_url, **env}
    environment.pop("CI", None)
    if ci:
        environment["CI"] = "true"
    return subprocess.run(  # noqa: S603 - this interpreter, running pytest on our own tests
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def outcomes(tmp_path: Path, *, ci: bool, database_url: str = SQLITE) -> dict[str, str]:
    report = tmp_path / "report.xml"
    run_pytest("tests/ci/skipping.py", f"--junitxml={report}", ci=ci, database_url=database_url)
    results = {}
    for case in ET.parse(report).iter("testcase"):  # noqa: S314 - written by the pytest above
        skipped = case.find("skipped")
        if case.find("failure") is not None or case.find("error") is not None:
            results[case.get("name")] = "failed"
        elif skipped is not None:
            results[case.get("name")] = "xfailed" if skipped.get("type") == "pytest.xfail" else "skipped"
        else:
            results[case.get("name")] = "passed"
    return results


def test_without_ci_every_skip_is_a_skip(tmp_path):
    assert outcomes(tmp_path, ci=False) == {
        "test_a_skip_in_the_test": "skipped",
        "test_a_skipif_marker": "skipped",
        "test_a_skip_in_a_fixture": "skipped",
        "test_a_skip_allowed_with_a_reason": "skipped",
        "test_a_skip_allowed_without_a_reason": "skipped",
        "test_a_postgres_only_skip": "skipped",
        "test_an_expected_failure": "xfailed",
    }


@pytest.mark.parametrize(("database_url", "postgres_only_skip"), [(SQLITE, "skipped"), (POSTGRES, "failed")])
def test_under_ci_a_skip_fails_unless_it_is_allowed_with_a_reason(tmp_path, database_url, postgres_only_skip):
    assert outcomes(tmp_path, ci=True, database_url=database_url) == {
        "test_a_skip_in_the_test": "failed",
        "test_a_skipif_marker": "failed",
        "test_a_skip_in_a_fixture": "failed",
        "test_a_skip_allowed_with_a_reason": "skipped",
        "test_a_skip_allowed_without_a_reason": "failed",
        # Allowed where the suite runs on another database, not where PostgreSQL was meant to be.
        "test_a_postgres_only_skip": postgres_only_skip,
        "test_an_expected_failure": "xfailed",
    }


def test_a_ci_run_without_chromium_fails_and_says_so():
    browser_test = "tests/browser/test_journeys.py::test_a_newcomer_signs_up_logs_out_and_logs_back_in"

    local = run_pytest(browser_test, ci=False, CHROMIUM="/nonexistent/chromium")
    in_ci = run_pytest(browser_test, ci=True, CHROMIUM="/nonexistent/chromium")

    assert local.returncode == 0, local.stdout + local.stderr
    assert "1 skipped" in local.stdout
    assert in_ci.returncode == 1, in_ci.stdout + in_ci.stderr
    assert "1 error" in in_ci.stdout  # the browser fixture's skip, failed in the test's setup
    assert "CI=true allows no skips, and this one skipped: browser tests need Chromium at /nonexistent/chromium" in (
        in_ci.stdout
    )
