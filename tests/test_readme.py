"""The README and docs/ claim only what is true: the README is a first screen that names the two commands first,
documents every command a runner can say and links only to what exists; the `simulate` example in docs/ is what
`runback simulate` prints; every `make` target and `runback` command the documents name exists."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot import texts
from bot.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
README_PATH = ROOT / "README.md"
README = README_PATH.read_text(encoding="utf-8")
DOCS = {path: path.read_text(encoding="utf-8") for path in sorted((ROOT / "docs").glob("*.md"))}
DOCUMENTS = {README_PATH: README} | DOCS
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def _anchors(markdown: str) -> set[str]:
    """GitHub's anchors for the headings of a Markdown text (code blocks skipped)."""
    anchors: set[str] = set()
    fenced = False
    for line in markdown.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and (heading := re.match(r"^#{1,6} (.+)$", line)):
            slug = re.sub(r"[^\w\- ]", "", heading[1].strip().lower()).replace(" ", "-")
            anchors.add(slug)
    return anchors


def test_the_simulate_example_prints_what_the_docs_show() -> None:
    decisions = DOCS[ROOT / "docs" / "decisions.md"]
    shown = [json.loads(line) for line in re.findall(r"^(\{\"date\": .*\})$", decisions, flags=re.MULTILINE)]
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


def test_the_readme_is_a_first_screen() -> None:
    assert len(README.splitlines()) <= 250


@pytest.mark.parametrize("path", list(DOCUMENTS), ids=lambda path: path.name)
def test_every_link_leads_somewhere(path: Path) -> None:
    for target in LINK.findall(DOCUMENTS[path]):
        if target.startswith(("http://", "https://")):
            continue
        file_part, _, anchor = target.partition("#")
        linked = (path.parent / file_part).resolve() if file_part else path
        assert linked.is_file(), f"{path.name} links to {target}, which does not exist"
        if anchor:
            assert anchor in _anchors(linked.read_text(encoding="utf-8")), f"{path.name}: no heading for {target}"


def test_every_docs_file_is_reachable_from_the_readme() -> None:
    linked = {(ROOT / target.partition("#")[0]).resolve() for target in LINK.findall(README)}
    assert set(DOCS) <= linked, sorted(path.name for path in set(DOCS) - linked)


def test_every_make_target_named_exists() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z][a-z-]*):", makefile, flags=re.MULTILINE))
    for path, text in DOCUMENTS.items():
        for target in re.findall(r"(?:^|`|\| )make ([a-z][a-z-]*)", text, flags=re.MULTILINE):
            assert target in targets, f"{path.name} names `make {target}`, which the Makefile lacks"


def test_every_runback_command_named_exists() -> None:
    (sub,) = [action for action in build_parser()._actions if action.dest == "command"]
    commands = set(sub.choices or {})
    for path, text in DOCUMENTS.items():
        for command in re.findall(r"\brunback (?=([a-z][a-z-]*))", text):
            if command == "runback":  # the container's name: `docker exec runback runback backup ...`
                continue
            assert command in commands, f"{path.name} names `runback {command}`, which does not exist"
