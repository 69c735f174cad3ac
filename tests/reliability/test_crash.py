"""Crash safety: the bot, a separate process, is killed with SIGKILL at random moments while a runner's
answers flow, and restarted. No tap is lost (polling confirms an update to Telegram only once it is handled,
so one taken and not handled when the bot was killed comes again), every answer the bot acknowledged (it
answered the tap) is in the database, no update is handled twice, and the database stays intact."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from bot.storage.migrate import upgrade
from emulator.server import BotAPIEmulator

RUNNER = 1001
CYCLES = 5
FIELDS = ("pain_rest", "pain_walking", "pain_next_day", "tenderness", "swelling", "limping", "night_pain")
BOT = """
import asyncio, inspect
from bot import app
from bot.clock import SystemClock
from bot.config import load_settings

async def main():
    names = inspect.signature(app.build).parameters
    unpaced = {n: None for n in ("overall_per_s", "per_chat_per_s") if n in names}
    runback = app.build(load_settings(), SystemClock(), scheduler=False, **unpaced)
    await app.start(runback, poll_timeout=1, retry_every_s=0.2)
    await asyncio.Event().wait()

asyncio.run(main())
"""


def _noon_zone() -> str:
    """A fixed-offset zone where it is around noon now, so "today" cannot change during the test."""
    offset = (12 - datetime.now(UTC).hour + 12) % 24 - 12
    return "UTC" if offset == 0 else f"UTC{offset:+d}"


class Bot:
    def __init__(self, emulator: BotAPIEmulator, database: Path) -> None:
        self.env = {
            **os.environ,
            "RUNBACK_TELEGRAM_API_URL": emulator.base_url,
            "TELEGRAM_BOT_TOKEN": emulator.token,
            "RUNBACK_DATABASE_URL": f"sqlite+aiosqlite:///{database}",
            "RUNBACK_LOG_LEVEL": "WARNING",
        }
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        root = Path(__file__).resolve().parents[2]
        self.process = subprocess.Popen([sys.executable, "-c", BOT], env=self.env, cwd=root)

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)


async def _say(emulator: BotAPIEmulator, text: str) -> None:
    before = len(emulator.messages(RUNNER))
    emulator.user_sends(RUNNER, text)
    await emulator.wait_for(lambda: len(emulator.messages(RUNNER)) > before, 20)


async def _tap(emulator: BotAPIEmulator, data: str) -> None:
    answers = len(emulator.callback_answers)
    message = next(m for m in reversed(emulator.messages(RUNNER)) if data in [d for _, d in m.buttons])
    emulator.user_presses(RUNNER, message.message_id, data)
    await emulator.wait_for(lambda: len(emulator.callback_answers) > answers, 20)
    await emulator.wait_until_idle(20, settle=0.05)


async def _onboard(emulator: BotAPIEmulator) -> None:
    await _say(emulator, "/start")
    await _tap(emulator, "o:consent:1")
    await _say(emulator, _noon_zone())
    await _tap(emulator, "o:site:tibia_posteromedial")
    await _say(emulator, "2026-01-20")
    await _tap(emulator, "o:cleared:0")
    await _tap(emulator, "o:weekly_minutes:150")
    await _tap(emulator, "o:runs_per_week:4")
    for step in ("ready_walk", "ready_daily", "ready_press", "ready_hops"):
        await _tap(emulator, f"o:{step}:0")
    for step in ("reds_periods", "reds_weight", "reds_eating", "reds_previous"):
        await _tap(emulator, f"o:{step}:0")
    await _tap(emulator, "o:checkin_time:07:00")
    await _tap(emulator, "n:checkin")


async def test_sigkill_while_answers_flow_loses_no_acknowledged_answer(tmp_path: Path) -> None:
    database = tmp_path / "runback.db"
    await asyncio.to_thread(upgrade, f"sqlite+aiosqlite:///{database}")
    rng = random.Random(20261001)
    taps: list[tuple[str, str, int]] = []  # (query id, field, value) in the order tapped
    async with BotAPIEmulator() as emulator:
        bot = Bot(emulator, database)
        bot.start()
        try:
            await _onboard(emulator)
            prompt = emulator.last_message(RUNNER)
            assert prompt is not None and prompt.buttons
            code = prompt.buttons[0][1].split(":")[1]  # c:YYYYMMDD:field:value
            for _cycle in range(CYCLES):
                deadline = asyncio.get_running_loop().time() + rng.uniform(0.3, 1.2)
                while asyncio.get_running_loop().time() < deadline:
                    field = rng.choice(FIELDS)
                    value = rng.randint(0, 10) if field.startswith("pain") else rng.randint(0, 1)
                    update = emulator.user_presses(RUNNER, prompt.message_id, f"c:{code}:{field}:{value}", force=True)
                    taps.append((update["callback_query"]["id"], field, value))
                    await asyncio.sleep(rng.uniform(0.0, 0.03))
                bot.kill()  # SIGKILL: no cleanup, no last confirmation of the updates handled
                bot.start()
            await emulator.wait_for(lambda: not emulator.pending_updates, 30)
            await emulator.wait_until_idle(30, settle=0.3)
        finally:
            bot.kill()
        acknowledged = {a.callback_query_id for a in emulator.callback_answers}
        answer_statuses = [r.status for r in emulator.calls("answerCallbackQuery")]

    connection = sqlite3.connect(database)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        row = connection.execute(f"SELECT {', '.join(FIELDS)} FROM checkins").fetchone()
        stored = dict(zip(FIELDS, row, strict=True))
        handled = connection.execute("SELECT count(*) FROM processed_updates").fetchone()[0]
    finally:
        connection.close()

    acked = [t for t in taps if t[0] in acknowledged]
    # the test did exercise something
    assert len(acked) >= 20, (len(acked), len(taps))
    for field in FIELDS:
        on_field = [(qid, value) for qid, f, value in taps if f == field]
        last_acked = max((i for i, (qid, _) in enumerate(on_field) if qid in acknowledged), default=None)
        if last_acked is None:
            continue
        # the last acknowledged answer, or one the runner gave after it (handled, but killed before the answer)
        assert int(stored[field]) in {value for _, value in on_field[last_acked:]}, field
    # each tap answered once (a replayed update after a restart is claimed already and changes nothing)
    assert answer_statuses.count(200) == len(acknowledged)
    assert handled >= len(acked)
    print(f"\ncrash: {CYCLES} SIGKILLs, {len(taps)} answers tapped, {len(acked)} acknowledged, all kept")


async def test_sigkill_while_taps_flow_loses_no_tap(tmp_path: Path) -> None:
    """Polling confirms an update only once it is handled: every tap the runner made, whenever the bot was
    killed, is in the database (its update id claimed with its answer), and answered; one that was handled
    but not yet confirmed when the bot was killed comes again and is refused as handled already."""
    database = tmp_path / "runback.db"
    await asyncio.to_thread(upgrade, f"sqlite+aiosqlite:///{database}")
    rng = random.Random(20261130)
    taps: list[tuple[int, str, str, int]] = []  # (update id, query id, field, value) in the order tapped
    async with BotAPIEmulator() as emulator:
        bot = Bot(emulator, database)
        bot.start()
        try:
            await _onboard(emulator)
            prompt = emulator.last_message(RUNNER)
            assert prompt is not None and prompt.buttons
            code = prompt.buttons[0][1].split(":")[1]  # c:YYYYMMDD:field:value
            for _cycle in range(CYCLES):
                deadline = asyncio.get_running_loop().time() + rng.uniform(0.3, 1.2)
                while asyncio.get_running_loop().time() < deadline:
                    for _ in range(rng.randint(1, 8)):  # a burst: the bot takes several taps at once
                        field = rng.choice(FIELDS)
                        value = rng.randint(0, 10) if field.startswith("pain") else rng.randint(0, 1)
                        data = f"c:{code}:{field}:{value}"
                        update = emulator.user_presses(RUNNER, prompt.message_id, data, force=True)
                        taps.append((update["update_id"], update["callback_query"]["id"], field, value))
                    await asyncio.sleep(rng.uniform(0.0, 0.05))
                bot.kill()  # a few milliseconds after a burst: taps in hand, some taken and not handled yet
                bot.start()
            await emulator.wait_for(lambda: not emulator.pending_updates, 30)
            await emulator.wait_until_idle(30, settle=0.3)
        finally:
            bot.kill()
        answered = [r.params["callback_query_id"] for r in emulator.calls("answerCallbackQuery") if r.ok]

    connection = sqlite3.connect(database)
    try:
        row = connection.execute(f"SELECT {', '.join(FIELDS)} FROM checkins").fetchone()
        stored = dict(zip(FIELDS, row, strict=True))
        claimed = {update_id for (update_id,) in connection.execute("SELECT update_id FROM processed_updates")}
    finally:
        connection.close()

    lost = [update_id for update_id, *_ in taps if update_id not in claimed]
    assert lost == [], f"{len(lost)} of {len(taps)} taps lost"
    tapped = sorted(query for _, query, _, _ in taps)
    assert sorted(query for query in answered if query in set(tapped)) == tapped  # each answered, once
    last_value = {field: value for _, _, field, value in taps}
    assert {field: int(stored[field]) for field in last_value} == last_value  # one runner's taps kept their order
    print(f"\ncrash: {CYCLES} SIGKILLs while {len(taps)} taps flowed, none lost")
