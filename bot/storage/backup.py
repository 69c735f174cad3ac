"""`runback backup PATH`: SQLite's online backup API, safe while the bot is writing."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.config import Settings


def backup_sqlite(database_path: Path, target: Path) -> None:
    """Copy a live SQLite database page by page into `target` (a consistent snapshot)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        raise FileExistsError(f"{target} exists; choose a new file name")
    source = sqlite3.connect(f"file:{database_path}?mode=ro", uri=True)
    try:
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()


def backup_main(settings: Settings, path: str) -> int:
    url = make_url(settings.database_url)
    if url.get_backend_name() != "sqlite" or not url.database:
        print("runback: backup copies a SQLite database; for PostgreSQL use pg_dump", file=sys.stderr)
        return 2
    database = Path(url.database)
    if not database.exists():
        print(f"runback: no database at {database}", file=sys.stderr)
        return 2
    try:
        backup_sqlite(database, Path(path))
    except (FileExistsError, sqlite3.Error) as error:
        print(f"runback: backup failed: {error}", file=sys.stderr)
        return 1
    print(f"backed up {database} to {path}")
    return 0
