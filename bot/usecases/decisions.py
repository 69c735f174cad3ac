"""Deciding a runner's day (the engine, through plan.py) and saying the plan, with what followers are told."""

from __future__ import annotations

from datetime import date

from bot.replies import Outcome
from bot.storage import repository
from bot.usecases import plan
from bot.usecases.alerts import decision_alerts
from bot.usecases.context import RunnerContext, format_day, say
from bot.usecases.reports import reevaluation


async def decide(ctx: RunnerContext, day: date) -> plan.DecisionChange | None:
    """Decide a day for this runner and queue what their followers must be told about it."""
    change = await plan.decide_and_store(ctx.session, ctx.user.id, day, ctx.now)
    if change is not None:
        await decision_alerts(ctx, change, day)
        if "reevaluate" in change.new_reasons:
            ctx.also.extend(await reevaluation(ctx.session, ctx.user, day))
    return change


async def decided(ctx: RunnerContext, day: date) -> plan.DecisionChange:
    """`decide` for an onboarded runner (who always has a profile, so a decision)."""
    change = await decide(ctx, day)
    assert change is not None
    return change


def plan_outcome(ctx: RunnerContext, change: plan.DecisionChange, header: str | None) -> Outcome:
    texts = ctx.texts
    text = plan.describe(change.decision, ctx.texts.language)
    if change.pause_started:
        text = f"{texts.PAUSED_NOW}\n\n{text}"
        if "clinician" not in text:  # the engine's pause messages say it; make sure every pause does
            text = f"{text}\n\n{texts.CONTACT_CLINICIAN}"
    elif change.pause_ended:
        text = f"{texts.RESUMED}\n\n{text}"
    if header:
        text = f"{header}\n\n{text}"
    return say(ctx, text)


async def give_plan(ctx: RunnerContext, day: date) -> Outcome:
    """The check-in of `day` is complete: close it to changes and give the day's plan."""
    texts = ctx.texts
    await repository.mark_checkin_complete(ctx.session, ctx.user.id, day, ctx.now)
    change = await decided(ctx, day)
    header = texts.CHECKIN_DONE_HEADER.format(day=format_day(day, ctx.today, texts=texts))
    return plan_outcome(ctx, change, header)
