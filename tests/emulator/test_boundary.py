"""The emulator is a dev tool: the bot never loads it, except `runback demo`, which imports it when it runs."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def _top_level_imports(path: Path) -> set[str]:
    """Modules a file imports when it is loaded (imports inside functions and TYPE_CHECKING blocks excepted)."""
    names: set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_no_module_of_the_bot_imports_the_emulator_when_loaded() -> None:
    importing = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "bot").rglob("*.py"))
        if any(name == "emulator" or name.startswith("emulator.") for name in _top_level_imports(path))
    ]
    assert importing == []


def test_the_running_bot_does_not_load_the_emulator() -> None:
    modules = [
        ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for path in sorted((ROOT / "bot").rglob("*.py"))
    ]
    probe = (
        "import importlib, sys\n"
        f"for name in {[m for m in modules if m != 'bot.demo']!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m == 'emulator' or m.startswith('emulator.')))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT)
    assert result.stdout.strip() == "[]"
