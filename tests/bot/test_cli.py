"""The `runback` command's argparse layer: every sub-command has its --help, a wrong command or option exits 2,
the engine's commands are the engine's, and the long commands say what they are doing on stderr."""

from __future__ import annotations

import io
import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest

import benchmarks.__main__ as bench_module
from bot.cli import build_parser, main
from bot.storage.migrate import upgrade

COMMANDS = ("run", "set-webhook", "demo", "migrate", "simulate", "protocol", "migrate-db", "backup", "bench")
PROGRESS = re.compile(r"^runback (?P<command>[a-z-]+): (?P<message>.+) \[\d+\.\d s\]$")


def _exit_status(argv: list[str]) -> int:
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    return int(stopped.value.code or 0)


def _progress(err: str, command: str) -> list[str]:
    """The progress lines of `command` in stderr, in order (other lines, e.g. errors, left out)."""
    matches = [PROGRESS.match(line) for line in err.splitlines()]
    return [m["message"] for m in matches if m is not None and m["command"] == command]


def _sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def _database_with_runners(path: Path, runners: int) -> None:
    upgrade(_sqlite_url(path))
    with sqlite3.connect(path) as connection:
        connection.executemany(
            "INSERT INTO users (telegram_id, chat_id, language, time_zone, checkin_minute, active, created_at)"
            " VALUES (?, ?, 'en', 'UTC', 420, 1, '2026-10-01 07:00:00')",
            [(n, n) for n in range(1, runners + 1)],
        )


def test_every_existing_command_is_declared() -> None:
    parser = build_parser()
    (sub,) = [action for action in parser._actions if action.dest == "command"]
    assert sorted(sub.choices or {}) == sorted(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_has_its_own_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert _exit_status([command, "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: runback {command}") and f"runback {command}: " in out


def test_the_top_level_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert _exit_status(["--help"]) == 0
    out = capsys.readouterr().out
    assert all(re.search(rf"^\s+{re.escape(command)}\b", out, flags=re.MULTILINE) for command in COMMANDS)


@pytest.mark.parametrize(
    "argv",
    [
        [],  # no command
        ["nope"],  # an unknown command
        ["backup"],  # a missing argument
        ["bench", "--fast"],  # an unknown option
        ["run", "--webhooks"],
        ["simulate", "a.json", "b.json"],  # one argument too many
        ["migrate-db", "sqlite+aiosqlite:///a.db"],
    ],
)
def test_a_wrong_command_or_option_exits_2_with_the_usage(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert _exit_status(argv) == 2
    err = capsys.readouterr().err
    assert "usage: runback" in err and "error:" in err


def test_a_bad_setting_stops_a_command_with_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("RUNBACK_LOG_LEVEL", "LOUD")
    assert main(["backup", "anywhere.db"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "RUNBACK_LOG_LEVEL" in err


def test_protocol_and_simulate_are_the_engines(capsys: pytest.CaptureFixture[str]) -> None:
    from engine.cli import protocol_main, simulate_main

    assert main(["protocol"]) == 0
    ours = capsys.readouterr().out
    engines = io.StringIO()
    assert protocol_main(engines) == 0
    assert ours == engines.getvalue() and "level_1" in ours
    scenario = str(Path(__file__).resolve().parents[2] / "docs" / "example-scenario.json")
    assert main(["simulate", scenario]) == 0
    ours = capsys.readouterr().out
    engines = io.StringIO()
    assert simulate_main([scenario], io.StringIO(), engines, io.StringIO()) == 0
    assert ours == engines.getvalue() and len(ours.splitlines()) == 4


def test_backup_reports_its_progress(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    database, copy = tmp_path / "runback.db", tmp_path / "backup.db"
    _database_with_runners(database, 3)
    monkeypatch.setenv("RUNBACK_DATABASE_URL", _sqlite_url(database))
    assert main(["backup", str(copy)]) == 0
    out, err = capsys.readouterr()
    assert out == f"backed up {database} to {copy}\n"  # stdout as before
    assert _progress(err, "backup") == [
        f"copying {_sqlite_url(database)} to {copy}",
        f"done: {copy.stat().st_size:,} bytes written to {copy}",
    ]
    with sqlite3.connect(copy) as connection:
        assert connection.execute("SELECT count(*) FROM users").fetchone() == (3,)
    assert main(["backup", str(copy)]) == 1  # never overwrites: the failure is said, then the stop
    err = capsys.readouterr().err
    assert "exists; choose a new file name" in err
    assert _progress(err, "backup")[-1] == "stopped (exit status 1)"


def test_migrate_db_reports_its_progress(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source, destination = tmp_path / "old.db", tmp_path / "new.db"
    _database_with_runners(source, 4)
    assert main(["migrate-db", _sqlite_url(source), _sqlite_url(destination)]) == 0
    out, err = capsys.readouterr()
    assert "users: 4 rows" in out.splitlines() and "copied 4 rows" in out
    assert _progress(err, "migrate-db") == [
        f"bringing {_sqlite_url(destination)} to the newest schema, then copying every table from "
        f"{_sqlite_url(source)} (stop the bot first)",
        "done: the row counts of every table agree",
    ]


def test_migrate_db_progress_hides_the_password(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = _sqlite_url(tmp_path / "missing.db")
    assert main(["migrate-db", missing, "postgresql+asyncpg://runback:s3cret-pw@127.0.0.1:1/runback"]) == 1
    err = capsys.readouterr().err
    assert "s3cret-pw" not in err and "runback:***@127.0.0.1:1/runback" in err
    assert "no SQLite database" in err and _progress(err, "migrate-db")[-1] == "stopped (exit status 1)"


def test_bench_reports_each_benchmark_as_it_starts_and_ends(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    names = ("fanout", "updates", "memory", "history", "engine", "chart", "activity")

    def quick_stand_in(name: str) -> Any:
        async def measure(size: str, workdir: Path | None) -> list[dict[str, Any]]:
            return [{"name": name, "figures": {"size": size}}]

        return measure

    monkeypatch.setattr(bench_module, "_benchmarks", lambda: {name: quick_stand_in(name) for name in names})
    assert main(["bench", "--quick"]) == 0
    out, err = capsys.readouterr()
    assert [json.loads(line)["name"] for line in out.splitlines()] == list(names)
    expected: list[str] = []
    for number, name in enumerate(names, start=1):
        expected += [f"{name} ({number} of 7, quick size) started", f"{name} done in N s; JSON lines: 1"]
    assert [re.sub(r"\d+\.\d s", "N s", line) for line in _progress(err, "bench")] == expected
