"""The check-in answer tap in one trip to SQLite (bot/storage/taps.py) against the ORM path it shortcuts.

The same runner's journey runs on two bots, one with the one-trip path (as `app.build` wires it for SQLite) and
one without; every message, every callback answer and every stored row must be the same, and the one-trip
path must actually have taken the plain taps. Then each case it must leave to the ORM path is checked."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bot import texts
from bot.storage.taps import CheckinTaps, TapRunner, TapSaved
from emulator.models import EmulatorEvent
from tests.e2e.conftest import RUNNER, Harness, UnpacedHarness, running_harness
from tests.pg import PostgresServer

DAY1 = date(2026, 10, 1)
CODE = DAY1.strftime("%Y%m%d")
OTHER = RUNNER + 1


class Spy:
    """Wraps the bot's CheckinTaps: what each one-trip attempt returned."""

    def __init__(self, taps: CheckinTaps) -> None:
        self.results: list[TapSaved | None] = []
        self._save = taps.save_answer

        async def save_answer(*args: Any, **kwargs: Any) -> TapSaved | None:
            result = await self._save(*args, **kwargs)
            self.results.append(result)
            return result

        taps.save_answer = save_answer  # type: ignore[method-assign]


async def _journey(h: Harness) -> None:
    await h.onboard()
    await h.onboard(OTHER, zone="America/New_York")
    await h.tap("n:checkin")
    await h.tap(f"c:{CODE}:pain_rest:2")
    await h.tap(f"c:{CODE}:pain_walking:1")
    await h.tap(f"cb:{CODE}:pain_walking")  # ‹ Back, and a changed answer
    await h.tap(f"c:{CODE}:pain_walking:0")
    prompt = h.emulator.last_message(RUNNER)
    assert prompt is not None
    assert await h.forge(f"c:{CODE}:pain_next_day:11", message_id=prompt.message_id) == texts.FORGED_BUTTON
    assert await h.forge(f"c:{CODE}:nonsense:1", message_id=prompt.message_id) == texts.FORGED_BUTTON
    assert await h.forge("c:20260930:pain_next_day:0", message_id=prompt.message_id) == texts.STALE_BUTTON
    await h.tap(f"c:{CODE}:pain_next_day:0")
    await h.forge(f"c:{CODE}:pain_rest:1", message_id=prompt.message_id)  # an earlier question's (a stale client)
    # another runner's forged tap on this runner's check-in: their own chat, their own (empty) day
    await h.forge(f"c:{CODE}:fatigue:3", chat_id=OTHER)
    await h.checkin(DAY1, sleep_hours=6)  # the rest, the last answer included (the plan)
    await h.forge(f"c:{CODE}:fatigue:9", message_id=prompt.message_id)  # after the plan: closed
    h.clock.advance(timedelta(days=1))
    await h.morning_round()
    await h.checkin(DAY1 + timedelta(days=1), tenderness=1)


