"""The bot's send budget shared by every worker (PostgreSQL): one row holds when the next message may leave.

Each message reserves the slot after it with one UPDATE (a generic cell rate algorithm, no polling), so all
workers together stay under Telegram's rate whatever their number, and a worker with nothing to send takes
no share. On SQLite (one process) the in-process limiter does all this.
"""

from __future__ import annotations

from sqlalchemy import Float, bindparam, cast, extract, func, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.models import SendBudget

_INTERVAL = bindparam("interval", type_=Float)
_RESERVE = (
    update(SendBudget)
    .where(SendBudget.id == 1)
    .values(
        next_at=func.greatest(SendBudget.next_at, func.clock_timestamp())
        + func.make_interval(0, 0, 0, 0, 0, 0, _INTERVAL)
    )
    .returning(cast(extract("epoch", SendBudget.next_at - func.clock_timestamp()), Float) - _INTERVAL)
)


async def reserve(engine: AsyncEngine, interval_s: float) -> float:
    """Reserve the next slot, `interval_s` after the previous one: how many seconds from now it starts."""
    async with engine.connect() as connection:
        wait = float((await connection.execute(_RESERVE, {"interval": interval_s})).scalar_one())
        await connection.commit()
    return wait
