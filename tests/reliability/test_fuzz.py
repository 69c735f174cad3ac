"""Fuzz: random updates thrown at one running bot (hypothesis, derandomized so CI is repeatable).

Checks after every update: no error logged (the PTB error handler logs at ERROR), a reply to every private
message and an answer to every button tap; at the end: the database is intact and every stored value is in
range, no users row for group or channel senders, and no generated text longer than 8 characters in any
log record."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Awaitable, Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from bot import texts
from bot.clock import FakeClock
from bot.config import configure_logging
from bot.storage.migrate import upgrade
from bot.timezones import parse_time_zone
from emulator.server import BotAPIEmulator
from engine.protocol import SITES
from tests.e2e.conftest import START, UnpacedHarness
from tests.reliability.conftest import Records, sql

EXAMPLES = 800
RUNNERS = (3001, 3002, 3003)
GROUP, CHANNEL = -100300, -100301
GROUP_MEMBERS = (9001, 9002)
T = TypeVar("T")

COMMANDS = [name for name, _ in texts.COMMANDS] + ["start", "START", "help@runback_test_bot", "nope", "", "x" * 40]
KINDS = ["c", "l", "o", "p", "s", "z", "ld", "d", "n"]
PARTS = [
    "20261001",
    "20261002",
    "20260930",
    "99999999",
    "pain_rest",
    "fatigue",
    "sleep_hours",
    "done",
    "rpe",
    "run_minutes",
    "consent",
    "timezone",
    "site",
    "rest",
    "yes",
    "no",
    "checkin",
    "1",
    "0",
    "10",
    "11",
    "-1",
    "²",
    "na",
]


def _cap64(data: str) -> str:
    while len(data.encode()) > 64:
        data = data[:-1]
    return data


texts_st = st.one_of(
    st.text(min_size=1, max_size=300),
    st.text(st.sampled_from("🏃🦵🏽👍🏻🇩🇪❤️\u200d🔥\u202e\u200b\n\t aé漢字"), min_size=1, max_size=40),
    st.builds(lambda piece, n: (piece * 4096)[:n], st.text(min_size=1, max_size=6), st.integers(3900, 4096)),
    st.sampled_from(["what's today?", "my shin hurts", "2026-08-20", "150", "07:15", "Europe/Berlin", "UTC+5:30"]),
)
commands_st = st.builds(lambda name, junk: f"/{name} {junk}".rstrip(), st.sampled_from(COMMANDS), st.text(max_size=60))
callback_st = st.one_of(
    st.text(min_size=1, max_size=64).map(_cap64).filter(bool),
    st.builds(
        lambda kind, parts: _cap64(":".join([kind, *parts])),
        st.sampled_from(KINDS),
        st.lists(st.one_of(st.sampled_from(PARTS), st.text(max_size=6)), max_size=4),
    ),
)
runner_st = st.sampled_from(RUNNERS)
spec_st = st.one_of(
    st.tuples(st.just("tap"), runner_st, st.integers(0, 40)),
    st.tuples(st.just("tap"), runner_st, st.integers(0, 40)),
    st.tuples(st.just("tap"), runner_st, st.integers(0, 40)),
    st.tuples(st.just("text"), runner_st, texts_st),
    st.tuples(st.just("command"), runner_st, commands_st),
    st.tuples(st.just("callback"), runner_st, callback_st),
    st.tuples(st.just("sticker"), runner_st, st.none()),
    st.tuples(st.just("photo"), runner_st, st.one_of(st.none(), texts_st.map(lambda t: t[:1024]))),
    st.tuples(st.just("edit"), runner_st, texts_st),
    st.tuples(st.just("group"), st.sampled_from(GROUP_MEMBERS), st.one_of(texts_st, commands_st)),
    st.tuples(st.just("channel"), st.just(0), st.one_of(texts_st, commands_st)),
    st.tuples(st.just("morning"), st.just(0), st.integers(1, 8)),
)


class BotInThread:
    """The emulator and the bot on an event loop of their own, so that hypothesis can drive it example by
    example from a plain (synchronous) test."""

    def __init__(self, tmp_path: Path) -> None:
        self.url = f"sqlite+aiosqlite:///{tmp_path / 'fuzz.db'}"
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.harness: UnpacedHarness | None = None

    def run(self, make: Callable[[], Awaitable[T]], timeout: float = 30) -> T:
        async def call() -> T:
            return await make()

        return asyncio.run_coroutine_threadsafe(call(), self.loop).result(timeout)

    def __enter__(self) -> BotInThread:
        self.thread.start()
        upgrade(self.url)

        async def start() -> UnpacedHarness:
            emulator = BotAPIEmulator()
            await emulator.start()
            harness = UnpacedHarness(emulator, self.url, FakeClock(START))
            await harness.start()
            return harness

        self.harness = self.run(start)
        return self

    def __exit__(self, *exc: object) -> None:
        async def stop() -> None:
            assert self.harness is not None
            await self.harness.stop()
            await self.harness.emulator.stop()

        try:
            self.run(stop)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(10)
            self.loop.close()


async def _drive(h: UnpacedHarness, spec: tuple[str, int, Any], generated: list[str]) -> None:
    kind, chat, payload = spec
    emulator = h.emulator
    before = max((m.message_id for m in emulator.messages(chat, include_user=True)), default=0) if chat else 0
    answers = len(emulator.callback_answers)
    expect: str | None = "reply"
    if kind == "morning":
        h.clock.advance(timedelta(hours=payload))
        await h.morning_round()
        return
    if kind == "tap":
        with_buttons = [m for m in emulator.messages(chat) if m.buttons]
        if not with_buttons:
            kind, payload = "command", "/start"
        else:
            message = with_buttons[-1]
            data = [d for _, d in message.buttons if d][payload % len(message.buttons)]
            emulator.user_presses(chat, message.message_id, data)
            expect = "answer"
    if kind in ("text", "command"):
        emulator.user_sends(chat, payload)
    elif kind == "callback":
        target = emulator.last_message(chat)
        emulator.user_presses(chat, target.message_id if target else 1, payload, force=True)
        expect = "answer"
    elif kind == "sticker":
        emulator.user_sends_sticker(chat)
    elif kind == "photo":
        emulator.user_sends_photo(chat, caption=payload)
    elif kind == "edit":
        mine = [m for m in emulator.messages(chat, include_user=True) if not m.from_bot and m.text is not None]
        if mine:
            emulator.user_edits_message(chat, mine[-1].message_id, payload)
        else:
            emulator.user_sends(chat, payload)
    elif kind == "group":
        emulator.user_sends(GROUP, payload, chat_type="group", user_id=chat)
        expect = None
    elif kind == "channel":
        emulator.channel_post(CHANNEL, payload)
        expect = None
    if isinstance(payload, str):
        generated.append(payload)
    h._expected += 1
    await h.coach_app.wait_until_handled(h._expected, timeout=20)
    if expect == "reply":
        assert any(m.message_id > before for m in emulator.messages(chat)), f"no reply to {spec!r}"
    elif expect == "answer":
        assert len(emulator.callback_answers) == answers + 1, f"tap not answered: {spec!r}"


async def _check_database(h: UnpacedHarness) -> None:
    assert await sql(h, "PRAGMA integrity_check") == [("ok",)]
    assert await sql(h, "PRAGMA foreign_key_check") == []
    scale = "BETWEEN 0 AND 10"
    bad = {
        "checkins": f"""SELECT * FROM checkins WHERE NOT (
            coalesce(pain_rest, 0) {scale} AND coalesce(pain_walking, 0) {scale}
            AND coalesce(pain_next_day, 0) {scale} AND coalesce(fatigue, 0) {scale}
            AND coalesce(tenderness, 0) IN (0, 1) AND coalesce(swelling, 0) IN (0, 1)
            AND coalesce(limping, 0) IN (0, 1) AND coalesce(night_pain, 0) IN (0, 1)
            AND coalesce(sleep_hours, 4) IN (4, 5, 6, 7, 8, 9))""",
        "session_logs": f"""SELECT * FROM session_logs WHERE NOT (
            done IN ({", ".join(repr(k) for k in texts.SESSION_DONE_LABELS)})
            AND coalesce(run_minutes, 0) BETWEEN 0 AND 1440 AND coalesce(pain_during, 0) {scale}
            AND coalesce(pain_after, 0) {scale} AND coalesce(rpe, 0) {scale})""",
        "pain_reports": f"""SELECT * FROM pain_reports WHERE NOT (value {scale}
            AND kind IN ({", ".join(repr(k) for k in texts.PAIN_KINDS)}))""",
        "profiles": """SELECT * FROM profiles WHERE NOT (pre_injury_weekly_minutes BETWEEN 1 AND 10080
            AND pre_injury_runs_per_week BETWEEN 1 AND 7)""",
        "users": "SELECT * FROM users WHERE NOT (checkin_minute BETWEEN 0 AND 1439)",
    }
    for table, query in bad.items():
        assert await sql(h, query) == [], table
    for (site,) in await sql(h, "SELECT injury_site FROM profiles"):
        assert site in SITES
    for (zone,) in await sql(h, "SELECT time_zone FROM users"):
        assert parse_time_zone(zone) is not None
    telegram_ids = {row[0] for row in await sql(h, "SELECT telegram_id FROM users")}
    assert telegram_ids <= set(RUNNERS)  # nobody from the group or the channel


@pytest.fixture
def all_logs() -> Iterator[Records]:
    configure_logging("DEBUG", secrets=[])  # production logging, at its most talkative
    handler = Records()
    logging.getLogger().addHandler(handler)
    yield handler
    logging.getLogger().removeHandler(handler)
    configure_logging("WARNING")


def test_random_updates_break_nothing(tmp_path: Path, all_logs: Records, capsys: pytest.CaptureFixture[str]) -> None:
    generated: list[str] = []
    ran: list[tuple[str, int, Any]] = []
    with BotInThread(tmp_path) as bot:
        h = bot.harness
        assert h is not None

        @settings(
            max_examples=EXAMPLES,
            derandomize=True,
            database=None,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],  # no shrinking: the bot keeps its state between examples
            suppress_health_check=list(HealthCheck),
        )
        @given(spec=spec_st)
        def one_update(spec: tuple[str, int, Any]) -> None:
            ran.append(spec)
            bot.run(lambda: _drive(h, spec, generated))
            assert all_logs.errors() == [], all_logs.errors()[:3]

        one_update()
        bot.run(lambda: _check_database(h))
        assert h.emulator.validation_errors == []
    # the bot's own log lines; the emulator (the fake Telegram) logs the methods it serves, and Hypothesis draws
    # strings from constants in the code too (it once sent "deleteWebhook", which the emulator logs by name)
    lines = "\n".join(line for line in all_logs.lines() if "runback.emulator" not in line)
    leaks = [t for t in generated if len(t.strip()) > 8 and t in lines]
    assert leaks == []
    kinds = {k: sum(1 for s in ran if s[0] == k) for k in sorted({s[0] for s in ran})}
    with capsys.disabled():
        print(f"\nfuzz: {len(ran)} random updates/steps thrown at one running bot: {kinds}")
    assert len(ran) >= EXAMPLES * 0.9
