"""A check-in answer tap in one trip to SQLite: the bot's most frequent update, without the ORM.

A tap on a check-in answer reads the runner, records the update id, writes the answer and commits. Through the
ORM that is four statements, each a round trip from the event loop to aiosqlite's thread and SQLAlchemy's
per-statement machinery: measured, a third of the bot's CPU under a stream of taps (README, "What the
benchmarks led to"). Here the whole transaction is one function run in the database thread, on the pooled
connection (so it takes its turn with every other transaction, as any unit of work does).

It handles only the plain case, decided by the caller's `admit`; everything else (an unknown runner, a blocked
or moved chat, a stale day, another flow to update, the last answer of the check-in) is rolled back and left to
the ORM path, which reads everything again and decides as for any update. SQLite only: PostgreSQL takes the ORM
path. Values are converted by the columns' own SQLAlchemy types, so rows are stored exactly as the ORM path
stores them (tests/e2e/test_checkin_taps.py compares both, update by update).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage import onehop
from bot.storage.models import CheckIn, ProcessedUpdate, User
from bot.storage.repository import CHECKIN_FIELDS


@dataclass(frozen=True, slots=True)
class TapRunner:
    """What deciding a check-in tap needs to know about the runner."""

    id: int
    chat_id: int
    active: bool
    time_zone: str
    flow: str | None
    flow_step: str | None
    flow_data: dict[str, Any] | None
    last_prompted_for: date | None
    onboarded: bool


@dataclass(frozen=True, slots=True)
class TapSaved:
    runner: TapRunner
    day: date
    answers: dict[str, Any] | None  # the day's answers with this one; None: the check-in is complete (closed)
    duplicate: bool = False  # the update was handled before: nothing written


Admit = Callable[[TapRunner], date | None]  # the day the answer is for, or None: not the plain case


_SELECT_RUNNER = (
    "SELECT id, chat_id, active, time_zone, flow, flow_step, flow_data, last_prompted_for, "
    "onboarded_at IS NOT NULL FROM users WHERE telegram_id = ?"
)
_CLAIM_UPDATE = (
    "INSERT INTO processed_updates (update_id, user_id, processed_at) VALUES (?, ?, ?) "
    "ON CONFLICT (update_id) DO NOTHING"
)
# the same upsert as repository.save_checkin_answer: a complete check-in is closed to changes
_SAVE_ANSWER = {
    field: (
        f"INSERT INTO checkins (user_id, local_date, updated_at, {field}) VALUES (?, ?, ?, ?) "
        f"ON CONFLICT (user_id, local_date) DO UPDATE SET {field} = excluded.{field}, updated_at = excluded.updated_at "
        f"WHERE checkins.completed_at IS NULL RETURNING {', '.join(CHECKIN_FIELDS)}"
    )
    for field in CHECKIN_FIELDS
}


def _identity(value: Any) -> Any:
    return value


class CheckinTaps:
    def __init__(self, engine: AsyncEngine) -> None:
        if engine.dialect.name != "sqlite":
            raise ValueError("check-in taps in one trip are for SQLite")
        self._engine = engine
        dialect = engine.dialect

        def bind(column: Any) -> Callable[[Any], Any]:
            return column.type.dialect_impl(dialect).bind_processor(dialect) or _identity

        def result(column: Any) -> Callable[[Any], Any]:
            return column.type.dialect_impl(dialect).result_processor(dialect, None) or _identity

        users = User.__table__.c
        self._to_bool = result(users.active)
        self._to_flow_data = result(users.flow_data)
        self._to_date = result(users.last_prompted_for)
        checkins = CheckIn.__table__.c
        self._bind_day = bind(checkins.local_date)
        self._bind_updated_at = bind(checkins.updated_at)
        self._bind_processed_at = bind(ProcessedUpdate.__table__.c.processed_at)
        self._bind_answer = {field: bind(checkins[field]) for field in CHECKIN_FIELDS}
        self._to_answer = tuple(result(checkins[field]) for field in CHECKIN_FIELDS)

    async def save_answer(
        self, telegram_id: int, update_id: int, field: str, value: Any, now: datetime, admit: Admit
    ) -> TapSaved | None:
        """Record the update and save the answer in one transaction; None: nothing written, take the ORM path."""
        if field not in CHECKIN_FIELDS:
            raise ValueError(f"unknown check-in field {field!r}")

        def transaction(connection: sqlite3.Connection) -> TapSaved | None:
            return self._transaction(connection, telegram_id, update_id, field, value, now, admit)

        async with self._engine.connect() as pooled:  # waits for the pooled connection, like any session
            raw = await pooled.get_raw_connection()
            driver = raw.driver_connection
            if not isinstance(driver, onehop.OneHopConnection):
                raise TypeError("check-in taps need the engine of bot.storage.db.create_engine")
            return await driver.run_in_thread(transaction)

    def _runner(self, row: tuple[Any, ...]) -> TapRunner:
        return TapRunner(
            id=row[0],
            chat_id=row[1],
            active=self._to_bool(row[2]),
            time_zone=row[3],
            flow=row[4],
            flow_step=row[5],
            flow_data=self._to_flow_data(row[6]),
            last_prompted_for=self._to_date(row[7]),
            onboarded=bool(row[8]),
        )

    def _transaction(
        self,
        connection: sqlite3.Connection,
        telegram_id: int,
        update_id: int,
        field: str,
        value: Any,
        now: datetime,
        admit: Admit,
    ) -> TapSaved | None:
        """Runs in the database thread."""
        cursor = connection.cursor()
        try:
            # IMMEDIATE: the write lock from the start, so a read-then-write never fails on another process's write
            cursor.execute("BEGIN IMMEDIATE")
            found = cursor.execute(_SELECT_RUNNER, (telegram_id,)).fetchall()
            runner = self._runner(found[0]) if found else None
            day = admit(runner) if runner is not None else None
            if runner is None or day is None:
                connection.rollback()
                return None
            cursor.execute(_CLAIM_UPDATE, (update_id, runner.id, self._bind_processed_at(now)))
            if cursor.rowcount == 0:
                connection.rollback()
                return TapSaved(runner, day, None, duplicate=True)
            saved = cursor.execute(
                _SAVE_ANSWER[field],
                (runner.id, self._bind_day(day), self._bind_updated_at(now), self._bind_answer[field](value)),
            ).fetchall()
            if not saved:
                connection.commit()  # the update id is kept: a replay of this tap is answered as handled
                return TapSaved(runner, day, None)
            answers = {
                name: convert(raw)
                for name, convert, raw in zip(CHECKIN_FIELDS, self._to_answer, saved[0], strict=True)
                if raw is not None
            }
            if len(answers) == len(CHECKIN_FIELDS):
                connection.rollback()  # the last answer: the plan is decided on the ORM path
                return None
            connection.commit()
            return TapSaved(runner, day, answers)
        except BaseException:
            if connection.in_transaction:
                connection.rollback()
            raise
        finally:
            cursor.close()
