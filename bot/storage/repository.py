"""Queries and writes: the only module, with models.py, that knows SQL.

Every function takes an open AsyncSession; the caller owns the transaction (one per use case).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import BindParameter, Row, bindparam, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage import models
from bot.storage.models import (
    CheckIn,
    DecisionRecord,
    Event,
    PainReport,
    Pause,
    ProcessedUpdate,
    Profile,
    SessionLog,
    User,
)

CHECKIN_FIELDS = (
    "pain_rest",
    "pain_walking",
    "pain_next_day",
    "tenderness",
    "swelling",
    "limping",
    "night_pain",
    "sleep_hours",
    "fatigue",
)
CheckinRow = Row[Any]  # a check-in's columns, as `save_checkin_answer` and `history_rows` return them
# the columns of SessionLog, PainReport and Event, read-only (`history_rows`)
SessionRow = Row[Any]
PainReportRow = Row[Any]
EventRow = Row[Any]
SESSION_FIELDS = ("done", "run_minutes", "pain_during", "pain_after", "rpe")
SESSION_FILE_FIELDS = ("source", "sport", "distance_km", "avg_hr", "avg_cadence", "walk_minutes")  # from a watch file
# Every table that holds a runner's rows, for export and delete.
USER_TABLES: tuple[type[models.Base], ...] = (
    CheckIn,
    SessionLog,
    PainReport,
    Event,
    DecisionRecord,
    Pause,
    ProcessedUpdate,
    models.EngineCache,
)


def _dialect(session: AsyncSession) -> str:
    return session.bind.dialect.name if session.bind is not None else "sqlite"


def _insert_for(dialect: str, table: Any) -> Any:
    return (pg_insert if dialect == "postgresql" else sqlite_insert)(table)


def _insert(session: AsyncSession, table: Any) -> Any:
    return _insert_for(_dialect(session), table)


_BUILT_ONCE: dict[tuple[str, str], Any] = {}


def _built_once(dialect: str, name: str, build: Callable[[], Any]) -> Any:
    """A statement that depends on the database kind (an upsert), built once per kind, with bound parameters:
    SQLAlchemy then also computes its cache key once (building and keying statements was a large share of a
    check-in tap's CPU)."""
    key = (dialect, name)
    statement = _BUILT_ONCE.get(key)
    if statement is None:
        statement = _BUILT_ONCE[key] = build()
    return statement


_USER_BY_TELEGRAM_ID = select(User).where(User.telegram_id == bindparam("telegram_id"))
_USER_BY_TELEGRAM_ID_LOCKED = _USER_BY_TELEGRAM_ID.with_for_update().execution_options(populate_existing=True)


async def user_by_telegram_id(session: AsyncSession, telegram_id: int, lock: bool = False) -> User | None:
    """`lock`: hold the runner's row until the transaction ends (SELECT ... FOR UPDATE on PostgreSQL; SQLite has
    one writer at a time anyway), so two workers handling updates of the same runner take turns. (Statements
    on every update's path are built once, with bound parameters: see `save_answer_statement`.)"""
    statement = _USER_BY_TELEGRAM_ID_LOCKED if lock else _USER_BY_TELEGRAM_ID
    result = await session.execute(statement, {"telegram_id": telegram_id})
    return result.scalar_one_or_none()


async def create_user(
    session: AsyncSession, telegram_id: int, chat_id: int, first_name: str | None, now: datetime
) -> User:
    user = User(
        telegram_id=telegram_id,
        chat_id=chat_id,
        first_name=(first_name or "")[:64] or None,
        language="en",
        time_zone="UTC",
        checkin_minute=7 * 60,
        active=True,
        created_at=now,
    )
    session.add(user)
    await session.flush()
    return user


async def profile_of(session: AsyncSession, user_id: int) -> Profile | None:
    return await session.get(Profile, user_id)


# Statements on the path of every check-in are built once, with bound parameters (SQLAlchemy then also
# computes their cache keys once); see `save_answer_statement`.
_USER: BindParameter[int] = bindparam("uid")
_ON: BindParameter[date] = bindparam("on")
_SINCE: BindParameter[date] = bindparam("since")
_THROUGH: BindParameter[date] = bindparam("through")
# populate_existing: answers are written with Core upserts, which the identity map does not see
_CHECKIN_ON = (
    select(CheckIn).where(CheckIn.user_id == _USER, CheckIn.local_date == _ON).execution_options(populate_existing=True)
)
_SESSION_ON = (
    select(SessionLog)
    .where(SessionLog.user_id == _USER, SessionLog.local_date == _ON)
    .execution_options(populate_existing=True)
)
_DECISION_ON = select(DecisionRecord).where(DecisionRecord.user_id == _USER, DecisionRecord.local_date == _ON)
_LATEST_DECISION_BEFORE = (
    select(DecisionRecord)
    .where(DecisionRecord.user_id == _USER, DecisionRecord.local_date < _ON)
    .order_by(DecisionRecord.local_date.desc())
    .limit(1)
)
_COMPLETE_CHECKIN = (
    update(CheckIn)
    .where(CheckIn.user_id == _USER, CheckIn.local_date == _ON, CheckIn.completed_at.is_(None))
    .values(completed_at=bindparam("now"))
)
# plain rows, not ORM objects: a year of history is read for a decision with no cached state, and building
# ~1,000 tracked objects was a third of that decision's time (benchmarks/history.py, "cold"). Without the
# bookkeeping columns (ids, write times): nobody reading a history needs them, and each time is parsed.
_BOOKKEEPING = {"id", "user_id", "completed_at", "updated_at", "logged_at", "created_at", "reported_at"}
_HISTORY_SINCE = tuple(
    select(*(c for c in model.__table__.columns if c.name not in _BOOKKEEPING)).where(
        model.user_id == _USER, model.local_date >= _SINCE
    )
    for model in (CheckIn, SessionLog, Event, PainReport)
)
def _fingerprint_of(through: BindParameter[date]) -> list[Any]:
    """The aggregates of one fingerprint (since..through), each a scalar subquery: one round trip for all."""
    columns: list[Any] = []
    for model, aggregates in (
        (CheckIn, lambda: (func.count(), func.max(CheckIn.updated_at))),
        (SessionLog, lambda: (func.count(), func.max(SessionLog.logged_at))),
        # created_at too: a care-team adjustment replaced on its day keeps its row (and id), not its write time
        (Event, lambda: (func.count(), func.max(Event.id), func.max(Event.created_at))),
        (PainReport, lambda: (func.count(), func.max(PainReport.id))),
    ):
        where = (model.user_id == _USER, model.local_date >= _SINCE, model.local_date <= through)
        columns.extend(select(aggregate).where(*where).scalar_subquery() for aggregate in aggregates())
    return columns


_FINGERPRINT_WIDTH = len(_fingerprint_of(_THROUGH))
# one or two fingerprints (the cached state's day and the day the cache moves up to) in one statement
_FINGERPRINTS = (
    select(*_fingerprint_of(_THROUGH)),
    select(*_fingerprint_of(_THROUGH), *_fingerprint_of(bindparam("through_later"))),
)


async def checkin_on(session: AsyncSession, user_id: int, on: date) -> CheckIn | None:
    result = await session.execute(_CHECKIN_ON, {"uid": user_id, "on": on})
    return result.scalar_one_or_none()


async def checkins_on(
    session: AsyncSession, user_ids: Sequence[int], days: set[date]
) -> dict[tuple[int, date], CheckIn]:
    """The check-ins of many runners on some days, in one query (a morning round's batch)."""
    if not user_ids or not days:
        return {}
    result = await session.execute(
        select(CheckIn)
        .where(CheckIn.user_id.in_(user_ids), CheckIn.local_date.in_(days))
        .execution_options(populate_existing=True)
    )
    return {(row.user_id, row.local_date): row for row in result.scalars()}


def save_answer_statement(dialect: str, field: str) -> Any:
    """The upsert of one answer, returning the day's check-in (see `_built_once`). Parameters: user_id, on, now,
    value."""
    if field not in CHECKIN_FIELDS:
        raise ValueError(f"unknown check-in field {field!r}")

    def build() -> Any:
        insert = _insert_for(dialect, CheckIn).values(
            user_id=bindparam("user_id"),
            local_date=bindparam("on"),
            updated_at=bindparam("now"),
            **{field: bindparam("value")},
        )
        insert = insert.on_conflict_do_update(
            index_elements=["user_id", "local_date"],
            set_={field: insert.excluded[field], "updated_at": insert.excluded.updated_at},
            where=CheckIn.completed_at.is_(None),  # a finished check-in is closed to changes
        )
        return insert.returning(*CheckIn.__table__.columns)

    return _built_once(dialect, f"save_answer:{field}", build)


async def save_checkin_answer(
    session: AsyncSession, user_id: int, on: date, field: str, value: Any, now: datetime
) -> Row[Any] | None:
    """Write one answer and return the day's check-in row (its columns, as a `CheckIn` has them) with it; None
    (nothing written) if that check-in is already complete. Writing the same answer again leaves one row with
    that value (an upsert). Core, not the ORM: an ORM insert with parameters takes its bulk-insert path."""
    connection = await session.connection()
    result = await connection.execute(
        save_answer_statement(_dialect(session), field), {"user_id": user_id, "on": on, "now": now, "value": value}
    )
    return result.one_or_none()


async def mark_checkin_complete(session: AsyncSession, user_id: int, on: date, now: datetime) -> None:
    connection = await session.connection()  # Core: the ORM would first look for the rows it holds
    await connection.execute(_COMPLETE_CHECKIN, {"uid": user_id, "on": on, "now": now})


async def session_on(session: AsyncSession, user_id: int, on: date) -> SessionLog | None:
    result = await session.execute(_SESSION_ON, {"uid": user_id, "on": on})
    return result.scalar_one_or_none()


async def save_session_answer(
    session: AsyncSession, user_id: int, on: date, field: str, value: Any, now: datetime
) -> None:
    if field not in SESSION_FIELDS:
        raise ValueError(f"unknown session field {field!r}")
    values: dict[str, Any] = {field: value}
    if field == "done":
        # a new answer to "what did you do" starts the log again: the old numbers belonged to another answer
        values.update(run_minutes=None, pain_during=None, pain_after=None, rpe=None)
    statement = _insert(session, SessionLog).values(
        user_id=user_id, local_date=on, logged_at=now, **({"done": "skipped"} | values)
    )
    statement = statement.on_conflict_do_update(
        index_elements=["user_id", "local_date"], set_={**values, "logged_at": now}
    )
    await session.execute(statement)


async def save_session_values(
    session: AsyncSession, user_id: int, on: date, values: dict[str, Any], now: datetime
) -> None:
    """Write these columns of a day's session log at once (a watch file's session: `done`, its minutes and the
    file's data); the columns not given keep what they hold."""
    unknown = set(values) - set(SESSION_FIELDS) - set(SESSION_FILE_FIELDS)
    if unknown or "done" not in values:
        raise ValueError(f"not a session log's values: {sorted(values)}")
    statement = _insert(session, SessionLog).values(user_id=user_id, local_date=on, logged_at=now, **values)
    statement = statement.on_conflict_do_update(
        index_elements=["user_id", "local_date"], set_={**values, "logged_at": now}
    )
    await session.execute(statement)


async def add_event(session: AsyncSession, user_id: int, on: date, kind: str, now: datetime) -> None:
    statement = _insert(session, Event).values(user_id=user_id, local_date=on, kind=kind, created_at=now)
    await session.execute(statement.on_conflict_do_nothing(index_elements=["user_id", "local_date", "kind"]))


PLAN_EVENT = "clinician_plan"  # the engine's care-team adjustment; its payload is the adjustment


async def save_plan_event(
    session: AsyncSession, user_id: int, on: date, payload: dict[str, Any], actor_id: int, now: datetime
) -> None:
    """The day's care-team adjustment and who set it; a second one that day replaces it (the day's last wins).
    One upsert: two clinicians confirming at the same moment both succeed, the later commit wins (a read
    then an insert let the second hit the day's unique row on PostgreSQL)."""
    values = {"payload": payload, "actor_user_id": actor_id, "created_at": now}
    statement = _insert(session, Event).values(user_id=user_id, local_date=on, kind=PLAN_EVENT, **values)
    unique_day = ["user_id", "local_date", "kind"]
    await session.execute(statement.on_conflict_do_update(index_elements=unique_day, set_=values))


async def latest_plan_event(session: AsyncSession, user_id: int, since: date) -> tuple[Event, User | None] | None:
    """The runner's latest care-team adjustment from `since` on (an empty payload: cleared), with who set it."""
    result = await session.execute(
        select(Event)
        .where(Event.user_id == user_id, Event.kind == PLAN_EVENT, Event.local_date >= since)
        .order_by(Event.local_date.desc())
        .limit(1)
        .execution_options(populate_existing=True)  # an upsert in this unit of work may have changed it
    )
    event = result.scalar_one_or_none()
    if event is None:
        return None
    actor = await session.get(User, event.actor_user_id) if event.actor_user_id is not None else None
    return event, actor


async def add_pain_report(session: AsyncSession, user_id: int, on: date, kind: str, value: int, now: datetime) -> None:
    """Keep a pain report; the same report again that day (a double tap) adds nothing: the worst value wins anyway."""
    same = await session.execute(
        select(PainReport.id)
        .where(
            PainReport.user_id == user_id,
            PainReport.local_date == on,
            PainReport.kind == kind,
            PainReport.value == value,
        )
        .limit(1)
    )
    if same.first() is None:
        session.add(PainReport(user_id=user_id, local_date=on, kind=kind, value=value, reported_at=now))


async def history_rows(
    session: AsyncSession, user_id: int, since: date
) -> tuple[Sequence[CheckinRow], Sequence[SessionRow], Sequence[EventRow], Sequence[PainReportRow]]:
    """Everything the engine reads for a runner from `since` on, in four indexed queries: read-only rows
    with the columns of CheckIn, SessionLog, Event and PainReport as attributes (but ids and write times)."""
    parameters = {"uid": user_id, "since": since}
    checkins, sessions, events, reports = [
        (await session.execute(statement, parameters)).all() for statement in _HISTORY_SINCE
    ]
    return checkins, sessions, events, reports


async def history_fingerprints(
    session: AsyncSession, user_id: int, since: date, throughs: Sequence[date]
) -> list[tuple[Any, ...]]:
    """For each of one or two days `through`: how many rows the engine reads for the days since..through,
    and when the last was written. Every write of a check-in answer, a session, an event or a pain report
    changes it (rows are written with their write time, events and reports are only added or deleted).
    One statement of index-only scans (models.py)."""
    parameters: dict[str, Any] = {"uid": user_id, "since": since, "through": throughs[0]}
    if len(throughs) == 2:
        parameters["through_later"] = throughs[1]
    row = (await session.execute(_FINGERPRINTS[len(throughs) - 1], parameters)).one()
    return [tuple(row[i : i + _FINGERPRINT_WIDTH]) for i in range(0, len(row), _FINGERPRINT_WIDTH)]


async def engine_cache(session: AsyncSession, user_id: int) -> models.EngineCache | None:
    return await session.get(models.EngineCache, user_id)


async def save_engine_cache(
    session: AsyncSession, user_id: int, through: date, fingerprint: str, state: dict[str, Any], now: datetime
) -> None:
    values = {"through": through, "fingerprint": fingerprint, "state": state, "updated_at": now}
    statement = _insert(session, models.EngineCache).values(user_id=user_id, **values)
    await session.execute(statement.on_conflict_do_update(index_elements=["user_id"], set_=values))


async def decision_on(session: AsyncSession, user_id: int, on: date) -> DecisionRecord | None:
    result = await session.execute(_DECISION_ON, {"uid": user_id, "on": on})
    return result.scalar_one_or_none()


async def latest_decision_before(session: AsyncSession, user_id: int, on: date) -> DecisionRecord | None:
    result = await session.execute(_LATEST_DECISION_BEFORE, {"uid": user_id, "on": on})
    return result.scalar_one_or_none()


async def save_decision(session: AsyncSession, user_id: int, on: date, values: dict[str, Any]) -> None:
    statement = _insert(session, DecisionRecord).values(user_id=user_id, local_date=on, **values)
    await session.execute(statement.on_conflict_do_update(index_elements=["user_id", "local_date"], set_=values))


async def decisions_since(session: AsyncSession, user_id: int, since: date) -> Sequence[DecisionRecord]:
    result = await session.execute(
        select(DecisionRecord)
        .where(DecisionRecord.user_id == user_id, DecisionRecord.local_date >= since)
        .order_by(DecisionRecord.local_date)
    )
    return result.scalars().all()


async def open_pause(session: AsyncSession, user_id: int) -> Pause | None:
    result = await session.execute(
        select(Pause).where(Pause.user_id == user_id, Pause.ended_on.is_(None)).order_by(Pause.id.desc()).limit(1)
    )
    return result.scalar_one_or_none()


def claim_update_statement(dialect: str) -> Any:
    """Record an update id, unless it is recorded already. Parameters: update_id, user_id, now."""

    def build() -> Any:
        insert = _insert_for(dialect, ProcessedUpdate).values(
            update_id=bindparam("update_id"), user_id=bindparam("user_id"), processed_at=bindparam("now")
        )
        return insert.on_conflict_do_nothing(index_elements=["update_id"])

    return _built_once(dialect, "claim_update", build)


async def claim_update(session: AsyncSession, update_id: int, user_id: int | None, now: datetime) -> bool:
    """Record an update id; False if it was handled before (a replayed or duplicated update)."""
    statement = claim_update_statement(_dialect(session))
    connection = await session.connection()  # Core: an ORM insert with parameters would be a bulk insert
    result = await connection.execute(statement, {"update_id": update_id, "user_id": user_id, "now": now})
    return bool(result.rowcount)


# What deciding a check-in tap needs to know about the runner (bot/storage/taps.py), their row locked.
TAP_RUNNER = (
    select(
        User.id,
        User.chat_id,
        User.active,
        User.time_zone,
        User.flow,
        User.flow_step,
        User.flow_data,
        User.last_prompted_for,
        User.onboarded_at.is_not(None),
        User.language,
        User.language_chosen,
        User.telegram_language,
    )
    .where(User.telegram_id == bindparam("telegram_id"))
    .with_for_update()
)


async def prune_processed_updates(session: AsyncSession, before: datetime) -> int:
    """Forget update ids handled before `before` (Telegram re-delivers an update for at most 24 hours)."""
    result = await session.execute(delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < before))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def export_rows(session: AsyncSession, user_id: int) -> dict[str, list[dict[str, Any]]]:
    """Every row of a runner's, table by table, as plain dicts."""

    def as_dict(row: models.Base) -> dict[str, Any]:
        return {column.key: getattr(row, column.key) for column in row.__mapper__.column_attrs}

    user = await session.get(User, user_id)
    profile = await session.get(Profile, user_id)
    out: dict[str, list[dict[str, Any]]] = {
        "users": [as_dict(user)] if user else [],
        "profiles": [as_dict(profile)] if profile else [],
    }
    for table in USER_TABLES:
        column = table.__table__.c.user_id  # type: ignore[attr-defined]
        rows = (await session.execute(select(table).where(column == user_id))).scalars().all()
        out[table.__tablename__] = [as_dict(row) for row in rows]
    # the care team: follows on either side, and the invitations the runner made (only a hash of each code)
    follows = await session.execute(
        select(models.Follow).where(
            (models.Follow.runner_user_id == user_id) | (models.Follow.follower_user_id == user_id)
        )
    )
    out["follows"] = [as_dict(row) for row in follows.scalars().all()]
    invitations = await session.execute(select(models.Invitation).where(models.Invitation.runner_user_id == user_id))
    out["invitations"] = [as_dict(row) for row in invitations.scalars().all()]
    return out


