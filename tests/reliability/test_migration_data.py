"""A database made by the first migration and filled with data upgrades to head with nothing lost."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Date, DateTime, Float, Integer, MetaData, String, insert, select
from sqlalchemy import create_engine as create_sync_engine

from bot.storage.migrate import upgrade

ROWS_PER_USER = 3


def _value(column: Any, n: int, user_ids: dict[str, int]) -> Any:
    if any(fk.column.table.name == "users" for fk in column.foreign_keys):
        return user_ids["current"]
    kind = column.type
    if isinstance(kind, BigInteger):
        return 5_000_000_000 + n
    if isinstance(kind, Integer):
        return n
    if isinstance(kind, Boolean):
        return n % 2 == 0
    if isinstance(kind, DateTime):
        return datetime(2026, 10, 1 + n % 28, 7, n % 60)
    if isinstance(kind, Date):
        return date(2026, 9, 1 + n % 28)
    if isinstance(kind, Float):
        return n + 0.5
    if isinstance(kind, JSON):
        return {"n": n, "list": [n, "x"]}
    if isinstance(kind, String):
        return f"v{n}"[: kind.length or 64]
    raise AssertionError(f"no test value for {column.table.name}.{column.name} ({kind!r})")


def test_data_written_at_0001_survives_the_upgrade_to_head(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    upgrade(f"sqlite+aiosqlite:///{db}", "0001")
    engine = create_sync_engine(f"sqlite:///{db}")
    old = MetaData()
    old.reflect(engine)
    tables = [t for t in old.sorted_tables if t.name != "alembic_version"]
    n = 0
    with engine.begin() as connection:
        user_ids: dict[str, int] = {}
        for table in tables:
            owners = [1, 2] if table.name != "users" else [0, 0]
            for owner in owners:
                for _ in range(1 if table.name in ("users", "profiles") else ROWS_PER_USER):
                    n += 1
                    user_ids["current"] = owner
                    row = {
                        c.name: _value(c, n, user_ids)
                        for c in table.columns
                        if not (c.primary_key and c.autoincrement is True and c.name == "id")
                    }
                    if table.name == "users":
                        row.pop("id", None)
                    connection.execute(insert(table).values(**row))
        before = {
            t.name: connection.execute(select(t).order_by(*t.primary_key.columns)).mappings().all() for t in tables
        }
    assert all(before.values()), {name: len(rows) for name, rows in before.items()}

    upgrade(f"sqlite+aiosqlite:///{db}")  # to head
    new = MetaData()
    new.reflect(engine)
    with engine.connect() as connection:
        for table in tables:
            after = (
                connection.execute(select(new.tables[table.name]).order_by(*new.tables[table.name].primary_key.columns))
                .mappings()
                .all()
            )
            assert len(after) == len(before[table.name]), table.name
            for old_row, new_row in zip(before[table.name], after, strict=True):
                assert {k: new_row[k] for k in old_row} == dict(old_row), table.name
        assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        assert connection.exec_driver_sql("PRAGMA integrity_check").all() == [("ok",)]
    engine.dispose()
