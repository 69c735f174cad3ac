"""The care team's alerts (issue 16): held alerts that are due, a follower's follows, the runner's last
check-in (missed check-ins)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import CheckIn, Follow, Profile, User


async def last_checkin_before(session: AsyncSession, user_id: int, day: date) -> date | None:
    """The local date of the runner's latest completed check-in before `day`."""
    result = await session.execute(
        select(func.max(CheckIn.local_date)).where(
            CheckIn.user_id == user_id, CheckIn.local_date < day, CheckIn.completed_at.is_not(None)
        )
    )
    return result.scalar_one_or_none()


async def due_held(session: AsyncSession, now: datetime, limit: int) -> list[tuple[Follow, User]]:
    """Follows whose held alerts are due, with the follower, claimed: several workers (PostgreSQL) each take
    other rows."""
    result = await session.execute(
        select(Follow, User)
        .join(User, User.id == Follow.follower_user_id)
        .where(Follow.held_due <= now, Follow.active.is_(True))
        .order_by(Follow.held_due)
        .limit(limit)
        .with_for_update(of=Follow, skip_locked=True)
    )
    return [(f, u) for f, u in result.all()]


async def follows_of(session: AsyncSession, follower_id: int) -> list[Follow]:
    """Every follow of this follower, active or waiting (their alert preferences apply to all)."""
    result = await session.execute(select(Follow).where(Follow.follower_user_id == follower_id).order_by(Follow.id))
    return list(result.scalars().all())


async def last_checkins(session: AsyncSession, user_ids: list[int], before: date) -> dict[int, date]:
    """For a batch of runners: the local date of each one's latest completed check-in before `before`."""
    if not user_ids:
        return {}
    result = await session.execute(
        select(CheckIn.user_id, func.max(CheckIn.local_date))
        .where(CheckIn.user_id.in_(user_ids), CheckIn.local_date < before, CheckIn.completed_at.is_not(None))
        .group_by(CheckIn.user_id)
    )
    return {user_id: last for user_id, last in result.all()}


@dataclass(frozen=True)
class SilenceFacts:
    """What the morning round needs to know about a runner's silence."""

    started_on: date
    alert_after: int | None  # a clinician's threshold (days), if set
    last_checkin: date | None


async def silence_facts(session: AsyncSession, user_ids: list[int], before: date) -> dict[int, SilenceFacts]:
    """For a batch of runners (two queries, not two per runner)."""
    if not user_ids:
        return {}
    last = await last_checkins(session, user_ids, before)
    result = await session.execute(
        select(Profile.user_id, Profile.started_on, Profile.silence_alert_days).where(Profile.user_id.in_(user_ids))
    )
    return {uid: SilenceFacts(started, days, last.get(uid)) for uid, started, days in result.all()}
