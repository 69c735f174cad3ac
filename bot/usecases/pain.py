"""Pain, pause and resume: a pain report (/pain or "my shin hurts"), a pause asked for, a resume asked for
(refused while the protocol says no), and a clearance the runner reports from their own clinician."""

from __future__ import annotations

from bot.replies import Button, Keyboard, Outcome, rows, scale_keyboard
from bot.storage import repository
from bot.usecases import buttons as b
from bot.usecases import plan
from bot.usecases.context import RunnerContext, say
from bot.usecases.decisions import decided, plan_outcome
from engine.model import Event

LEVEL_KINDS = ("rest", "walking", "run")  # reported with a 0–10 level; the others are yes by being reported
MAX_LEVEL = 10


async def ask_kind(ctx: RunnerContext) -> Outcome:
    texts = ctx.texts
    buttons: list[Button] = [(label, b.PainKind(key)) for key, label in texts.PAIN_KINDS.items()]
    return say(ctx, texts.ASK_PAIN_KIND, rows(buttons, 2))


async def report(ctx: RunnerContext, kind: str, level: int | None) -> Outcome:
    """A kind of pain tapped (with its level, for the kinds that have one): kept, and the day decided again."""
    texts = ctx.texts
    if kind not in texts.PAIN_KINDS:
        return Outcome(notice=texts.FORGED_BUTTON)
    if kind in LEVEL_KINDS:
        if level is None:
            keyboard = scale_keyboard(lambda value: b.PainLevel(kind, value))
            return say(ctx, f"{texts.PAIN_KINDS[kind]}: {texts.ASK_PAIN_LEVEL}", keyboard)
        if level > MAX_LEVEL:
            return Outcome(notice=texts.FORGED_BUTTON)
        value = level
    else:
        if level is not None:
            return Outcome(notice=texts.FORGED_BUTTON)
        value = 1
    day = ctx.today
    await repository.add_pain_report(ctx.session, ctx.user.id, day, kind, value, ctx.now)
    await repository.flush(ctx.session)
    change = await decided(ctx, day)
    if change.pause_started:
        return plan_outcome(ctx, change, None)
    outcome = say(ctx, texts.PAIN_NOTED if not change.decision.paused else texts.PAUSED_NOW)
    outcome.replies.extend(plan_outcome(ctx, change, texts.PLAN_NOW_HEADER).replies)
    return outcome


async def pause(ctx: RunnerContext) -> Outcome:
    texts = ctx.texts
    await repository.add_event(ctx.session, ctx.user.id, ctx.today, Event.PAUSE_REQUESTED, ctx.now)
    change = await decided(ctx, ctx.today)
    outcome = say(ctx, texts.PAUSE_CONFIRMED)
    outcome.replies.extend(plan_outcome(ctx, change, None).replies)
    return outcome


async def resume(ctx: RunnerContext) -> Outcome:
    texts = ctx.texts
    current = await decided(ctx, ctx.today)
    if not current.decision.paused:
        return say(ctx, texts.NOT_PAUSED)
    await repository.add_event(ctx.session, ctx.user.id, ctx.today, Event.RESUME_REQUESTED, ctx.now)
    await repository.flush(ctx.session)
    change = await decided(ctx, ctx.today)
    if change.decision.paused:
        keyboard: Keyboard = (((texts.SELF_CLEARED_BUTTON, b.SelfClearance("ask")),),)
        return say(ctx, f"{texts.RESUME_REFUSED}\n\n{plan.describe(change.decision, texts.language)}", keyboard)
    return plan_outcome(ctx, change, None)


async def self_reported_clearance(ctx: RunnerContext, answer: str) -> Outcome:
    """The runner tells us their clinician cleared them (for runners whose clinician does not follow them
    here): asked to confirm first, then recorded as the engine's `clinician_cleared` event for today."""
    texts = ctx.texts
    if answer == "ask":
        keyboard: Keyboard = (((texts.SELF_CLEARED_YES, b.SelfClearance("yes")), (texts.NO, b.SelfClearance("no"))),)
        return say(ctx, texts.SELF_CLEARED_CONFIRM.format(day=ctx.today.isoformat()), keyboard)
    if answer != "yes":
        return say(ctx, texts.SELF_CLEARED_NOT_RECORDED)
    await repository.add_event(ctx.session, ctx.user.id, ctx.today, Event.CLINICIAN_CLEARED, ctx.now)
    await repository.flush(ctx.session)
    change = await decided(ctx, ctx.today)
    if change.decision.paused:
        return say(ctx, f"{texts.SELF_CLEARED_RECORDED}\n\n{plan.describe(change.decision, texts.language)}")
    return plan_outcome(ctx, change, texts.SELF_CLEARED_RECORDED)
