"""A copy of the app to change a few files in and run a script against (the extension tests:
a new language, round or measure is only the files they name)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def copy_app(target: Path, *, parts: tuple[str, ...] = ("workshop", "pages"), with_app: bool = True) -> Path:
    """The package (and pages, app.py) copied under `target`, caches and databases left out."""
    for part in parts:
        shutil.copytree(ROOT / part, target / part, ignore=shutil.ignore_patterns("__pycache__", "*.db*", "*.key"))
    if with_app:
        shutil.copy(ROOT / "app.py", target / "app.py")
    return target


def run_in_copy(copy: Path, script: str, *args: str, env: dict | None = None, timeout: int = 240) -> dict[str, str]:
    """Run `script` with the copy first on the path; what it printed as "name: value" lines.
    Fails the test with the script's error output if it fails."""
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=copy,
        env={"PYTHONPATH": str(copy), "PATH": "/usr/bin:/bin", **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return dict(line.split(": ", 1) for line in done.stdout.splitlines() if ": " in line)
