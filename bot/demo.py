"""`runback demo`: the real application, chatting in this terminal through the built-in Bot API emulator.

Same handlers, same database code (a SQLite file), same engine; only Telegram is emulated and the clock is
simulated, so a newcomer can live through two weeks of the plan in two minutes. Input may be piped.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from bot import app
from bot.clock import FakeClock
from bot.config import Settings, configure_logging, default_database_url
from bot.storage.migrate import upgrade
from bot.timezones import zone

if TYPE_CHECKING:  # the emulator is a dev tool: loaded only when the demo runs
    from emulator.models import BotMessage
    from emulator.server import BotAPIEmulator

DEMO_CHAT_ID = 1001
DEFAULT_START = datetime(2026, 10, 1, 6, 55, tzinfo=UTC)
DEMO_HELP = """Demo commands:
  a number       tap that button of the last message with buttons
  any text       send it to the coach (/start, /today, what's today?, my shin hurts, ...)
  :tomorrow      jump to tomorrow's check-in time (the morning prompt arrives)
  :time HH:MM    move the clock forward to HH:MM (your local time; tomorrow if already past)
  :send PATH     send a file as a document (e.g. :send docs/sample-run.gpx, a watch's run-walk)
  :now           show the simulated local time
  :help          this list
  :quit          end the demo"""


def parse_start(text: str | None) -> datetime:
    if not text:
        return DEFAULT_START
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time(6, 55), tzinfo=UTC)
        moment = datetime.fromisoformat(text)
    except ValueError as error:
        raise SystemExit(f"runback demo: --start must be an ISO date or datetime ({error})") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class TerminalChat:
    """Prints what the bot says and turns typed lines into user actions."""

    def __init__(self, emulator: BotAPIEmulator, out: TextIO) -> None:
        self.emulator = emulator
        self.out = out
        self._printed: dict[int, str] = {}
        self._buttons: list[tuple[int, str, str]] = []  # (message_id, label, callback_data)

    def show_new(self) -> None:
        for message in self.emulator.messages(DEMO_CHAT_ID):
            rendered = self._render(message)
            previous = self._printed.get(message.message_id)
            if previous == rendered:
                continue
            self._printed[message.message_id] = rendered
            if previous is not None and rendered.startswith(previous):
                print(f"bot (edited): … {rendered[len(previous) :].strip()}", file=self.out)  # e.g. "✓ Sleep: 8"
            else:
                print(f"\n{'bot (edited)' if previous is not None else 'bot'}: {rendered}", file=self.out)
            buttons = self.emulator.buttons(message)
            if buttons:  # a new message, or one edited into another question (the check-in): its buttons now
                self._buttons = [(message.message_id, label, data or "") for label, data in buttons]
                listing = "  ".join(f"[{i}] {label}" for i, (_, label, _) in enumerate(self._buttons, 1))
                print(f"     {listing}", file=self.out)
        self.out.flush()

    @staticmethod
    def _render(message: BotMessage) -> str:
        if message.document is not None:
            return f"[file {message.document.filename}] {message.caption or ''}".strip()
        return str(message.text or "")

    def press(self, number: int) -> bool:
        if not 1 <= number <= len(self._buttons):
            print(f"(no button {number}; the last message has {len(self._buttons)})", file=self.out)
            return False
        message_id, label, data = self._buttons[number - 1]
        print(f"you tapped: {label}", file=self.out)
        self.emulator.user_presses(DEMO_CHAT_ID, message_id, data)
        return True


async def _demo(settings: Settings, start: datetime, read_line: Callable[[], str], out: TextIO) -> int:
    from emulator.server import BotAPIEmulator

    clock = FakeClock(start)
    async with BotAPIEmulator(bot_username="runback_demo_bot") as emulator:
        demo_settings = replace(settings, telegram_api_url=emulator.base_url, token=emulator.token, log_level="WARNING")
        runback = app.build(demo_settings, clock, scheduler=False)
        await app.start(runback, poll_timeout=1)
        chat = TerminalChat(emulator, out)
        sent = 0
        print(
            f"RunBack demo. Simulated time: {start:%Y-%m-%d %H:%M} UTC. Type :help for demo commands.",
            file=out,
        )
        print("Start with /start.", file=out)
        try:
            while True:
                line = await asyncio.to_thread(read_line)
                if line == "":  # end of input
                    break
                command = line.strip()
                if not command:
                    continue
                if command == ":quit":
                    break
                if command == ":help":
                    print(DEMO_HELP, file=out)
                    continue
                if command == ":now":
                    print(f"(it is {await _local_now(runback, clock):%a %Y-%m-%d %H:%M} your time)", file=out)
                    continue
                if command == ":tomorrow" or command.startswith(":time"):
                    if not await _move_clock(runback, clock, command, out):
                        continue
                    await runback.morning_round()
                elif command.isdigit():
                    if not chat.press(int(command)):
                        continue
                    sent += 1
                elif command.startswith(":send"):
                    if not _send_file(emulator, command, out):
                        continue
                    sent += 1
                elif command.startswith(":"):
                    print("(unknown demo command; :help lists them)", file=out)
                    continue
                else:
                    print(f"you: {command}", file=out)
                    emulator.user_sends(DEMO_CHAT_ID, command, first_name="Demo")
                    sent += 1
                await runback.wait_until_handled(sent)
                chat.show_new()
        finally:
            await app.stop(runback)
    print("\nDemo ended.", file=out)
    return 0


def _send_file(emulator: BotAPIEmulator, command: str, out: TextIO) -> bool:
    """`:send PATH`: the runner sends that file as a document, as a watch app's share button does."""
    path = Path(command.removeprefix(":send").strip())
    if not path.is_file():
        print("(use :send PATH, e.g. :send docs/sample-run.gpx)", file=out)
        return False
    print(f"you: [file {path.name}]", file=out)
    emulator.user_sends_document(DEMO_CHAT_ID, path.read_bytes(), path.name, first_name="Demo")
    return True


async def _runner_zone(runback: app.RunBack) -> tuple[str, int]:
    from bot.storage import repository

    async with runback.sessions() as session:
        user = await repository.user_by_telegram_id(session, DEMO_CHAT_ID)
    if user is None:
        return "UTC", 7 * 60
    return user.time_zone, user.checkin_minute


async def _local_now(runback: app.RunBack, clock: FakeClock) -> datetime:
    zone_name, _ = await _runner_zone(runback)
    return clock.now().astimezone(zone(zone_name))


async def _move_clock(runback: app.RunBack, clock: FakeClock, command: str, out: TextIO) -> bool:
    zone_name, checkin_minute = await _runner_zone(runback)
    tz = zone(zone_name)
    local_now = clock.now().astimezone(tz)
    if command == ":tomorrow":
        target_day = local_now.date() + timedelta(days=1)
        target = datetime.combine(target_day, time(checkin_minute // 60, checkin_minute % 60), tzinfo=tz)
    else:
        try:
            hours, minutes = (int(x) for x in command.split(maxsplit=1)[1].split(":"))
            wanted = time(hours, minutes)
        except (IndexError, ValueError):
            print("(use :time HH:MM, e.g. :time 07:00)", file=out)
            return False
        target = datetime.combine(local_now.date(), wanted, tzinfo=tz)
        if target <= local_now:
            target += timedelta(days=1)
    clock.set(target)
    print(f"(the clock is now {target:%a %Y-%m-%d %H:%M} your time)", file=out)
    return True


def run_demo(settings: Settings, data_dir: str | None = None, start: str | None = None) -> int:
    configure_logging("WARNING")
    directory = Path(data_dir) if data_dir else Path(tempfile.mkdtemp(prefix="runback-demo-"))
    demo_settings = replace(settings, data_dir=directory, database_url=default_database_url(directory))
    upgrade(demo_settings.database_url)
    return asyncio.run(_demo(demo_settings, parse_start(start), sys.stdin.readline, sys.stdout))