def _rows(database: Path) -> dict[str, list[tuple[Any, ...]]]:
    connection = sqlite3.connect(database)
    try:
        tables = [t for (t,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        tables.remove("send_budget")  # the rate limiter's, on the wall clock: not the runner's
        return {t: sorted(connection.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in sorted(tables)}
    finally:
        connection.close()


class Recorded(UnpacedHarness):
    """Keeps what a person would see of every update's handling (each message and edit as it was then, each
    callback answer) and the whole database after it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.seen: list[Any] = []
        self.emulator.add_listener(self._on_event)

    def _on_event(self, event: EmulatorEvent) -> None:
        message, answer = event.message, event.callback_answer
        shown = (message.message_id, message.text, message.buttons) if message is not None else None
        self.seen.append((event.kind, event.chat_id, shown, answer.text if answer else None))

    async def _handled_all(self) -> None:
        await super()._handled_all()
        self.seen.append(_rows(Path(self.database_url.removeprefix("sqlite+aiosqlite:///"))))


async def test_the_one_trip_tap_answers_and_stores_exactly_as_the_orm_path(tmp_path: Path) -> None:
    seen: dict[str, list[Any]] = {}
    for path in ("one_trip", "orm"):
        async with running_harness(f"sqlite+aiosqlite:///{tmp_path / path}.db", Recorded) as h:
            assert isinstance(h, Recorded)
            router = h.coach_app.router
            assert router.taps is not None  # app.build wires it for SQLite
            spy = Spy(router.taps)
            if path == "orm":
                router.taps = None
            await _journey(h)
            seen[path] = h.seen
        if path == "one_trip":
            taken = [r for r in spy.results if r is not None and r.answers is not None]
            # both check-ins' plain answers (8 + 8, the changed and repeated ones too) took the one trip
            assert len(taken) >= 18, spy.results
            assert all(len(r.answers or {}) < 9 for r in taken)
        else:
            assert spy.results == []
    assert len(seen["one_trip"]) == len(seen["orm"])
    for step, (one_trip, orm) in enumerate(zip(seen["one_trip"], seen["orm"], strict=True)):
        assert one_trip == orm, f"step {step}"


async def _at_a_checkin(h: Harness) -> CheckinTaps:
    await h.onboard()
    await h.tap("n:checkin")
    taps = h.coach_app.router.taps
    assert taps is not None
    return taps


def _admit_today(runner: TapRunner) -> date | None:
    return DAY1


async def test_cases_left_to_the_orm_path_write_nothing(tmp_path: Path) -> None:
    database = tmp_path / "runback.db"
    async with running_harness(f"sqlite+aiosqlite:///{database}", UnpacedHarness) as h:
        taps = await _at_a_checkin(h)
        now = h.clock.now()
        before = _rows(database)
        # a stranger, a runner the caller does not admit, the last answer of a check-in
        assert await taps.save_answer(999, 10_001, "pain_rest", 0, now, _admit_today) is None
        assert await taps.save_answer(RUNNER, 10_002, "pain_rest", 0, now, lambda runner: None) is None
        assert _rows(database) == before
        for number, field in enumerate(("pain_rest", "pain_walking", "pain_next_day", "tenderness", "swelling")):
            saved = await taps.save_answer(RUNNER, 10_010 + number, field, 0, now, _admit_today)
            assert saved is not None and saved.answers is not None and len(saved.answers) == number + 1
        for number, field in enumerate(("limping", "night_pain", "sleep_hours")):
            assert await taps.save_answer(RUNNER, 10_020 + number, field, 0, now, _admit_today) is not None
        before = _rows(database)
        assert await taps.save_answer(RUNNER, 10_030, "fatigue", 1, now, _admit_today) is None
        assert _rows(database) == before  # rolled back: the plan is decided on the ORM path


async def test_what_the_runner_row_says_is_read_with_the_columns_types(tmp_path: Path) -> None:
    database = tmp_path / "runback.db"
    async with running_harness(f"sqlite+aiosqlite:///{database}", UnpacedHarness) as h:
        taps = await _at_a_checkin(h)
        runners: list[TapRunner] = []

        def admit(runner: TapRunner) -> date | None:
            runners.append(runner)
            return DAY1

        saved = await taps.save_answer(RUNNER, 10_001, "tenderness", True, h.clock.now(), admit)
        assert saved is not None and saved.answers == {"tenderness": True}
        assert saved.answers["tenderness"] is True  # a Boolean, as the ORM reads it, not SQLite's 1
        (runner,) = runners
        assert (runner.active, runner.onboarded, runner.time_zone) == (True, True, "Europe/Berlin")
        assert (runner.flow, runner.flow_step, runner.flow_data) == ("checkin", None, {"date": CODE})
        assert runner.last_prompted_for is None or isinstance(runner.last_prompted_for, date)


async def test_a_duplicated_tap_and_a_closed_checkin(tmp_path: Path) -> None:
    database = tmp_path / "runback.db"
    async with running_harness(f"sqlite+aiosqlite:///{database}", UnpacedHarness) as h:
        taps = await _at_a_checkin(h)
        now = h.clock.now()
        first = await taps.save_answer(RUNNER, 10_001, "pain_rest", 3, now, _admit_today)
        assert first is not None and first.answers == {"pain_rest": 3}
        again = await taps.save_answer(RUNNER, 10_001, "pain_rest", 5, now, _admit_today)
        assert again is not None and again.duplicate and again.answers is None
        assert _rows(database)["checkins"][0][3] == 3  # pain_rest: the second copy wrote nothing
        await h.checkin(DAY1)
        closed = await taps.save_answer(RUNNER, 10_002, "pain_rest", 7, now, _admit_today)
        assert closed is not None and closed.answers is None and not closed.duplicate
        rows = _rows(database)
        assert rows["checkins"][0][3] == 0  # pain_rest as the check-in finished: closed to changes
        assert 10_002 in [row[0] for row in rows["processed_updates"]]  # handled: a replay changes nothing


class Seen(UnpacedHarness):
    """What a person would see of every update's handling (each message and edit as it was then, each answer)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.seen: list[Any] = []
        self.emulator.add_listener(self._on_event)

    def _on_event(self, event: EmulatorEvent) -> None:
        message, answer = event.message, event.callback_answer
        shown = (message.message_id, message.text, message.buttons) if message is not None else None
        self.seen.append((event.kind, event.chat_id, shown, answer.text if answer else None))


async def test_on_postgresql_the_plain_tap_takes_the_same_path_and_answers_as_the_orm(postgres: PostgresServer) -> None:
    """The tap's flow and statements are the same on PostgreSQL (through Core): it takes the plain taps, and a
    person sees exactly what the ORM path shows them."""
    seen: dict[str, list[Any]] = {}
    for path in ("tap", "orm"):
        database = postgres.create_database()
        try:
            async with running_harness(database, Seen) as h:
                assert isinstance(h, Seen)
                router = h.coach_app.router
                assert router.taps is not None  # app.build wires it for every database
                spy = Spy(router.taps)
                if path == "orm":
                    router.taps = None
                await _journey(h)
                seen[path] = h.seen
        finally:
            postgres.drop_database(database)
        if path == "tap":
            assert len([r for r in spy.results if r is not None and r.answers is not None]) >= 18, spy.results
    assert seen["tap"] == seen["orm"]
