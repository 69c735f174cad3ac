"""`runback demo`: the real application, chatting in this terminal through the built-in Bot API emulator.

Same handlers, same database code (a SQLite file), same engine; only Telegram is emulated and the clock is
simulated, so a newcomer can live through two weeks of the plan in two minutes. Input may be piped.
"""

from __future__ import annotations

import asyncio
import re
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from bot import app, texts
from bot.clock import FakeClock
from bot.config import Settings, configure_logging, default_database_url
from bot.storage.migrate import upgrade
from bot.timezones import zone

if TYPE_CHECKING:  # the emulator is a dev tool: loaded only when the demo runs
    from emulator.models import BotMessage, StoredFile
    from emulator.server import BotAPIEmulator

DEMO_CHAT_ID = 1001
DEFAULT_START = datetime(2026, 10, 1, 6, 55, tzinfo=UTC)
DEMO_HELP = """Demo commands:
  a number       tap that button of the last message with buttons (yours: the person you are now)
  any text       send it to the coach (/start, /today, what's today?, my shin hurts, ...)
  a t.me link    open it, as Telegram does (the clinician opens the runner's /share link this way)
  :open          open the last t.me link the bot sent, as if it had been forwarded to you
  :as clinician  be Dr Jones, a clinician the runner invites with /share (also :as coach)
  :as runner     be the runner again
  :tomorrow      jump to tomorrow's check-in time (the morning prompt arrives)
  :time HH:MM    move the clock forward to HH:MM (your local time; tomorrow if already past)
  :send PATH     send a file as a document (e.g. :send docs/sample-run.gpx, a watch's run-walk)
  :now           show the simulated local time
  :help          this list
  :quit          end the demo
Pictures and files the bot sends are saved in the demo's folder; their paths are printed."""


@dataclass(frozen=True)
class Person:
    """Someone the demo lets you be: their own Telegram account and private chat with the bot."""

    role: str
    chat_id: int
    first_name: str

    @property
    def you(self) -> str:
        """How your own lines are echoed: the runner is plain "you"."""
        return "you" if self.role == "runner" else f"you as {self.first_name}"


PEOPLE = {
    "runner": Person("runner", DEMO_CHAT_ID, "Demo"),
    "clinician": Person("clinician", 1002, "Dr Jones"),
    "coach": Person("coach", 1003, "Coach Kim"),
}
# "Open" a t.me link as Telegram does: the chat with the bot starts with /start and the link's payload.
START_LINK = re.compile(r"https?://t\.me/(?P<bot>\w+)\?start=(?P<payload>[\w-]+)")


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


def opened_link(text: str, bot_username: str) -> str | None:
    """The /start command a t.me link to this bot sends when it is opened, else None."""
    match = START_LINK.fullmatch(text)
    if match is None or match["bot"].lower() != bot_username.lower():
        return None
    return f"/start {match['payload']}"


class MediaFolder:
    """Keeps the pictures and files the bot sends, so that a demo's chart or PDF can be opened."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._pictures = 0

    def save(self, stored: StoredFile) -> Path | None:
        if stored.content is None:  # sent by URL: nothing to keep
            return None
        if stored.kind == "photo":
            self._pictures += 1
            name = f"chart-{self._pictures}.png"
        else:
            name = Path(stored.filename or f"{stored.kind}.bin").name  # never a path the bot chose
        path = self.directory / name
        copy = 1
        while path.exists():  # the same report to the runner and the clinician: two files
            copy += 1
            path = self.directory / f"{Path(name).stem}-{copy}{Path(name).suffix}"
        path.write_bytes(stored.content)
        return path


class TerminalChat:
    """One person's chat: prints what the bot says to them and turns typed numbers into their taps."""

    def __init__(self, emulator: BotAPIEmulator, out: TextIO, person: Person, media: MediaFolder) -> None:
        self.emulator = emulator
        self.out = out
        self.person = person
        self.media = media
        self._printed: dict[int, str] = {}
        self._saved: dict[int, Path | None] = {}  # message id -> where its picture or file was saved
        self._buttons: list[tuple[int, str, str]] = []  # (message_id, label, callback_data)

    def show_new(self, current: bool) -> None:
        """Print the bot's new and edited messages; someone else's are marked with their name."""
        bot = "bot" if current else f"bot → {self.person.first_name}"
        for message in self.emulator.messages(self.person.chat_id):
            rendered = self._render(message)
            previous = self._printed.get(message.message_id)
            if previous == rendered:
                continue
            self._printed[message.message_id] = rendered
            if previous is not None and rendered.startswith(previous):
                print(f"{bot} (edited): … {rendered[len(previous) :].strip()}", file=self.out)  # e.g. "✓ Sleep: 8"
            else:
                print(f"\n{bot + ' (edited)' if previous is not None else bot}: {rendered}", file=self.out)
            buttons = self.emulator.buttons(message)
            if buttons:  # a new message, or one edited into another question (the check-in): its buttons now
                self._buttons = [(message.message_id, label, data or "") for label, data in buttons]
                self.list_buttons()
        self.out.flush()

    def list_buttons(self) -> None:
        if self._buttons:
            listing = "  ".join(f"[{i}] {label}" for i, (_, label, _) in enumerate(self._buttons, 1))
            print(f"     {listing}", file=self.out)

    def _render(self, message: BotMessage) -> str:
        stored = message.photo or message.document
        if stored is None:
            return str(message.text or "")
        if message.message_id not in self._saved:
            self._saved[message.message_id] = self.media.save(stored)
        path = self._saved[message.message_id]
        what = "photo" if message.photo is not None else f"file {stored.filename}"
        shown = f"[{what} saved: {path}]" if path is not None else f"[{what}]"
        return f"{shown} {message.caption or ''}".strip()

    def press(self, number: int) -> bool:
        if not 1 <= number <= len(self._buttons):
            print(f"(no button {number}; the last message has {len(self._buttons)})", file=self.out)
            return False
        message_id, label, data = self._buttons[number - 1]
        print(f"{self.person.you} tapped: {label}", file=self.out)
        try:
            self.emulator.user_presses(
                self.person.chat_id, message_id, data, user_id=self.person.chat_id, first_name=self.person.first_name
            )
        except LookupError:  # the message was edited since and that button is gone
            print(texts.DEMO_BUTTON_GONE, file=self.out)
            return False
        return True

    def send(self, text: str) -> None:
        self.emulator.user_sends(self.person.chat_id, text, first_name=self.person.first_name)


