"""Engine and session factory; SQLite gets WAL, foreign keys and a busy timeout on every connection."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from bot.storage import onehop

SQLITE_BUSY_TIMEOUT_MS = 5000


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    # WAL with synchronous=NORMAL can lose the last commits on power loss; FULL keeps every
    # acknowledged answer, which is the promise we make.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def ensure_sqlite_directory(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)


def is_postgresql(url: str) -> bool:
    return make_url(url).get_backend_name() == "postgresql"


def create_engine(url: str) -> AsyncEngine:
    ensure_sqlite_directory(url)
    if is_postgresql(url):
        # UTC sessions whatever the server's default (no pre-ping: it would double every short statement)
        engine = create_async_engine(
            url,
            pool_size=10,
            connect_args={"server_settings": {"timezone": "UTC", "application_name": "runback"}},
        )
        return engine
    if make_url(url).drivername == "sqlite+aiosqlite":
        # One connection, which the bot's concurrent updates take in turns. SQLite lets one transaction write
        # at a time; with a connection each, the others wait in SQLite's busy handler, which sleeps 1-100 ms
        # between tries (measured: most of a busy bot's idle time). Waiting for the pool hands over at once.
        pool = {} if make_url(url).database in (None, "", ":memory:") else {"pool_size": 1, "max_overflow": 0}
        engine = create_async_engine(url, async_creator=onehop.async_creator(url), **pool)
    else:
        engine = create_async_engine(url)
    if is_sqlite(url):
        event.listen(engine.sync_engine, "connect", _on_sqlite_connect)
    return engine


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
