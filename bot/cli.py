"""The `runback` command: one argparse sub-command per job, each handled by one small function below.

Sub-commands import what they need lazily: `simulate` and `protocol` load only the engine (engine/cli.py), so
they start fast and need neither Telegram nor a database. The long ones (`backup`, `migrate-db`, `bench`)
report what they are doing on stderr, one line per phase, so stdout stays what it was (results, JSON lines).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from bot.config import Settings

    Subcommands = argparse._SubParsersAction[argparse.ArgumentParser]

Command = Callable[[argparse.Namespace], int]


class Progress:
    """Progress lines of a long command on stderr: what it is doing, with counts, and the seconds so far."""

    def __init__(self, command: str, stream: TextIO | None = None) -> None:
        self._command = command
        self._stream = sys.stderr if stream is None else stream
        self._started = time.perf_counter()

    def __call__(self, message: str) -> None:
        elapsed = time.perf_counter() - self._started
        print(f"runback {self._command}: {message} [{elapsed:.1f} s]", file=self._stream, flush=True)


def _redacted(url: str) -> str:
    """A database URL fit for a terminal: the password replaced by ***."""
    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)


def _settings() -> Settings | None:
    """The settings from the environment, or None after saying in one line which one is wrong."""
    from bot.config import ConfigError, load_settings

    try:
        return load_settings()
    except ConfigError as error:
        print(f"runback: {error}", file=sys.stderr)
        return None


def with_settings(command: Callable[[argparse.Namespace, Settings], int]) -> Command:
    """A command that needs the settings: exit 2 with one line when a setting is bad."""

    def checked(args: argparse.Namespace) -> int:
        settings = _settings()
        return 2 if settings is None else command(args, settings)

    checked.__doc__ = command.__doc__
    return checked


def simulate(args: argparse.Namespace) -> int:
    """Replay a scenario through the engine (engine/cli.py)."""
    from engine.cli import simulate_main

    return int(simulate_main([args.scenario], sys.stdin, sys.stdout, sys.stderr))


def protocol(args: argparse.Namespace) -> int:
    """Print the protocol's levels and rules (engine/cli.py)."""
    from engine.cli import protocol_main

    return int(protocol_main(sys.stdout))


def migrate_db(args: argparse.Namespace) -> int:
    """Copy every row of one database into another, empty one."""
    from bot.storage.transfer import migrate_db_main

    progress = Progress("migrate-db")
    progress(
        f"bringing {_redacted(args.destination)} to the newest schema, then copying every table from "
        f"{_redacted(args.source)} (stop the bot first)"
    )
    status = int(migrate_db_main(args.source, args.destination))
    progress("done: the row counts of every table agree" if status == 0 else f"stopped (exit status {status})")
    return status


@with_settings
def migrate(args: argparse.Namespace, settings: Settings) -> int:
    """Upgrade the database to the newest schema."""
    from bot.storage.migrate import upgrade

    upgrade(settings.database_url)
    print("database is at the newest schema")
    return 0


@with_settings
def run(args: argparse.Namespace, settings: Settings) -> int:
    """Start the Telegram bot, polling or (--webhook) serving webhook requests."""
    if not settings.token:
        print(
            "runback: TELEGRAM_BOT_TOKEN is not set. Get one from @BotFather, or try the coach without "
            "one: make demo (runback demo)",
            file=sys.stderr,
        )
        return 2
    from bot.main import run_bot

    if args.webhook and not (settings.webhook_url and settings.webhook_secret):
        print("runback: --webhook needs RUNBACK_WEBHOOK_URL and RUNBACK_WEBHOOK_SECRET", file=sys.stderr)
        return 2
    return int(run_bot(settings, webhook=args.webhook))


@with_settings
def set_webhook(args: argparse.Namespace, settings: Settings) -> int:
    """Register (or --delete) the webhook with Telegram."""
    if not settings.token:
        print("runback: TELEGRAM_BOT_TOKEN is not set", file=sys.stderr)
        return 2
    if not args.delete and not (settings.webhook_url and settings.webhook_secret):
        print("runback: set-webhook needs RUNBACK_WEBHOOK_URL and RUNBACK_WEBHOOK_SECRET", file=sys.stderr)
        return 2
    from bot.main import set_webhook as register

    return int(register(settings, delete=args.delete))


