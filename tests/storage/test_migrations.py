"""The schema: migrations up and down, models and migrations in agreement, SQLite settings, idempotent writes."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import event, inspect, select, text
from sqlalchemy.engine import Connection

from bot.storage import repository
from bot.storage.db import create_engine, session_factory
from bot.storage.migrate import downgrade, upgrade
from bot.storage.models import Base, CheckIn

NOW = datetime(2026, 10, 1, 7, 0, tzinfo=UTC)


def _url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def _inspect(url: str, look: Callable[[Connection], Any]) -> Any:
    """Run a synchronous inspection on a connection of either backend (through the async driver)."""

    async def run() -> Any:
        engine = create_engine(url)
        try:
            async with engine.connect() as connection:
                return await connection.run_sync(look)
        finally:
            await engine.dispose()

    return asyncio.run(run())


def _tables(url: str) -> set[str]:
    return set(_inspect(url, lambda connection: inspect(connection).get_table_names()))


def test_upgrade_to_head_and_downgrade_to_empty(backend_url: str) -> None:
    upgrade(backend_url)
    assert set(Base.metadata.tables) <= _tables(backend_url)
    downgrade(backend_url, "base")
    assert _tables(backend_url) == {"alembic_version"}
    upgrade(backend_url)  # and up again
    assert set(Base.metadata.tables) <= _tables(backend_url)


def test_models_and_migrations_agree(backend_url: str) -> None:
    upgrade(backend_url)

    def compare(connection: Connection) -> Any:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)

    assert _inspect(backend_url, compare) == []


async def test_sqlite_runs_with_wal_foreign_keys_and_busy_timeout(tmp_path: Path) -> None:
    url = _url(tmp_path / "runback.db")
    await asyncio.to_thread(upgrade, url)
    engine = create_engine(url)
    async with engine.connect() as connection:
        assert (await connection.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
        assert (await connection.execute(text("PRAGMA foreign_keys"))).scalar() == 1
        assert (await connection.execute(text("PRAGMA busy_timeout"))).scalar() == 5000
    await engine.dispose()


async def test_concurrent_sqlite_transactions_take_turns_on_one_connection(tmp_path: Path) -> None:
    """Concurrent updates write in turns through one connection: none waits in SQLite's busy handler (which
    sleeps between tries), and every write lands."""
    url = _url(tmp_path / "runback.db")
    await asyncio.to_thread(upgrade, url)
    engine = create_engine(url)
    connections: list[object] = []
    event.listen(engine.sync_engine, "connect", lambda dbapi_connection, _record: connections.append(dbapi_connection))
    sessions = session_factory(engine)
    inside, most_inside = 0, 0

    async def write(update_id: int) -> None:
        nonlocal inside, most_inside
        async with sessions() as session, session.begin():
            assert await repository.claim_update(session, update_id, None, NOW)
            inside += 1
            most_inside = max(most_inside, inside)
            await asyncio.sleep(0.005)  # e.g. the event loop serving other updates mid-transaction
            inside -= 1

    await asyncio.gather(*(write(i) for i in range(20)))
    async with engine.connect() as connection:
        assert (await connection.execute(text("SELECT count(*) FROM processed_updates"))).scalar() == 20
    await engine.dispose()
    assert (len(connections), most_inside) == (1, 1)


async def test_a_checkin_answer_written_twice_is_stored_once(backend_url: str) -> None:
    url = backend_url
    await asyncio.to_thread(upgrade, url)
    engine = create_engine(url)
    sessions = session_factory(engine)
    async with sessions() as session, session.begin():
        user = await repository.create_user(session, 42, 42, "Ann", NOW)
        user_id = user.id
    for value in (3, 3, 2):
        async with sessions() as session, session.begin():
            await repository.save_checkin_answer(session, user_id, date(2026, 10, 1), "pain_rest", value, NOW)
    async with sessions() as session, session.begin():
        await repository.save_checkin_answer(session, user_id, date(2026, 10, 1), "fatigue", 4, NOW)
    async with sessions() as session:
        rows = (await session.execute(select(CheckIn))).scalars().all()
    assert len(rows) == 1
    assert (rows[0].pain_rest, rows[0].fatigue) == (2, 4)
    await engine.dispose()


async def test_foreign_keys_refuse_an_orphan_row(backend_url: str) -> None:
    from sqlalchemy.exc import IntegrityError

    url = backend_url
    await asyncio.to_thread(upgrade, url)
    engine = create_engine(url)
    sessions = session_factory(engine)
    with pytest.raises(IntegrityError):
        async with sessions() as session, session.begin():
            await repository.save_checkin_answer(session, 999, date(2026, 10, 1), "pain_rest", 1, NOW)
    await engine.dispose()
