"""The care team's rows: invitations and follows (who follows which runner, in which role)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage import models
from bot.storage.models import Follow, Invitation, User


async def user_by_id(session: AsyncSession, user_id: int) -> User | None:
    return await session.get(User, user_id)


async def add_invitation(
    session: AsyncSession, runner_id: int, code_hash: str, role: str, now: datetime, expires_at: datetime
) -> None:
    session.add(
        Invitation(runner_user_id=runner_id, code_hash=code_hash, role=role, created_at=now, expires_at=expires_at)
    )


async def invitation_by_code_hash(session: AsyncSession, code_hash: str) -> Invitation | None:
    result = await session.execute(select(Invitation).where(Invitation.code_hash == code_hash))
    return result.scalar_one_or_none()


async def invitation(session: AsyncSession, invitation_id: int) -> Invitation | None:
    return await session.get(Invitation, invitation_id)


async def follow(session: AsyncSession, follow_id: int) -> Follow | None:
    return await session.get(Follow, follow_id)


async def active_follow(session: AsyncSession, runner_id: int, follower_id: int) -> Follow | None:
    result = await session.execute(
        select(Follow).where(
            Follow.runner_user_id == runner_id, Follow.follower_user_id == follower_id, Follow.active.is_(True)
        )
    )
    return result.scalar_one_or_none()


async def new_follow(session: AsyncSession, runner_id: int, follower_id: int, role: str, now: datetime) -> Follow:
    """A follow waiting for the runner's confirmation, in place of any earlier one of the same two people."""
    existing = (
        await session.execute(
            select(Follow).where(Follow.runner_user_id == runner_id, Follow.follower_user_id == follower_id)
        )
    ).scalar_one_or_none()
    if existing is not None:
        await session.delete(existing)
        await session.flush()
    created = Follow(runner_user_id=runner_id, follower_user_id=follower_id, role=role, active=False, created_at=now)
    session.add(created)
    await session.flush()
    return created


async def remove_follow(session: AsyncSession, removed: Follow) -> None:
    await session.delete(removed)


async def active_followers(session: AsyncSession, runner_id: int) -> list[tuple[Follow, User]]:
    """The runner's confirmed followers who have not blocked the bot, oldest follow first."""
    result = await session.execute(
        select(Follow, User)
        .join(User, User.id == Follow.follower_user_id)
        .where(Follow.runner_user_id == runner_id, Follow.active.is_(True), User.active.is_(True))
        .order_by(Follow.id)
    )
    return [(f, u) for f, u in result.all()]


async def team_of(session: AsyncSession, runner_id: int) -> list[tuple[Follow, User]]:
    """Every follow of the runner's, confirmed or waiting, with the follower."""
    result = await session.execute(
        select(Follow, User)
        .join(User, User.id == Follow.follower_user_id)
        .where(Follow.runner_user_id == runner_id)
        .order_by(Follow.id)
    )
    return [(f, u) for f, u in result.all()]


async def followed_runners(session: AsyncSession, follower_id: int) -> list[tuple[Follow, User]]:
    result = await session.execute(
        select(Follow, User)
        .join(User, User.id == Follow.runner_user_id)
        .where(Follow.follower_user_id == follower_id, Follow.active.is_(True))
        .order_by(Follow.id)
    )
    return [(f, u) for f, u in result.all()]


async def set_event_actor(session: AsyncSession, runner_id: int, on: date, kind: str, actor_id: int) -> None:
    """Who recorded that event (a clinician for the runner)."""
    row = (
        await session.execute(
            select(models.Event).where(
                models.Event.user_id == runner_id, models.Event.local_date == on, models.Event.kind == kind
            )
        )
    ).scalar_one()
    row.actor_user_id = actor_id


async def due_summaries(session: AsyncSession, now: datetime, limit: int) -> list[User]:
    """Followers whose weekly summary is due, claimed: several workers (PostgreSQL) each take other rows."""
    result = await session.execute(
        select(User)
        .where(User.active.is_(True), User.next_summary_at <= now)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(result.scalars().all())


async def forget_follows(session: AsyncSession, user_id: int) -> None:
    """For /delete: every follow and invitation the user is part of, either side."""
    await session.execute(
        delete(Follow).where((Follow.runner_user_id == user_id) | (Follow.follower_user_id == user_id))
    )
    await session.execute(delete(Invitation).where(Invitation.runner_user_id == user_id))