async def delete_user(session: AsyncSession, user_id: int) -> None:
    """Erase a runner: every table explicitly (not only through ON DELETE CASCADE), then the user."""
    for table in (*USER_TABLES, Profile):
        column = table.__table__.c.user_id  # type: ignore[attr-defined]
        await session.execute(delete(table).where(column == user_id))  # type: ignore[arg-type]
    await session.execute(delete(User).where(User.id == user_id))


async def flush(session: AsyncSession) -> None:
    """Send what this unit of work changed so far to the database (still uncommitted), for the reads after."""
    await session.flush()


async def create_profile(session: AsyncSession, user_id: int, **values: Any) -> Profile:
    profile = Profile(user_id=user_id, **values)
    session.add(profile)
    await session.flush()
    return profile


async def start_pause(session: AsyncSession, user_id: int, on: date, reasons: list[str], now: datetime) -> None:
    session.add(Pause(user_id=user_id, started_on=on, reasons=reasons, created_at=now))


async def mark_blocked(session: AsyncSession, chat_id: int) -> None:
    """The person behind this chat blocked the bot: no prompt or reminder until they write again."""
    await session.execute(update(User).where(User.chat_id == chat_id).values(active=False, reminder_at=None))


async def pauses_between(session: AsyncSession, user_id: int, since: date, until: date) -> Sequence[Pause]:
    """Every pause that was in force on a day from `since` to `until`, the earliest first."""
    result = await session.execute(
        select(Pause)
        .where(
            Pause.user_id == user_id,
            Pause.started_on <= until,
            (Pause.ended_on.is_(None)) | (Pause.ended_on >= since),
        )
        .order_by(Pause.started_on, Pause.id)
    )
    return result.scalars().all()