def _last_link(emulator: BotAPIEmulator, chats: dict[str, TerminalChat]) -> str | None:
    """The newest t.me link in any message the bot sent (the runner's /share link, ready to forward)."""
    found: list[tuple[tuple[int, int], str]] = []
    for chat in chats.values():
        for message in emulator.messages(chat.person.chat_id):
            for match in START_LINK.finditer(message.text or ""):
                found.append(((message.date, message.message_id), match.group(0)))
    return max(found, key=lambda item: item[0])[1] if found else None


def _switch(chats: dict[str, TerminalChat], command: str, out: TextIO) -> TerminalChat | None:
    role = command.removeprefix(":as").strip()
    if role not in chats:
        print(f"(use :as {' or :as '.join(PEOPLE)})", file=out)
        return None
    chat = chats[role]
    if role == "runner":
        print("(you are the runner again)", file=out)
    else:
        print(f"(you are now {chat.person.first_name}, a {role}; :as runner to be the runner again)", file=out)
    chat.list_buttons()
    return chat


async def play(
    settings: Settings, start: datetime, read_line: Callable[[], str], out: TextIO, prompt: bool = False
) -> int:
    """The demo's loop: read a line (a tap, a text or a demo command), let the bot handle it, print its answers."""
    from emulator.server import BotAPIEmulator

    clock = FakeClock(start)
    bot_username = "runback_demo_bot"
    async with BotAPIEmulator(bot_username=bot_username) as emulator:
        demo_settings = replace(settings, telegram_api_url=emulator.base_url, token=emulator.token, log_level="WARNING")
        runback = app.build(demo_settings, clock, scheduler=False)
        await app.start(runback, poll_timeout=1)
        media = MediaFolder(settings.data_dir)
        chats = {role: TerminalChat(emulator, out, person, media) for role, person in PEOPLE.items()}
        chat = chats["runner"]
        sent = 0
        print(
            f"RunBack demo. Simulated time: {start:%Y-%m-%d %H:%M} UTC. Type :help for demo commands.",
            file=out,
        )
        print("Start with /start.", file=out)
        try:
            while True:
                if prompt:
                    print(f"{chat.person.first_name} ({chat.person.role})> ", end="", file=out, flush=True)
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
                if command == ":as" or command.startswith(":as "):
                    chat = _switch(chats, command, out) or chat
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
                elif command.startswith(":") and command != ":open":
                    print("(unknown demo command; :help lists them)", file=out)
                    continue
                else:
                    if command == ":open":
                        link = _last_link(emulator, chats)
                        if link is None:
                            print("(no link yet: as the runner, send /share and choose who to invite)", file=out)
                            continue
                        print(f"(you open {link})", file=out)
                        command = link
                    text = opened_link(command, bot_username) or command
                    opened = " (the link opens the chat with this)" if text != command else ""
                    print(f"{chat.person.you}: {text}{opened}", file=out)
                    chat.send(text)
                    sent += 1
                await runback.wait_until_handled(sent)
                chat.show_new(current=True)
                for other in chats.values():
                    if other is not chat:
                        other.show_new(current=False)
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
    print(f"(the demo's database, pictures and files are kept in {directory})")
    prompt = sys.stdin.isatty()  # a prompt that names who you are; none when the input is piped
    return asyncio.run(play(demo_settings, parse_start(start), sys.stdin.readline, sys.stdout, prompt))
