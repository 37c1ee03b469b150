"""The external checkers the suite runs, found once: axe-core and the Nu Html Checker (`npm ci`
installs both; the checker runs with the system's Java). A test that needs one is marked with
`needs_axe` or `needs_vnu`, and skips without it, except under CI=true, where that skip fails
the run (conftest.py) and `.ci/run` has installed them first.
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
JAVA = shutil.which("java")

needs_axe = pytest.mark.skipif(not AXE.exists(), reason=f"needs axe-core at {AXE} (run `npm ci`)")
needs_vnu = pytest.mark.skipif(
    not (VNU.exists() and JAVA),
    reason=f"needs the Nu Html Checker at {VNU} (run `npm ci`) and `java` on the PATH",
)


def nu_messages(files) -> list[dict]:
    """The Nu Html Checker's errors in these HTML files (paths), as its JSON report lists them."""
    result = subprocess.run(  # noqa: S603 - our own jar and files
        [JAVA, "-jar", str(VNU), "--errors-only", "--format", "json", "--stdout", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return json.loads(result.stdout)["messages"]
