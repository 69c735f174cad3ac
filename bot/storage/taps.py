"""A check-in answer tap in one short transaction without the ORM: the bot's most frequent update.

A plain answer (a known, active runner in that day's check-in, not its last answer: the caller's `admit`
decides) reads the runner with their row locked, records the update id, writes the answer and commits. The
flow is written once (`_flow`), over the repository's own statements (`TAP_RUNNER`, `claim_update_statement`,
`save_answer_statement`): one form of each. Two drivers run it:

- SQLite: the statements compiled once to the driver's SQL and the whole transaction run in one trip to the
  database thread, on the pooled connection (so it takes its turn with every other unit of work). Through the
  ORM the same work is four statements, each a round trip to aiosqlite's thread and SQLAlchemy's per-statement
  machinery: measured, a third of the bot's CPU under a stream of taps.
- PostgreSQL: the same statements through SQLAlchemy Core on one connection.

Anything else (an unknown runner, a blocked or moved chat, a stale day, another flow to update, the last
answer of the check-in) is rolled back and left to the ORM path, which reads everything again and decides as
for any update. Rows are stored exactly as the ORM path stores them (tests/e2e/test_checkin_taps.py compares
both, update by update).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Generator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.storage import onehop
from bot.storage.repository import CHECKIN_FIELDS, TAP_RUNNER, claim_update_statement, save_answer_statement


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
    language: str  # the reader's language: their choice (if chosen), else Telegram's last language_code
    language_chosen: bool
    telegram_language: str | None


@dataclass(frozen=True, slots=True)
class TapSaved:
    runner: TapRunner
    day: date
    answers: dict[str, Any] | None  # the day's answers with this one; None: the check-in is complete (closed)
    duplicate: bool = False  # the update was handled before: nothing written


Admit = Callable[[TapRunner], date | None]  # the day the answer is for, or None: not the plain case


# ------------------------------------------------------------------ the flow, written once


@dataclass(frozen=True, slots=True)
class _Run:
    statement: str  # "runner", "claim" or "save"
    parameters: dict[str, Any]


@dataclass(frozen=True, slots=True)
class _Ran:
    rows: list[tuple[Any, ...]]  # converted to Python values
    rowcount: int


_Flow = Generator[_Run, _Ran, tuple[bool, TapSaved | None]]  # returns (commit?, the outcome)


def _flow(telegram_id: int, update_id: int, field: str, value: Any, now: datetime, admit: Admit) -> _Flow:
    found = yield _Run("runner", {"telegram_id": telegram_id})
    runner = TapRunner(*found.rows[0]) if found.rows else None
    day = admit(runner) if runner is not None else None
    if runner is None or day is None:
        return False, None
    claimed = yield _Run("claim", {"update_id": update_id, "user_id": runner.id, "now": now})
    if claimed.rowcount == 0:
        return False, TapSaved(runner, day, None, duplicate=True)
    saved = yield _Run("save", {"user_id": runner.id, "on": day, "now": now, "value": value})
    if not saved.rows:
        return True, TapSaved(runner, day, None)  # the update id is kept: a replay is answered as handled
    row = dict(zip(_CHECKIN_COLUMNS, saved.rows[0], strict=True))
    answers = {name: row[name] for name in CHECKIN_FIELDS if row[name] is not None}
    if len(answers) == len(CHECKIN_FIELDS):
        return False, None  # the last answer: the plan is decided on the ORM path
    return True, TapSaved(runner, day, answers)


_CHECKIN_COLUMNS = tuple(column.key for column in save_answer_statement("sqlite", CHECKIN_FIELDS[0]).exported_columns)


def _statement(name: str, dialect: str, field: str) -> Any:
    if name == "runner":
        return TAP_RUNNER
    if name == "claim":
        return claim_update_statement(dialect)
    return save_answer_statement(dialect, field)


class CheckinTaps(Protocol):
    async def save_answer(
        self, telegram_id: int, update_id: int, field: str, value: Any, now: datetime, admit: Admit
    ) -> TapSaved | None:
        """Record the update and save the answer in one transaction; None: nothing written, take the ORM path."""


def checkin_taps(engine: AsyncEngine) -> CheckinTaps:
    return OneTripTaps(engine) if engine.dialect.name == "sqlite" else CoreTaps(engine)


# ------------------------------------------------------------------ PostgreSQL (and any other): Core


class CoreTaps:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def save_answer(
        self, telegram_id: int, update_id: int, field: str, value: Any, now: datetime, admit: Admit
    ) -> TapSaved | None:
        dialect = self._engine.dialect.name
        flow = _flow(telegram_id, update_id, field, value, now, admit)
        async with self._engine.connect() as connection:
            try:
                step = next(flow)
                while True:
                    step = flow.send(await self._run(connection, _statement(step.statement, dialect, field), step))
            except StopIteration as done:
                commit, outcome = done.value
            if commit:
                await connection.commit()
            else:
                await connection.rollback()
            return outcome  # type: ignore[no-any-return]

    @staticmethod
    async def _run(connection: AsyncConnection, statement: Any, step: _Run) -> _Ran:
        result = await connection.execute(statement, step.parameters)
        rows = [tuple(row) for row in result.all()] if result.returns_rows else []
        return _Ran(rows, result.rowcount if not result.returns_rows else len(rows))


# ------------------------------------------------------------------ SQLite: one trip to the database thread


def _identity(value: Any) -> Any:
    return value


@dataclass(frozen=True)
class _Compiled:
    sql: str
    binds: tuple[tuple[str, Callable[[Any], Any]], ...]  # in the driver's positional order
    results: tuple[Callable[[Any], Any], ...]  # one per returned column


class OneTripTaps:
    def __init__(self, engine: AsyncEngine) -> None:
        if engine.dialect.name != "sqlite":
            raise ValueError("check-in taps in one trip are for SQLite")
        self._engine = engine
        self._compiled: dict[tuple[str, str], _Compiled] = {}
        for field in CHECKIN_FIELDS:
            for name in ("runner", "claim", "save"):
                self._compiled[(name, field)] = self._compile(_statement(name, "sqlite", field))

    def _compile(self, statement: Any) -> _Compiled:
        """The statement as the driver's SQL, with the conversions its column types make (what SQLAlchemy
        would do for each execution, done once here)."""
        dialect = self._engine.dialect
        compiled = statement.compile(dialect=dialect)
        binds = tuple(
            (name, compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect) or _identity)
            for name in compiled.positiontup
        )
        results = tuple(
            column.type.dialect_impl(dialect).result_processor(dialect, None) or _identity
            for column in getattr(statement, "exported_columns", ())
        )
        return _Compiled(compiled.string, binds, results)

    async def save_answer(
        self, telegram_id: int, update_id: int, field: str, value: Any, now: datetime, admit: Admit
    ) -> TapSaved | None:
        if field not in CHECKIN_FIELDS:
            raise ValueError(f"unknown check-in field {field!r}")

        def transaction(connection: sqlite3.Connection) -> TapSaved | None:
            return self._transaction(connection, _flow(telegram_id, update_id, field, value, now, admit), field)

        async with self._engine.connect() as pooled:  # waits for the pooled connection, like any session
            raw = await pooled.get_raw_connection()
            driver = raw.driver_connection
            if not isinstance(driver, onehop.OneHopConnection):
                raise TypeError("check-in taps need the engine of bot.storage.db.create_engine")
            return await driver.run_in_thread(transaction)

    def _transaction(self, connection: sqlite3.Connection, flow: _Flow, field: str) -> TapSaved | None:
        """Runs in the database thread."""
        cursor = connection.cursor()
        try:
            # IMMEDIATE: the write lock from the start, so a read-then-write never fails on another process's write
            cursor.execute("BEGIN IMMEDIATE")
            try:
                step = next(flow)
                while True:
                    step = flow.send(self._run(cursor, self._compiled[(step.statement, field)], step.parameters))
            except StopIteration as done:
                commit, outcome = done.value
            if commit:
                connection.commit()
            else:
                connection.rollback()
            return outcome  # type: ignore[no-any-return]
        except BaseException:
            if connection.in_transaction:
                connection.rollback()
            raise
        finally:
            cursor.close()

    @staticmethod
    def _run(cursor: sqlite3.Cursor, compiled: _Compiled, parameters: dict[str, Any]) -> _Ran:
        cursor.execute(compiled.sql, tuple(convert(parameters[name]) for name, convert in compiled.binds))
        if not compiled.results:
            return _Ran([], cursor.rowcount)
        rows = [
            tuple(convert(raw) for convert, raw in zip(compiled.results, row, strict=True)) for row in cursor.fetchall()
        ]
        return _Ran(rows, len(rows))
