"""Which code a benchmark measured: long runs overlap with other work on the checkout."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).parent.parent  # git paths are given from the checkout's root


def measured_commit(*paths: str) -> str:
    """The commit checked out, and whether ``paths`` have changes not committed yet."""

    def git(*args: str) -> str:
        found = subprocess.run(["git", *args], capture_output=True, text=True, check=True, cwd=ROOT)
        return found.stdout.strip()

    try:
        head = git("rev-parse", "--short", "HEAD")
        changed = git("status", "--porcelain", "--", *paths)
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + (f" with uncommitted changes to {', '.join(paths)}" if changed else "")
