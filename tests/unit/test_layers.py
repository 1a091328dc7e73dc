"""The house rule: imports point one way, bot -> berichten -> planning, and only bot knows Telegram.

Checked twice: by reading every import statement (also those inside functions or under
``TYPE_CHECKING``, which never run in a test), and by importing every module of the lower
layers and looking at what that loaded.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# What each layer may not import: anything above it, and Telegram below bot.
FORBIDDEN = {
    "planning": {"berichten", "bot", "telegram"},
    "berichten": {"bot", "telegram"},
}
PROBE = """
import importlib, pkgutil, sys
import berichten, planning
for package in (planning, berichten):
    for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        importlib.import_module(module.name)
print(sorted({name.split(".")[0] for name in sys.modules} & {"telegram", "bot"}))
"""


def _imported(path: Path) -> set[str]:
    """The top-level packages ``path`` imports, whether the import runs or not."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_no_module_imports_against_the_layers(layer: str) -> None:
    wrong = {
        str(path.relative_to(ROOT)): sorted(_imported(path) & FORBIDDEN[layer])
        for path in sorted((ROOT / layer).rglob("*.py"))
    }
    assert {path: names for path, names in wrong.items() if names} == {}


def test_the_lower_layers_load_neither_telegram_nor_bot() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == "[]"


def test_the_import_reader_sees_an_import_against_the_layers(tmp_path: Path) -> None:
    module = tmp_path / "wrong.py"
    module.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from berichten.outbox.store import NewMessage\n"
        "def later() -> None:\n"
        "    import telegram.ext\n",
        encoding="utf-8",
    )
    assert _imported(module) == {"typing", "berichten", "telegram"}
