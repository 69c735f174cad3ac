"""The database schema as SQLAlchemy models. It changes only through Alembic migrations in migrations/.

Times are stored in UTC; a check-in, a session and an event belong to the runner's *local* date.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _user_fk() -> Mapped[int]:
    return mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)


class User(Base):
    """A runner (or, later, a follower) known by their Telegram id."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)  # indexed: a 403 finds the runner by chat
    first_name: Mapped[str | None] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(8), default="en")  # their choice in /settings, if chosen
    language_chosen: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    telegram_language: Mapped[str | None] = mapped_column(String(16))  # Telegram's language_code, last seen
    distance_unit: Mapped[str | None] = mapped_column(String(2))  # "km" or "mi"; None: from the language (0010)
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    checkin_minute: Mapped[int] = mapped_column(Integer, default=7 * 60)  # minutes after local midnight
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    consented_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    onboarded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # The conversation the runner is in (onboarding, check-in, log, pain report...) and its answers so far:
    # kept in the database so that a restart continues where the runner stopped.
    flow: Mapped[str | None] = mapped_column(String(32))
    flow_step: Mapped[str | None] = mapped_column(String(32))
    flow_data: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Scheduling: the next morning prompt (UTC) and the local date it is for.
    next_prompt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    next_prompt_for: Mapped[date | None] = mapped_column(Date)
    last_prompted_for: Mapped[date | None] = mapped_column(Date)
    reminder_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    # Followers (coach, clinician) get a weekly summary on Sunday evening in their own zone.
    next_summary_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    # Several workers (PostgreSQL): the worker that claimed this morning's prompt, until when (a lease it renews
    # while alive), and when it began to send it (set: the outcome is Telegram's, never sent again).
    prompt_claimed_by: Mapped[str | None] = mapped_column(String(64))
    prompt_claimed_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    prompt_attempted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # missed check-ins (0006): said once per silence, reset by the next check-in
    silence_nudged: Mapped[bool | None] = mapped_column(Boolean, default=False)  # None (older rows) = False
    silence_alerted: Mapped[bool | None] = mapped_column(Boolean, default=False)


class Profile(Base):
    """The injury and the runner's pre-injury running: the engine's `Profile`."""

    __tablename__ = "profiles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    injury_site: Mapped[str] = mapped_column(String(32))
    diagnosed_on: Mapped[date] = mapped_column(Date)
    cleared_to_run_on: Mapped[date | None] = mapped_column(Date)
    pre_injury_weekly_minutes: Mapped[int] = mapped_column(Integer)
    pre_injury_runs_per_week: Mapped[int] = mapped_column(Integer)
    reds_answers: Mapped[dict[str, bool]] = mapped_column(JSON, default=dict)
    reds_positive: Mapped[int] = mapped_column(Integer, default=0)
    started_on: Mapped[date] = mapped_column(Date)  # first local day the engine decides for
    silence_alert_days: Mapped[int | None] = mapped_column(Integer)  # set by a clinician, 2-7 (0006)


