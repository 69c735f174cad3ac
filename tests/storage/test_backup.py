"""`runback backup` copies a live database: every row, while another connection is writing."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from bot.config import load_settings
from bot.storage.backup import backup_main, backup_sqlite
from bot.storage.migrate import upgrade


def test_backup_while_writing_is_consistent(tmp_path: Path) -> None:
    db = tmp_path / "live.db"
    upgrade(f"sqlite+aiosqlite:///{db}")
    writer = sqlite3.connect(db, check_same_thread=False)
    writer.execute("PRAGMA journal_mode=WAL")
    stop = threading.Event()

    def keep_writing() -> None:
        n = 0
        while not stop.is_set() and n < 5000:
            n += 1
            writer.execute(
                "INSERT INTO users (telegram_id, chat_id, language, time_zone, checkin_minute, active, created_at)"
                " VALUES (?, ?, 'en', 'UTC', 420, 1, '2026-10-01 07:00:00')",
                (n, n),
            )
            writer.commit()

    thread = threading.Thread(target=keep_writing)
    thread.start()
    try:
        backup_sqlite(db, tmp_path / "copy.db")
    finally:
        stop.set()
        thread.join()
    copy = sqlite3.connect(tmp_path / "copy.db")
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    count = copy.execute("SELECT count(*) FROM users").fetchone()[0]
    ids = [row[0] for row in copy.execute("SELECT telegram_id FROM users ORDER BY telegram_id")]
    assert ids == list(range(1, count + 1))  # a prefix of the writes: nothing torn
    writer.close()


def test_backup_command_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "live.db"
    upgrade(f"sqlite+aiosqlite:///{db}")
    settings = load_settings({"RUNBACK_DATABASE_URL": f"sqlite+aiosqlite:///{db}"})
    assert backup_main(settings, str(tmp_path / "b.db")) == 0
    assert backup_main(settings, str(tmp_path / "b.db")) == 1
    assert "exists" in capsys.readouterr().err
