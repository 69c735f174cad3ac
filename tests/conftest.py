"""Fixtures for the whole suite: one PostgreSQL server for the test session, a fresh database per test."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.pg import SKIP_ENV, PostgresServer, PostgresUnavailable


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A PostgreSQL server started for this test session (see tests/pg.py). If it cannot start, every test
    that needs it fails, unless RUNBACK_SKIP_POSTGRES=1 says to skip them."""
    if os.environ.get(SKIP_ENV) == "1":
        pytest.skip(f"{SKIP_ENV}=1: PostgreSQL tests skipped")
    server = PostgresServer()
    try:
        server.start()
    except PostgresUnavailable as error:
        server.stop()
        pytest.fail(f"PostgreSQL could not be started ({error}); set {SKIP_ENV}=1 to skip these tests", pytrace=False)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_url(postgres: PostgresServer) -> Iterator[str]:
    """A new, empty PostgreSQL database (postgresql+asyncpg:// URL), dropped after the test."""
    url = postgres.create_database()
    try:
        yield url
    finally:
        postgres.drop_database(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def backend_url(request: pytest.FixtureRequest, tmp_path: object) -> str:
    """An empty database on each backend: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path}/runback.db"
    return str(request.getfixturevalue("pg_url"))
