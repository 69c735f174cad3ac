"""Who may see a runner's data: the runner, and whoever actively follows them (a clinician for clinical acts)."""

from __future__ import annotations

from bot.replies import Outcome
from bot.storage import follows, models
from bot.usecases.context import RunnerContext


async def followed(ctx: RunnerContext, runner_id: int, clinician: bool = False) -> models.User | Outcome:
    """The runner, if this person actively follows them (as a clinician, if asked); else the refusal."""
    texts = ctx.texts
    follow = await follows.active_follow(ctx.session, runner_id, ctx.user.id)
    if follow is None:
        return Outcome(notice=texts.NOT_FOLLOWING)
    if clinician and follow.role != "clinician":
        return Outcome(notice=texts.NOT_CLINICIAN)
    runner = await follows.user_by_id(ctx.session, runner_id)
    if runner is None:
        return Outcome(notice=texts.NOT_FOLLOWING)
    return runner