@with_settings
def demo(args: argparse.Namespace, settings: Settings) -> int:
    """Chat with the coach in this terminal, against the built-in Bot API emulator."""
    from bot.demo import run_demo

    return int(run_demo(settings, data_dir=args.data_dir, start=args.start))


@with_settings
def backup(args: argparse.Namespace, settings: Settings) -> int:
    """Copy the SQLite database safely, also while the bot runs."""
    from bot.storage.backup import backup_main

    progress = Progress("backup")
    progress(f"copying {_redacted(settings.database_url)} to {args.path}")
    status = int(backup_main(settings, args.path))
    if status == 0:
        progress(f"done: {Path(args.path).stat().st_size:,} bytes written to {args.path}")
    else:
        progress(f"stopped (exit status {status})")
    return status


@with_settings
def bench(args: argparse.Namespace, settings: Settings) -> int:
    """Run the benchmarks: one JSON line per figure on stdout, progress on stderr."""
    from benchmarks.__main__ import main as bench_main

    return int(bench_main(["--quick"] if args.quick else [], progress=Progress("bench")))


def _command(sub: Subcommands, name: str, summary: str, handler: Command) -> argparse.ArgumentParser:
    """Declare one sub-command: its one-line summary (in `runback --help` and its own `--help`) and handler."""
    parser = sub.add_parser(name, help=summary, description=f"runback {name}: {summary}.")
    parser.set_defaults(handler=handler)
    return parser


def _add_bot(sub: Subcommands) -> None:
    parser = _command(sub, "run", "start the Telegram bot (needs TELEGRAM_BOT_TOKEN)", run)
    parser.add_argument(
        "--webhook",
        action="store_true",
        help="serve Telegram's webhook requests on RUNBACK_LISTEN:RUNBACK_PORT instead of polling (needs "
        "RUNBACK_WEBHOOK_URL and RUNBACK_WEBHOOK_SECRET; several workers may run behind a reverse proxy)",
    )
    parser = _command(
        sub,
        "set-webhook",
        "register RUNBACK_WEBHOOK_URL and its secret with Telegram (once, not per worker)",
        set_webhook,
    )
    parser.add_argument("--delete", action="store_true", help="delete the webhook (back to polling)")
    parser = _command(sub, "demo", "chat with the coach in this terminal, against a built-in Bot API emulator", demo)
    parser.add_argument("--data-dir", help="keep the demo database here (default: a temporary directory)")
    parser.add_argument("--start", help="the demo clock's start, ISO date or datetime (default 2026-10-01 06:55)")


def _add_engine(sub: Subcommands) -> None:
    parser = _command(
        sub, "simulate", "replay a scenario through the engine (format: docs/simulate-contract.md)", simulate
    )
    parser.add_argument("scenario", help="a scenario JSON file, or - for standard input")
    _command(sub, "protocol", "print the protocol's levels and rules", protocol)


def _add_database(sub: Subcommands) -> None:
    _command(sub, "migrate", "upgrade the database to the newest schema", migrate)
    parser = _command(
        sub,
        "migrate-db",
        "copy every row of one database into another, empty one (e.g. SQLite to PostgreSQL); progress on stderr",
        migrate_db,
    )
    parser.add_argument("source", help="the database to copy, e.g. sqlite+aiosqlite:////data/runback.db")
    parser.add_argument("destination", help="an empty database, e.g. postgresql+asyncpg://user:pw@host/runback")
    parser = _command(
        sub, "backup", "copy the SQLite database safely, also while the bot runs; progress on stderr", backup
    )
    parser.add_argument("path", help="where to write the backup file (an existing file is never overwritten)")
    parser = _command(sub, "bench", "run the benchmarks: JSON lines on stdout, progress on stderr", bench)
    parser.add_argument("--quick", action="store_true", help="a small, fast version (CI smoke run)")


def build_parser() -> argparse.ArgumentParser:
    """The `runback` parser: every sub-command, its options and its handler."""
    parser = argparse.ArgumentParser(prog="runback", description="RunBack: a return-to-run coach on Telegram.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_bot(sub)
    _add_engine(sub)
    _add_database(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one `runback` command; a wrong command or option exits 2 with argparse's usage line."""
    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    handler: Command = args.handler
    return handler(args)


if __name__ == "__main__":
    sys.exit(main())
