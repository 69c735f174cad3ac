"""`runback migrate-db SRC_URL DST_URL`: move a deployment to another database (SQLite → PostgreSQL).

Stop the bot first. The destination is brought to the newest schema with the migrations and must be empty;
the source must be at the newest schema too (`runback migrate` with the old URL). Every table is copied in
foreign-key order from one consistent read of the source, inside one transaction on the destination (all or
nothing); PostgreSQL's sequences are then set past the highest copied id, and the row counts are compared.
"""

from __future__ import annotations

import asyncio
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import DateTime, Integer, Table, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.storage.db import create_engine
from bot.storage.migrate import alembic_config, upgrade
from bot.storage.models import Base

CHUNK = 5000
NOT_COPIED = frozenset({"send_budget"})  # state of the running bot that the migrations create anew


class TransferError(RuntimeError):
    """Why the copy was refused or failed: one line for the operator."""


@dataclass(frozen=True)
class TransferReport:
    rows: dict[str, int]  # table -> rows copied (equal in source and destination)


def _head(url: str) -> str | None:
    return ScriptDirectory.from_config(alembic_config(url)).get_current_head()


async def _revision(connection: AsyncConnection) -> str | None:
    return await connection.run_sync(lambda sync: MigrationContext.configure(sync).get_current_revision())


def _to_destination(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    """SQLite gives back times without a zone (they are stored in UTC): make them explicit UTC."""
    for column in table.columns:
        value = row.get(column.key)
        if isinstance(column.type, DateTime) and isinstance(value, datetime) and value.tzinfo is None:
            row[column.key] = value.replace(tzinfo=UTC)
    return row


def _tables() -> list[Table]:
    return [table for table in Base.metadata.sorted_tables if table.name not in NOT_COPIED]


async def _counts(connection: AsyncConnection) -> dict[str, int]:
    out: dict[str, int] = {}
    for table in _tables():
        out[table.name] = int((await connection.execute(select(func.count()).select_from(table))).scalar_one())
    return out


async def _reset_sequences(connection: AsyncConnection) -> None:
    for table in Base.metadata.sorted_tables:
        key = list(table.primary_key.columns)
        if len(key) != 1 or not isinstance(key[0].type, Integer) or key[0].foreign_keys:
            continue  # no sequence behind it (e.g. profiles.user_id, processed_updates.update_id is given)
        column = key[0]
        sequence = (await connection.execute(select(func.pg_get_serial_sequence(table.name, column.name)))).scalar()
        if sequence is None:
            continue
        highest = select(func.max(column)).scalar_subquery()
        await connection.execute(select(func.setval(sequence, func.coalesce(highest, 1), highest.is_not(None))))


async def _copy(source: AsyncEngine, destination: AsyncEngine) -> TransferReport:
    async with source.connect() as reading, destination.connect() as writing:
        async with reading.begin(), writing.begin():  # one snapshot of the source, one transaction here
            head = _head(str(destination.url))
            if await _revision(reading) != head:
                raise TransferError(f"the source is not at the newest schema ({head}): run `runback migrate` on it")
            if any((await _counts(writing)).values()):
                raise TransferError("the destination database is not empty; give an empty one")
            for table in _tables():  # parents before children
                order = list(table.primary_key.columns)
                result = await reading.stream(select(table).order_by(*order))
                async for chunk in result.mappings().partitions(CHUNK):
                    rows = [_to_destination(table, dict(row)) for row in chunk]
                    await writing.execute(table.insert(), rows)
            if writing.dialect.name == "postgresql":
                await _reset_sequences(writing)
            copied, kept = await _counts(reading), await _counts(writing)
            if copied != kept:
                raise TransferError(f"row counts differ after the copy: {copied} != {kept}")
    return TransferReport(rows=kept)


async def transfer(source_url: str, destination_url: str) -> TransferReport:
    """Copy every row from `source_url` into the (empty, migrated here) `destination_url`."""
    if make_url(source_url) == make_url(destination_url):
        raise TransferError("source and destination are the same database")
    source_path = make_url(source_url).database
    is_file = await asyncio.to_thread(lambda: bool(source_path) and Path(str(source_path)).is_file())
    if make_url(source_url).get_backend_name() == "sqlite" and not is_file:
        raise TransferError(f"no SQLite database at {source_path}")
    await asyncio.to_thread(upgrade, destination_url)
    source, destination = create_engine(source_url), create_engine(destination_url)
    try:
        return await _copy(source, destination)
    finally:
        await source.dispose()
        await destination.dispose()


def migrate_db_main(source_url: str, destination_url: str) -> int:
    for url in (source_url, destination_url):
        if not url.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            print(
                "runback: database URLs must start with sqlite+aiosqlite:// or postgresql+asyncpg://", file=sys.stderr
            )
            return 2
    try:
        report = asyncio.run(transfer(source_url, destination_url))
    except TransferError as error:
        print(f"runback: migrate-db: {error}", file=sys.stderr)
        return 1
    for table, count in report.rows.items():
        print(f"{table}: {count} rows")
    print(f"copied {sum(report.rows.values())} rows; the destination is ready (set RUNBACK_DATABASE_URL to it)")
    return 0
