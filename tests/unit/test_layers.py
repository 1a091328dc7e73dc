"""The house rule: planning and berichten work without Telegram (bot -> berichten -> planning)."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import importlib, pkgutil, sys
import berichten, planning
for package in (planning, berichten):
    for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        if ".migrations" not in module.name:
            importlib.import_module(module.name)
print(sorted(name for name in sys.modules if name.split(".")[0] in {"telegram", "bot"}))
"""


def test_planning_and_berichten_import_neither_telegram_nor_bot() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
