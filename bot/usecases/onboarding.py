"""Onboarding and settings as one conversation over the table of steps (bot/usecases/steps.py): ask a step,
take its answer, go on to the next, and at the end keep what was answered.

The flow and its answers so far live in the person's row (`flow`, `flow_step`, `flow_data`), so a restart,
or another worker, continues where they stopped. Flows: "onboarding" (every step), "settings" (one setting,
or the four REDs questions), "ready" (the readiness checks again), "follower" (a new follower's time zone).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.replies import Outcome
from bot.storage import models, repository
from bot.timezones import format_clock_time
from bot.usecases import buttons as b
from bot.usecases.context import RunnerContext, end_flow, language_code, name_suffix, say
from bot.usecases.schedule import schedule_prompt, schedule_summary
from bot.usecases.steps import READY_STEPS, REDS_STEPS, STEPS, Refusal, steps_in
from engine.model import Event
from engine.protocol import HIGH_RISK_SITES, SITES

ONBOARDING_STEPS = (
    "consent",
    "timezone",
    "site",
    "diagnosed",
    "cleared",
    "cleared_date",
    "weekly_minutes",
    "runs_per_week",
    *READY_STEPS,
    *REDS_STEPS,
    "reds_review",
    "checkin_time",
)
FLOWS_OF_STEPS = ("onboarding", "settings", "ready", "follower")


def ask(ctx: RunnerContext, step: str) -> Outcome:
    declared = steps_in(language_code(ctx.user))[step]
    return say(ctx, declared.question, declared.keyboard(step))


async def start(ctx: RunnerContext) -> Outcome:
    """/start: welcome back, go on with an unfinished onboarding, or begin it."""
    texts = ctx.texts
    user = ctx.user
    if user.onboarded_at is not None:
        return say(ctx, texts.WELCOME_BACK.format(name=name_suffix(user)))
    if user.flow == "onboarding" and user.flow_step is not None:
        return await continue_onboarding(ctx, texts.ONBOARDING_RESUME)
    user.flow, user.flow_step, user.flow_data = "onboarding", "consent", {}
    return ask(ctx, "consent")


async def continue_onboarding(ctx: RunnerContext, preface: str) -> Outcome:
    """Anything else from someone not yet onboarded: `preface`, then the question they stopped at."""
    texts = ctx.texts
    user = ctx.user
    if user.flow != "onboarding" or user.flow_step is None:
        return say(ctx, preface)
    if preface == texts.NOT_ONBOARDED:
        preface = texts.FINISH_ONBOARDING
    outcome = say(ctx, preface)
    outcome.replies.extend(ask(ctx, user.flow_step).replies)
    return outcome


async def tapped(ctx: RunnerContext, button: b.StepAnswer) -> Outcome:
    """A button of a step: only the question open now takes it."""
    texts = ctx.texts
    if ctx.user.flow not in FLOWS_OF_STEPS or ctx.user.flow_step != button.step:
        return Outcome(notice=texts.STALE_BUTTON)
    return await answer(ctx, button.step, button.value)


async def answer(ctx: RunnerContext, step: str, raw: str) -> Outcome:
    """Validate and keep one onboarding/settings answer, then ask what comes next."""
    texts = ctx.texts
    declared = STEPS.get(step)
    if declared is None:
        return say(ctx, texts.FORGED_BUTTON)
    user = ctx.user
    value = declared.parse(raw, ctx.today)
    if isinstance(value, Refusal):
        if value.ends_flow:
            end_flow(user)
        return say(ctx, ctx.texts.language.gettext(value.text))  # a Refusal's text is one of bot/texts/
    profile = await repository.profile_of(ctx.session, user.id)
    if declared.apply_to_user is not None:
        declared.apply_to_user(user, value, ctx.now)
    data: dict[str, Any] = dict(user.flow_data or {})
    data[step] = value
    user.flow_data = data
    outcome = Outcome()
    if step == "site" and raw in HIGH_RISK_SITES:
        outcome.say(user.chat_id, texts.HIGH_RISK_SITE.format(site=texts.language.gettext(SITES[raw].name)))
    if profile is not None and declared.apply_to_profile is not None:
        declared.apply_to_profile(profile, value)
    following = next_step(user.flow or "", step, data, profile)
    if following is None:
        outcome.replies.extend((await _finish(ctx, data, profile)).replies)
    else:
        user.flow_step = following
        outcome.replies.extend(ask(ctx, following).replies)
    return outcome


def next_step(flow: str, step: str, data: dict[str, Any], profile: models.Profile | None) -> str | None:
    if step == "cleared":
        return "cleared_date" if data.get("cleared") else _after(flow, "cleared_date", data, profile)
    return _after(flow, step, data, profile)


def _after(flow: str, step: str, data: dict[str, Any], profile: models.Profile | None) -> str | None:
    order: tuple[str, ...]
    if flow == "onboarding":
        order = ONBOARDING_STEPS
    elif flow == "ready":
        order = (*READY_STEPS, "reds_review")
    elif step in READY_STEPS:
        order = READY_STEPS
    elif step in REDS_STEPS:
        order = REDS_STEPS
    else:
        return None  # a single settings answer
    index = order.index(step) + 1 if step in order else len(order)
    while index < len(order):
        candidate = order[index]
        if candidate == "reds_review" and _reds_positive(data, profile) < 2:
            index += 1
            continue
        if candidate == "reds_review" and flow == "ready" and not _reds_review_needed(data, profile):
            index += 1
            continue
        return candidate
    return None


def _reds_positive(data: dict[str, Any], profile: models.Profile | None) -> int:
    answered = [data[s] for s in REDS_STEPS if s in data]
    if answered:
        return sum(1 for v in answered if v is True)
    return profile.reds_positive if profile is not None else 0


def _reds_review_needed(data: dict[str, Any], profile: models.Profile | None) -> bool:
    return profile is not None and profile.reds_positive >= 2 and not data.get("reds_reviewed_before")


async def _finish(ctx: RunnerContext, data: dict[str, Any], profile: models.Profile | None) -> Outcome:
    texts = ctx.texts
    user = ctx.user
    flow = user.flow
    end_flow(user)
    outcome = Outcome()
    if flow == "follower":
        schedule_summary(user, ctx.now)
        outcome.say(user.chat_id, texts.SETTINGS_SAVED)
        return outcome
    if flow == "onboarding":
        profile = await _create_profile(ctx, data)
        user.onboarded_at = ctx.now
    assert profile is not None
    if flow in ("onboarding", "ready") or any(s in data for s in READY_STEPS):
        outcome.replies.extend((await _record_readiness(ctx, data, profile)).replies)
    if any(s in data for s in REDS_STEPS) and profile.reds_positive:
        outcome.say(user.chat_id, texts.REDS_ADVICE.format(count=profile.reds_positive))
    if data.get("reds_review") is True:
        await repository.add_event(ctx.session, user.id, ctx.today, Event.REDS_REVIEW_CONFIRMED, ctx.now)
    elif profile.reds_positive >= 2 and "reds_review" in data:
        outcome.say(user.chat_id, texts.REDS_REVIEW_NEEDED)
    if flow == "onboarding":
        schedule_prompt(user, ctx.now)
        outcome.say(
            user.chat_id,
            texts.ONBOARDED.format(time=format_clock_time(user.checkin_minute), zone=user.time_zone),
            (((texts.CHECKIN_NOW_BUTTON, b.CheckinNow()),),),
        )
    else:
        if user.onboarded_at is not None and ("checkin_time" in data or "timezone" in data):
            schedule_prompt(user, ctx.now)
        outcome.say(user.chat_id, texts.SETTINGS_SAVED)
    return outcome


async def _create_profile(ctx: RunnerContext, data: dict[str, Any]) -> models.Profile:
    reds = {s.removeprefix("reds_"): data.get(s) for s in REDS_STEPS}
    return await repository.create_profile(
        ctx.session,
        ctx.user.id,
        injury_site=data["site"],
        diagnosed_on=date.fromisoformat(data["diagnosed"]),
        cleared_to_run_on=date.fromisoformat(data["cleared_date"]) if data.get("cleared") else None,
        pre_injury_weekly_minutes=data["weekly_minutes"],
        pre_injury_runs_per_week=data["runs_per_week"],
        reds_answers=reds,
        reds_positive=sum(1 for v in reds.values() if v is True),
        started_on=ctx.today,
    )


async def _record_readiness(ctx: RunnerContext, data: dict[str, Any], profile: models.Profile) -> Outcome:
    texts = ctx.texts
    if not all(s in data for s in READY_STEPS):
        return Outcome()
    if not all(data[s] is True for s in READY_STEPS):
        return say(ctx, texts.READINESS_NOT_YET)
    if profile.cleared_to_run_on is None or profile.cleared_to_run_on > ctx.today:
        return say(ctx, texts.READINESS_TOO_EARLY)
    await repository.add_event(ctx.session, ctx.user.id, ctx.today, Event.READINESS_CONFIRMED, ctx.now)
    return say(ctx, texts.READINESS_PASSED)
