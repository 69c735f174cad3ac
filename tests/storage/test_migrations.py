"""The schema: migrations up and down, models and migrations in agreement, SQLite settings, idempotent writes."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine as create_sync_engine
from sqlalchemy import inspect, select, text

from bot.storage import repository
from bot.storage.db import create_engine, session_factory
from bot.storage.migrate import downgrade, upgrade
from bot.storage.models import Base, CheckIn

NOW = datetime(2026, 10, 1, 7, 0, tzinfo=UTC)


def _url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def test_upgrade_to_head_and_downgrade_to_empty(tmp_path: Path) -> None:
    db = tmp_path / "runback.db"
    upgrade(_url(db))
    tables = set(inspect(create_sync_engine(f"sqlite:///{db}")).get_table_names())
    assert set(Base.metadata.tables) <= tables
    downgrade(_url(db), "base")
    remaining = set(inspect(create_sync_engine(f"sqlite:///{db}")).get_table_names())
    assert remaining == {"alembic_version"}
    upgrade(_url(db))  # and up again
    assert set(Base.metadata.tables) <= set(inspect(create_sync_engine(f"sqlite:///{db}")).get_table_names())


def test_models_and_migrations_agree(tmp_path: Path) -> None:
    db = tmp_path / "runback.db"
    upgrade(_url(db))
    with create_sync_engine(f"sqlite:///{db}").connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


async def test_sqlite_runs_with_wal_foreign_keys_and_busy_timeout(tmp_path: Path) -> None:
    url = _url(tmp_path / "runback.db")
    await asyncio.to_thread(upgrade, url)
    engine = create_engine(url)
    async with engine.connect() as connection:
        assert (await connection.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
        assert (await connection.execute(text("PRAGMA foreign_keys"))).scalar() == 1
        assert (await connection.execute(text("PRAGMA busy_timeout"))).scalar() == 5000
    await engine.dispose()


async def test_a_checkin_answer_written_twice_is_stored_once(tmp_path: Path) -> None:
    url = _url(tmp_path / "runback.db")
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


async def test_foreign_keys_refuse_an_orphan_row(tmp_path: Path) -> None:
    from sqlalchemy.exc import IntegrityError

    url = _url(tmp_path / "runback.db")
    await asyncio.to_thread(upgrade, url)
    engine = create_engine(url)
    sessions = session_factory(engine)
    with pytest.raises(IntegrityError):
        async with sessions() as session, session.begin():
            await repository.save_checkin_answer(session, 999, date(2026, 10, 1), "pain_rest", 1, NOW)
    await engine.dispose()
