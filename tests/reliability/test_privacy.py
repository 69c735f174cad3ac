"""Privacy: /export holds all of a runner's data and nobody else's; /delete erases every row of theirs;
groups get a refusal and nothing is stored; a restored backup gives the same /history."""

from __future__ import annotations

import csv
import io
import json
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import select

from bot import texts
from bot.storage.backup import backup_sqlite
from bot.storage.models import Base
from tests.e2e.conftest import RUNNER, Harness
from tests.reliability.conftest import sql

OTHER = 777001
GROUP = -100777


async def _two_runners(harness: Harness) -> None:
    await harness.onboard(RUNNER)
    await harness.onboard(OTHER, zone="America/New_York")
    await harness.tap("n:checkin")
    await harness.checkin(date(2026, 10, 1), pain_rest=1, fatigue=3)
    await harness.tap("n:checkin", chat_id=OTHER)
    await harness.checkin(date(2026, 10, 1), chat_id=OTHER, pain_rest=2, fatigue=7, sleep_hours=6)
    await harness.send("/pain", OTHER)
    await harness.tap("p:rest", OTHER)
    await harness.tap("p:rest:2", OTHER)


async def test_export_has_all_of_my_data_and_none_of_anyone_elses(harness: Harness) -> None:
    await _two_runners(harness)
    await harness.send("/export")
    files = {f.filename: f.content or b"" for f in harness.emulator.files() if f.kind == "document"}
    assert set(files) == {"runback-daily-log.csv", "runback-export.json"}
    everything = json.loads(files["runback-export.json"])
    assert [u["telegram_id"] for u in everything["users"]] == [RUNNER]
    assert len(everything["profiles"]) == 1 and everything["profiles"][0]["injury_site"] == "tibia_posteromedial"
    (checkin,) = everything["checkins"]
    assert (checkin["local_date"], checkin["pain_rest"], checkin["fatigue"]) == ("2026-10-01", 1, 3)
    assert everything["decisions"] and everything["pain_reports"] == []
    user_id = everything["users"][0]["id"]
    for table, rows in everything.items():
        for row in rows:
            assert row.get("user_id", user_id) == user_id, table
    assert str(OTHER) not in files["runback-export.json"].decode()
    daily = list(csv.DictReader(io.StringIO(files["runback-daily-log.csv"].decode())))
    assert [(r["date"], r["pain_rest"], r["fatigue"], r["sleep_hours"]) for r in daily] == [
        ("2026-10-01", "1", "3", "8.0")
    ]
    # the export went to the runner's chat only
    assert all(r.params["chat_id"] == RUNNER for r in harness.emulator.calls("sendDocument"))


async def _rows_of(harness: Harness, user_id: int, telegram_id: int) -> dict[str, int]:
    """How many rows in every table point at this user (by users.id or by Telegram id)."""
    found: dict[str, int] = {}
    async with harness.coach_app.sessions() as session:
        for name, table in Base.metadata.tables.items():
            for column in table.columns:
                refers = any(fk.column.table.name == "users" for fk in column.foreign_keys)
                if (name == "users" and column.name == "id") or refers:
                    value = user_id
                elif column.name in ("telegram_id", "chat_id"):
                    value = telegram_id
                else:
                    continue
                rows = (await session.execute(select(table).where(column == value))).all()
                if rows:
                    found[f"{name}.{column.name}"] = len(rows)
    return found


async def test_delete_erases_every_row_of_mine_and_keeps_the_others(harness: Harness) -> None:
    await _two_runners(harness)
    ids = dict(await sql(harness, "SELECT telegram_id, id FROM users"))
    mine, theirs = await _rows_of(harness, ids[RUNNER], RUNNER), await _rows_of(harness, ids[OTHER], OTHER)
    assert {"users.id", "profiles.user_id", "checkins.user_id", "decisions.user_id"} <= set(mine)
    replies = await harness.send("/delete")
    assert replies[-1].text == texts.DELETE_CONFIRM
    await harness.tap("d:no")
    kept = await _rows_of(harness, ids[RUNNER], RUNNER)
    assert kept.pop("processed_updates.user_id") > mine.pop("processed_updates.user_id")
    assert kept == mine  # "No" keeps everything
    await harness.send("/delete")
    replies = await harness.tap("d:yes")
    assert [m.text for m in replies] == [texts.DELETED]
    assert await _rows_of(harness, ids[RUNNER], RUNNER) == {}
    assert await _rows_of(harness, ids[OTHER], OTHER) == theirs
    assert await sql(harness, "PRAGMA foreign_key_check") == []
    replies = await harness.send("/start")  # and they can begin again, from nothing
    assert "coaching aid" in (replies[0].text or "")


async def test_groups_and_channels_get_a_refusal_and_nothing_is_stored(harness: Harness) -> None:
    member = 555001
    for text in ("/start", "/checkin@runback_test_bot", "my shin hurts, pain 7", "/delete"):
        await harness.user_does(
            lambda text=text: harness.emulator.user_sends(GROUP, text, chat_type="supergroup", user_id=member)
        )
    await harness.user_does(lambda: harness.emulator.user_sends_sticker(GROUP, user_id=member))
    await harness.user_does(lambda: harness.emulator.channel_post(-100888, "/start"))
    await harness.user_does(lambda: harness.emulator.channel_post(-100888, "hello channel"))
    assert harness.texts(GROUP) == [texts.GROUP_REFUSAL] * 3  # one per command, silence otherwise
    assert harness.texts(-100888) == [texts.GROUP_REFUSAL]
    for name, table in Base.metadata.tables.items():
        personal = name == "users" or any(fk.column.table.name == "users" for fk in table.foreign_keys)
        if personal and name != "processed_updates":
            assert await sql(harness, f"SELECT count(*) FROM {name}") == [(0,)], name


def _restore(backup: Path, database: Path) -> None:
    shutil.copyfile(backup, database)
    for suffix in ("-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)


async def test_a_restored_backup_gives_the_same_history(harness: Harness, tmp_path: Path) -> None:
    await harness.onboard()
    await harness.tap("n:checkin")
    await harness.checkin(date(2026, 10, 1), pain_rest=1)
    harness.clock.set(datetime(2026, 10, 2, 6, 0, tzinfo=UTC))
    await harness.tap("n:checkin")
    await harness.checkin(date(2026, 10, 2), pain_rest=2)
    database = Path(harness.database_url.removeprefix("sqlite+aiosqlite:///"))
    backup = tmp_path / "backups" / "runback-2026-10-02.db"
    backup_sqlite(database, backup)  # `runback backup PATH`, while the bot runs

    harness.clock.set(datetime(2026, 10, 3, 6, 0, tzinfo=UTC))  # life goes on, then the disk is lost
    history = [m.text for m in await harness.send("/history")]
    assert "02 Oct    2" in history[-1]
    await harness.tap("n:checkin")
    await harness.checkin(date(2026, 10, 3), pain_rest=3)
    assert [m.text for m in await harness.send("/history")] != history

    # the restore procedure (docs/privacy.md): stop, copy the backup over the database, remove -wal/-shm, start
    await harness.stop()
    _restore(backup, database)
    await harness.start()
    assert [m.text for m in await harness.send("/history")] == history
    assert await sql(harness, "PRAGMA integrity_check") == [("ok",)]
