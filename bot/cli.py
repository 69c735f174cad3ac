"""The `runback` command. Sub-commands import what they need lazily: `simulate` and `protocol` load only the
engine, so they start fast and need neither Telegram nor a database."""

from __future__ import annotations

import argparse
import sys


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="runback", description="RunBack: a return-to-run coach on Telegram.")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="start the Telegram bot (needs TELEGRAM_BOT_TOKEN)")
    run.add_argument(
        "--webhook",
        action="store_true",
        help="serve Telegram's webhook requests on RUNBACK_LISTEN:RUNBACK_PORT instead of polling (needs "
        "RUNBACK_WEBHOOK_URL and RUNBACK_WEBHOOK_SECRET; several workers may run behind a reverse proxy)",
    )
    set_webhook = sub.add_parser(
        "set-webhook", help="register RUNBACK_WEBHOOK_URL and its secret with Telegram (once, not per worker)"
    )
    set_webhook.add_argument("--delete", action="store_true", help="delete the webhook (back to polling)")
    demo = sub.add_parser("demo", help="chat with the coach in this terminal, against a built-in Bot API emulator")
    demo.add_argument("--data-dir", help="keep the demo database here (default: a temporary directory)")
    demo.add_argument("--start", help="the demo clock's start, ISO date or datetime (default 2026-10-01 06:55)")
    sub.add_parser("migrate", help="upgrade the database to the newest schema")
    sim = sub.add_parser("simulate", help="replay a scenario through the engine (see docs)")
    sim.add_argument("scenario", help="a scenario JSON file, or - for standard input")
    sub.add_parser("protocol", help="print the protocol's levels and rules")
    migrate_db = sub.add_parser(
        "migrate-db", help="copy every row of one database into another, empty one (e.g. SQLite to PostgreSQL)"
    )
    migrate_db.add_argument("source", help="the database to copy, e.g. sqlite+aiosqlite:////data/runback.db")
    migrate_db.add_argument("destination", help="an empty database, e.g. postgresql+asyncpg://user:pw@host/runback")
    backup = sub.add_parser("backup", help="copy the SQLite database safely, also while the bot runs")
    backup.add_argument("path", help="where to write the backup file")
    bench = sub.add_parser("bench", help="run the benchmarks")
    bench.add_argument("--quick", action="store_true", help="a small, fast version (CI smoke run)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args_list = sys.argv[1:] if argv is None else argv
    args = _parser().parse_args(args_list)
    if args.command == "simulate":
        from engine.cli import simulate_main

        return int(simulate_main([args.scenario], sys.stdin, sys.stdout, sys.stderr))
    if args.command == "protocol":
        from engine.cli import protocol_main

        return int(protocol_main(sys.stdout))
    if args.command == "migrate-db":
        from bot.storage.transfer import migrate_db_main

        return int(migrate_db_main(args.source, args.destination))
    from bot.config import ConfigError, load_settings

    try:
        settings = load_settings()
    except ConfigError as error:
        print(f"runback: {error}", file=sys.stderr)
        return 2
    if args.command == "migrate":
        from bot.storage.migrate import upgrade

        upgrade(settings.database_url)
        print("database is at the newest schema")
        return 0
    if args.command == "run":
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
    if args.command == "set-webhook":
        if not settings.token:
            print("runback: TELEGRAM_BOT_TOKEN is not set", file=sys.stderr)
            return 2
        if not args.delete and not (settings.webhook_url and settings.webhook_secret):
            print("runback: set-webhook needs RUNBACK_WEBHOOK_URL and RUNBACK_WEBHOOK_SECRET", file=sys.stderr)
            return 2
        from bot.main import set_webhook

        return int(set_webhook(settings, delete=args.delete))
    if args.command == "demo":
        from bot.demo import run_demo

        return int(run_demo(settings, data_dir=args.data_dir, start=args.start))
    if args.command == "backup":
        from bot.storage.backup import backup_main

        return int(backup_main(settings, args.path))
    if args.command == "bench":
        from benchmarks.__main__ import main as bench_main

        return int(bench_main(["--quick"] if args.quick else []))
    raise AssertionError(args.command)


if __name__ == "__main__":
    sys.exit(main())
