"""aiosqlite connections whose statements cost one trip to the database thread instead of four.

aiosqlite runs sqlite3 in a thread of its own and every call is a round trip to it (a queue put, a thread
wake-up, a wake-up of the event loop): SQLAlchemy's adapter makes four per statement (open a cursor, execute,
fetch the rows, close). On a button tap that was about a third of the bot's CPU. Here a cursor does all four
in one trip; SQLAlchemy's aiosqlite dialect is used unchanged (through `async_creator`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable, Sequence
from functools import partial
from typing import Any, TypeVar

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import SQLiteDialect_aiosqlite
from sqlalchemy.engine import make_url

_T = TypeVar("_T")
_Outcome = tuple[list[Any], Any, int, int | None]  # rows, description, rowcount, lastrowid


class OneHopCursor:
    """The part of aiosqlite's `Cursor` SQLAlchemy uses; `execute` fetches every row in the same trip."""

    def __init__(self, connection: OneHopConnection) -> None:
        self._connection = connection
        self._rows: list[Any] = []
        self.description: Any = None
        self.rowcount = -1
        self.lastrowid: int | None = None
        self.arraysize = 1

    async def __aenter__(self) -> OneHopCursor:
        return self

    async def __aexit__(self, *_: object) -> None:
        return None

    @staticmethod
    def _run(connection: sqlite3.Connection, run: Callable[[sqlite3.Cursor], object]) -> _Outcome:
        cursor = connection.cursor()
        try:
            run(cursor)
            rows = cursor.fetchall() if cursor.description else []
            return rows, cursor.description, cursor.rowcount, cursor.lastrowid
        finally:
            cursor.close()

    async def _trip(self, run: Callable[[sqlite3.Cursor], object]) -> OneHopCursor:
        execute: Callable[..., Awaitable[_Outcome]] = self._connection._execute  # untyped in aiosqlite
        outcome = await execute(self._run, self._connection._conn, run)
        self._rows, self.description, self.rowcount, self.lastrowid = outcome
        return self

    async def execute(self, sql: str, parameters: Sequence[Any] | dict[str, Any] | None = None) -> OneHopCursor:
        return await self._trip(lambda cursor: cursor.execute(sql, parameters if parameters is not None else ()))

    async def executemany(self, sql: str, parameters: Any) -> OneHopCursor:
        return await self._trip(lambda cursor: cursor.executemany(sql, parameters))

    async def fetchall(self) -> list[Any]:
        rows, self._rows = self._rows, []
        return rows

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        count = self.arraysize if size is None else size
        rows, self._rows = self._rows[:count], self._rows[count:]
        return rows

    async def fetchone(self) -> Any:
        return self._rows.pop(0) if self._rows else None

    async def close(self) -> None:
        self._rows = []


class OneHopConnection(aiosqlite.Connection):
    def cursor(self) -> OneHopCursor:  # type: ignore[override]
        return OneHopCursor(self)

    async def run_in_thread(self, function: Callable[[sqlite3.Connection], _T]) -> _T:
        """Run `function` on the sqlite3 connection in the database thread: a whole transaction in one trip."""
        execute: Callable[..., Awaitable[_T]] = self._execute
        return await execute(function, self._conn)

    def _idle(self) -> bool:
        """No transaction open: nothing to commit or roll back. (Read here, on the event loop's thread, while no
        statement of this connection is running: SQLAlchemy waits for each before the next call.)"""
        return self._connection is not None and not self._connection.in_transaction

    async def commit(self) -> None:
        if not self._idle():  # a read-only unit of work has nothing to commit: no trip
            await super().commit()

    async def rollback(self) -> None:
        if not self._idle():  # the pool rolls back every connection it gets back, mostly right after a commit
            await super().rollback()


def async_creator(url: str) -> Callable[[], Any]:
    """For `create_async_engine(url, async_creator=...)`: connections with the URL's own connect arguments."""
    args, kwargs = SQLiteDialect_aiosqlite().create_connect_args(make_url(url))

    async def connect() -> OneHopConnection:
        connection = OneHopConnection(partial(sqlite3.connect, *args, **kwargs), iter_chunk_size=64)
        connection._thread.daemon = True  # as SQLAlchemy does for aiosqlite: never keep the process alive
        await connection
        return connection

    return connect
