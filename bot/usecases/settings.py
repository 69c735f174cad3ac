"""/settings (change one answer of the onboarding, or the REDs questions) and /ready (the readiness checks
again): each opens a flow over the table of steps, which onboarding.py then runs."""

from __future__ import annotations

from datetime import date
from typing import Any, get_args

from bot.i18n import LANGUAGE_NAMES, LANGUAGES, texts_for
from bot.replies import Button, Outcome, rows
from bot.storage import alerts as alert_rows
from bot.storage import repository
from bot.timezones import format_clock_time
from bot.usecases import buttons as b
from bot.usecases.context import RunnerContext, say, site_label
from bot.usecases.onboarding import ask, continue_onboarding
from bot.usecases.steps import READY_STEPS, REDS_STEPS
from engine.model import Event

LANGUAGE_CODES: tuple[b.LanguageCode, ...] = get_args(b.LanguageCode)

FIRST_STEP = {
    "site": "site",
    "diagnosed": "diagnosed",
    "cleared": "cleared",
    "weekly_minutes": "weekly_minutes",
    "runs_per_week": "runs_per_week",
    "reds": REDS_STEPS[0],
    "timezone": "timezone",
    "checkin_time": "checkin_time",
}


async def menu(ctx: RunnerContext) -> Outcome:
    """/settings: a runner's answers; a follower's alerts (a follower need not be a runner)."""
    texts = ctx.texts
    following = bool(await alert_rows.follows_of(ctx.session, ctx.user.id))
    if ctx.user.onboarded_at is None:
        if following:
            alerts_and_language: list[Button] = [
                (texts.ALERTS_BUTTON, b.AlertPrefs()),
                (texts.LANGUAGE_BUTTON, b.LanguageMenu()),
            ]
            return say(ctx, texts.SETTINGS_MENU, (tuple(alerts_and_language),))
        return await continue_onboarding(ctx, texts.NOT_ONBOARDED)
    buttons: list[Button] = [(label, b.SettingsPick(key)) for key, label in texts.SETTINGS_LABELS.items()]
    if following:
        buttons.append((texts.ALERTS_BUTTON, b.AlertPrefs()))
    buttons.append((texts.LANGUAGE_BUTTON, b.LanguageMenu()))
    buttons.append((texts.UNITS_BUTTON, b.UnitsMenu()))
    profile = await repository.profile_of(ctx.session, ctx.user.id)
    summary = ""
    if profile is not None:
        summary = texts.SETTINGS_NOW.format(
            site=site_label(profile.injury_site, texts=texts),
            diagnosed=profile.diagnosed_on,
            cleared=profile.cleared_to_run_on or texts.NOT_YET_LOWER,
            minutes=profile.pre_injury_weekly_minutes,
            runs=profile.pre_injury_runs_per_week,
            time=format_clock_time(ctx.user.checkin_minute),
            zone=ctx.user.time_zone,
        )
    return say(ctx, texts.SETTINGS_MENU + summary, rows(buttons, 2))


def language_menu(ctx: RunnerContext) -> Outcome:
    """/settings → Language: each language in its own name ("Deutsch", "Español", "Русский", "English")."""
    buttons: list[Button] = [(LANGUAGE_NAMES[code], b.SetLanguage(code)) for code in LANGUAGE_CODES]
    return say(ctx, ctx.texts.ASK_LANGUAGE, rows(buttons, 2))


def set_language(ctx: RunnerContext, code: str) -> Outcome:
    """The person's own choice, from now on before Telegram's language_code (their next message reads in it)."""
    if code not in LANGUAGES:
        return Outcome(notice=ctx.texts.FORGED_BUTTON)
    ctx.user.language, ctx.user.language_chosen = code, True
    return say(ctx, texts_for(code).LANGUAGE_SAVED)


def units_menu(ctx: RunnerContext) -> Outcome:
    """/settings → Distances: kilometres (everyone's default) or miles (the default for US English)."""
    buttons: list[Button] = [(ctx.texts.UNIT_NAMES[unit], b.SetUnits(unit)) for unit in ("km", "mi")]
    return say(ctx, ctx.texts.ASK_UNITS, rows(buttons, 2))


def set_units(ctx: RunnerContext, unit: str) -> Outcome:
    if unit not in ("km", "mi"):
        return Outcome(notice=ctx.texts.FORGED_BUTTON)
    ctx.user.distance_unit = unit
    return say(ctx, ctx.texts.UNITS_SAVED[unit])


async def pick(ctx: RunnerContext, key: str) -> Outcome:
    texts = ctx.texts
    first_step = FIRST_STEP.get(key)
    if first_step is None:
        return Outcome(notice=texts.FORGED_BUTTON)
    ctx.user.flow, ctx.user.flow_step, ctx.user.flow_data = "settings", first_step, {}
    return ask(ctx, first_step)


async def ready(ctx: RunnerContext) -> Outcome:
    """/ready: the readiness checks again (and the REDs review, if it is still needed)."""
    profile = await repository.profile_of(ctx.session, ctx.user.id)
    data: dict[str, Any] = {}
    if profile is not None and profile.reds_positive >= 2:
        _, _, events, _ = await repository.history_rows(ctx.session, ctx.user.id, date.min)
        data["reds_reviewed_before"] = any(e.kind == Event.REDS_REVIEW_CONFIRMED for e in events)
    ctx.user.flow, ctx.user.flow_step, ctx.user.flow_data = "ready", READY_STEPS[0], data
    return ask(ctx, READY_STEPS[0])
