"""Shared helpers for the reliability tests: the e2e harness, log capture and database snapshots."""

from __future__ import annotations

import logging
import traceback
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from bot.storage.models import Base
from tests.e2e.conftest import Harness, UnpacedHarness, running_harness


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    """The e2e harness without send pacing (1 message a second per chat would make these tests take minutes);
    retries after a 429 stay as in production."""
    async with running_harness(f"sqlite+aiosqlite:///{tmp_path / 'runback.db'}", UnpacedHarness) as h:
        yield h


class Records(logging.Handler):
    """Keeps every log record, formatted without redaction, so a test sees what would be written."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    @staticmethod
    def render(record: logging.LogRecord) -> str:
        line = f"{record.name}: {record.getMessage()}"
        if record.exc_info:
            line += "".join(traceback.format_exception(*record.exc_info))
        return line

    def lines(self) -> list[str]:
        return [self.render(r) for r in self.records]

    def errors(self) -> list[str]:
        return [self.render(r) for r in self.records if r.levelno >= logging.ERROR]


@pytest.fixture
def logs() -> Iterator[Records]:
    """Every record of every logger (runback at DEBUG) for the test's duration."""
    handler = Records()
    root = logging.getLogger()
    runback = logging.getLogger("runback")
    old_root, old_runback = root.level, runback.level
    root.addHandler(handler)
    runback.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        runback.setLevel(old_runback)
        root.setLevel(old_root)


async def snapshot(harness: Harness, skip: tuple[str, ...] = ("processed_updates",)) -> dict[str, list[Any]]:
    """Every row of every table (for "nothing changed" checks)."""
    out: dict[str, list[Any]] = {}
    async with harness.coach_app.sessions() as session:
        for name, table in Base.metadata.tables.items():
            if name in skip:
                continue
            rows = (await session.execute(select(table))).all()
            out[name] = sorted(tuple(map(repr, row)) for row in rows)
    return out


async def sql(harness: Harness, statement: str, **params: Any) -> list[Any]:
    async with harness.coach_app.sessions() as session:
        return list((await session.execute(text(statement), params)).all())
