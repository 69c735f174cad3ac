""" "What's today?": the day's plan, decided now, and a nudge to check in if that is still to do."""

from __future__ import annotations

from bot.replies import Outcome
from bot.storage import repository
from bot.usecases import buttons as b
from bot.usecases import plan
from bot.usecases.context import RunnerContext, long_day
from bot.usecases.decisions import decided, plan_outcome


async def today(ctx: RunnerContext) -> Outcome:
    texts = ctx.texts
    day = ctx.today
    row = await repository.checkin_on(ctx.session, ctx.user.id, day)
    change = await decided(ctx, day)
    outcome = plan_outcome(ctx, change, texts.TODAY_PLAN_HEADER.format(day=long_day(day, texts=texts)))
    if not plan.is_complete(row):
        outcome.say(ctx.user.chat_id, texts.TODAY_NEEDS_CHECKIN, (((texts.CHECKIN_NOW_BUTTON, b.CheckinNow()),),))
    return outcome