class CheckIn(Base):
    """One morning check-in; each answer is written on its own, so a half-done check-in is kept."""

    __tablename__ = "checkins"
    __table_args__ = (
        UniqueConstraint("user_id", "local_date"),
        # covers the engine cache's fingerprint (count and latest write of a runner's days): no row reads
        Index(None, "user_id", "local_date", "updated_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = _user_fk()
    local_date: Mapped[date] = mapped_column(Date)
    pain_rest: Mapped[int | None] = mapped_column(Integer)
    pain_walking: Mapped[int | None] = mapped_column(Integer)
    pain_next_day: Mapped[int | None] = mapped_column(Integer)
    tenderness: Mapped[bool | None] = mapped_column(Boolean)
    swelling: Mapped[bool | None] = mapped_column(Boolean)
    limping: Mapped[bool | None] = mapped_column(Boolean)
    night_pain: Mapped[bool | None] = mapped_column(Boolean)
    sleep_hours: Mapped[float | None] = mapped_column(Float)
    fatigue: Mapped[int | None] = mapped_column(Integer)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SessionLog(Base):
    """What the runner did on a local date, after that day's prescription."""

    __tablename__ = "session_logs"
    __table_args__ = (
        UniqueConstraint("user_id", "local_date"),
        Index(None, "user_id", "local_date", "logged_at"),  # the engine cache's fingerprint
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = _user_fk()
    local_date: Mapped[date] = mapped_column(Date)
    done: Mapped[str] = mapped_column(String(16))
    run_minutes: Mapped[float | None] = mapped_column(Float)
    pain_during: Mapped[int | None] = mapped_column(Integer)
    pain_after: Mapped[int | None] = mapped_column(Integer)
    rpe: Mapped[float | None] = mapped_column(Float)
    # from a watch file (issue 17); all None for a typed log. `source`: gpx, tcx or fit
    source: Mapped[str | None] = mapped_column(String(8))
    sport: Mapped[str | None] = mapped_column(String(16))
    distance_km: Mapped[float | None] = mapped_column(Float)
    avg_hr: Mapped[int | None] = mapped_column(Integer)
    avg_cadence: Mapped[int | None] = mapped_column(Integer)  # steps per minute, both feet
    walk_minutes: Mapped[float | None] = mapped_column(Float)
    logged_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PainReport(Base):
    """A pain report between check-ins (`/pain`): merged into that day's check-in, worst value wins."""

    __tablename__ = "pain_reports"
    __table_args__ = (Index(None, "user_id", "local_date"),)  # history and fingerprint by date range

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = _user_fk()
    local_date: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[int] = mapped_column(Integer)
    reported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Event(Base):
    """An engine event on a local date: readiness confirmed, clinician cleared, pause/resume asked."""

    __tablename__ = "events"
    __table_args__ = (UniqueConstraint("user_id", "local_date", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = _user_fk()
    local_date: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # who recorded it, when not the runner (a clinician's clearance)
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # clinician_plan: the adjustment (0006)


class DecisionRecord(Base):
    """The prescription given for a local date (the latest one, if it was re-decided that day)."""

    __tablename__ = "decisions"
    __table_args__ = (UniqueConstraint("user_id", "local_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = _user_fk()
    local_date: Mapped[date] = mapped_column(Date)
    action: Mapped[str] = mapped_column(String(16))
    level: Mapped[int | None] = mapped_column(Integer)
    paused: Mapped[bool] = mapped_column(Boolean)
    reasons: Mapped[list[str]] = mapped_column(JSON)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    protocol_version: Mapped[str] = mapped_column(String(16))
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Pause(Base):
    """A pause of the plan, from the day the engine first paused to the day it resumed."""

    __tablename__ = "pauses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = _user_fk()
    started_on: Mapped[date] = mapped_column(Date)
    reasons: Mapped[list[str]] = mapped_column(JSON)
    ended_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ProcessedUpdate(Base):
    """Telegram update ids already handled, so that a replayed update changes nothing twice."""

    __tablename__ = "processed_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    processed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)  # the prune (migration 0005)


class Invitation(Base):
    """A one-time invitation to follow a runner. Only a hash of the code is kept."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    runner_user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Follow(Base):
    """A follower (coach or clinician) of a runner: pending until the runner confirms, then active."""

    __tablename__ = "follows"
    __table_args__ = (UniqueConstraint("runner_user_id", "follower_user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    runner_user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    follower_user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # issue 16 (migration 0006): which alerts come at once, and the 10-minute window against alert storms
    alert_prefs: Mapped[dict[str, str] | None] = mapped_column(JSON)
    last_alert_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_alert_message_id: Mapped[int | None] = mapped_column(BigInteger)
    last_alert_text: Mapped[str | None] = mapped_column(Text)
    held_alerts: Mapped[list[str] | None] = mapped_column(JSON)
    held_since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    held_due: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    # alerts the follower chose to read in their weekly summary instead of at once (0007)
    summary_alerts: Mapped[list[str] | None] = mapped_column(JSON)


class EngineCache(Base):
    """The engine's state after a runner's days up to `through`: a cache, so that deciding a day replays
    only the days since instead of the whole history (deleting a row changes no decision).

    `fingerprint` sums up what the engine read for those days (the profile, the protocol version, and the
    number and latest write time of the check-ins, sessions, events and pain reports): a retroactive change
    made through the repository gives another fingerprint, and the state is replayed again. A change made
    by hand in SQL must set the row's write time too, or delete the runner's row here.
    """

    __tablename__ = "engine_states"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    through: Mapped[date] = mapped_column(Date)
    fingerprint: Mapped[str] = mapped_column(String(64))
    state: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SendBudget(Base):
    """One row: when the bot's next message may leave, shared by every worker (Telegram's ~30 messages a second
    are per bot). Each send reserves the next slot with one UPDATE (see bot/storage/send_budget.py)."""

    __tablename__ = "send_budget"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    next_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
