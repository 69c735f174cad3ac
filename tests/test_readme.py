"""The README claims only what is true: its example output is what `runback simulate` prints, and every
command the bot offers is documented."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from bot import texts

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_simulate_example_prints_what_the_readme_shows() -> None:
    shown = [json.loads(line) for line in re.findall(r"^(\{\"date\": .*\})$", README, flags=re.MULTILINE)]
    assert len(shown) == 4
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "simulate", str(ROOT / "docs" / "example-scenario.json")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert [json.loads(line) for line in result.stdout.splitlines()] == shown


def test_every_command_is_in_the_readme() -> None:
    for command, _ in texts.COMMANDS:
        assert f"/{command}" in README, command


def test_the_readme_names_the_two_commands_first() -> None:
    quick_start = README.split("## Quick start", 1)[1][:600]
    assert "make demo" in quick_start and "make test" in quick_start
