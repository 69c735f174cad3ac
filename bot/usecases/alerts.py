"""The care team's alerts (issue 16): what a follower is told about a runner, in plain words, when.

`notify_followers` is the one way an alert reaches a follower: a pause at once (safety, carrying whatever
was held); other kinds at once or in the weekly summary, as each follower chose (/settings → Alerts); a
burst about one runner within 10 minutes is one message (bot/usecases/alert_policy.py). The morning round
sends the held alerts that are due (`due_alerts`), notices missed check-ins (`missed_checkins_today`), and a
completed check-in ends the silence (`checked_in_again`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import get_args

from bot import texts
from bot.i18n import Texts
from bot.replies import Button, Keyboard, Outcome, Reply
from bot.storage import alerts as alert_rows
from bot.storage import follows, models, repository
from bot.storage.unit_of_work import DbSession, UnitOfWork
from bot.usecases import buttons as b
from bot.usecases import plan
from bot.usecases.access import followed
from bot.usecases.alert_policy import (
    ALERT_AFTER_DAYS,
    ALERT_AFTER_RANGE,
    AlertKind,
    Delivery,
    Sent,
    SilenceState,
    checked_in,
    missed_checkins,
    plan_alert,
    silent_days,
)
from bot.usecases.context import RunnerContext, display_name, format_day, say, texts_of
from bot.usecases.reports import answers_text
from engine import render
from engine.protocol import PROTOCOL
from engine.texts import pause_cause

DROP_BACK_RULES = ("drop_back_pain", "next_day_soreness", "gap_drop_back")
AT_ONCE, IN_SUMMARY = "now", "summary"
CHOOSABLE: tuple[str, ...] = get_args(b.AlertKindName)  # resume, drop back, missed check-ins, adjustment
DEFAULT_PREFS = dict.fromkeys(CHOOSABLE, AT_ONCE)


# ------------------------------------------------------------------ the one entry point


Line = Callable[[Texts], Awaitable[str]]
"""An alert's words in a reader's language: each follower reads it in their own."""


async def notify_followers(ctx: RunnerContext, runner: models.User, kind: AlertKind, words: Line) -> None:
    """Tell every active follower of `runner` about this alert, as their preferences and the storm window
    say; the messages go out with the update (`ctx.also`) or later (held, the weekly summary)."""
    followers = await follows.active_followers(ctx.session, runner.id)
    if not followers:
        return
    paused = await repository.open_pause(ctx.session, runner.id) is not None  # a clinician may clear it
    for follow, follower in followers:
        line = await words(texts_of(follower))
        if not at_once(follow, kind):
            follow.summary_alerts = [*(follow.summary_alerts or []), line]
            continue
        reply = _deliver(follow, follower, kind, line, ctx.now, paused)
        if reply is not None:
            ctx.also.append(reply)


def preferences(follow: models.Follow) -> dict[str, str]:
    return DEFAULT_PREFS | {k: v for k, v in (follow.alert_prefs or {}).items() if k in DEFAULT_PREFS}


def at_once(follow: models.Follow, kind: AlertKind) -> bool:
    if kind is AlertKind.PAUSE:
        return True  # safety: never held for a summary
    chosen = AlertKind.MISSED_CHECKINS if kind is AlertKind.BACK else kind
    return preferences(follow).get(chosen.value, AT_ONCE) == AT_ONCE


def _deliver(
    follow: models.Follow, follower: models.User, kind: AlertKind, line: str, now: datetime, paused: bool
) -> Reply | None:
    texts = texts_of(follower)
    last = None
    if follow.last_alert_at is not None and follow.last_alert_message_id is not None and follow.last_alert_text:
        last = Sent(_aware(follow.last_alert_at), follow.last_alert_message_id, follow.last_alert_text)
    held_since = _aware(follow.held_since) if follow.held_since is not None else None
    planned = plan_alert(kind, line, now, last, follow.held_alerts or [], held_since)
    if planned.delivery is Delivery.EDIT and len(texts.ALERT_SEPARATOR.join(planned.lines)) > texts.MAX_MESSAGE:
        planned = plan_alert(kind, line, now, None, follow.held_alerts or [], held_since)  # no room: wait instead
    text = _joined(planned.lines)
    keyboard = _keyboard(follow, paused, texts=texts)
    if planned.delivery is Delivery.HOLD:
        follow.held_alerts, follow.held_since, follow.held_due = list(planned.lines), held_since or now, planned.due
        return None
    if planned.delivery is Delivery.EDIT:
        follow.last_alert_text = text
        return Reply(follower.chat_id, text, keyboard, edit_message_id=planned.message_id)
    _sent(follow, text, now)
    return Reply(follower.chat_id, text, keyboard, alert_follow_id=follow.id)


def _sent(follow: models.Follow, text: str, now: datetime) -> None:
    """A new alert message goes out now: what was held is in it; its id comes once Telegram has it."""
    follow.last_alert_at, follow.last_alert_text, follow.last_alert_message_id = now, text, None
    follow.held_alerts = follow.held_since = follow.held_due = None


def _joined(lines: Sequence[str]) -> str:
    text = texts.ALERT_SEPARATOR.join(lines)
    return text if len(text) <= texts.MAX_MESSAGE else text[: texts.MAX_MESSAGE - 1] + "…"


def _keyboard(follow: models.Follow, paused: bool, *, texts: Texts) -> Keyboard:
    buttons: list[Button] = [(texts.VIEW_BUTTON, b.ViewRunner(follow.runner_user_id))]
    if paused and follow.role == "clinician":
        buttons.append((texts.CLEARED_BUTTON, b.AskClearance(follow.runner_user_id)))
    return (tuple(buttons),)


def _aware(moment: datetime) -> datetime:
    # SQLite returns naive datetimes; everything stored is UTC
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


async def due_alerts(session: DbSession, now: datetime, limit: int) -> list[Reply]:
    """The held alerts whose 10 minutes are up, one message per follower and runner (the morning round)."""
    replies = []
    for follow, follower in await alert_rows.due_held(session, now, limit):
        texts = texts_of(follower)
        text = _joined(follow.held_alerts or [])
        if not follow.held_alerts:
            follow.held_since = follow.held_due = None
            continue
        paused = await repository.open_pause(session, follow.runner_user_id) is not None
        _sent(follow, text, now)
        replies.append(Reply(follower.chat_id, text, _keyboard(follow, paused, texts=texts), alert_follow_id=follow.id))
    return replies


async def record_sent(uow: UnitOfWork, follow_id: int, message_id: int) -> None:
    """Telegram took an alert: keep its message id, so that an alert within 10 minutes is added to it."""

    async def work(session: DbSession) -> None:
        follow = await follows.follow(session, follow_id)
        if follow is not None and follow.last_alert_message_id is None:
            follow.last_alert_message_id = message_id

    await uow.run(work)


# ------------------------------------------------------------------ a decision's alerts, in plain words


async def decision_alerts(ctx: RunnerContext, change: plan.DecisionChange, day: date) -> None:
    """A decision that pauses, resumes or drops back: the runner's followers are told, as the runner is."""
    runner = ctx.user
    decision = change.decision

    async def paused(texts: Texts) -> str:
        name = display_name(runner, texts=texts)
        rules = [r for r in decision.reasons if r.startswith("pause_")] or list(decision.reasons)
        causes = "; ".join(_with_rule(_pause_words(r, change, name, texts=texts), r, texts=texts) for r in rules)
        answers = _answers(change, texts=texts) or texts.NO_CHECKIN
        return str(
            texts.ALERT_PAUSE.format(
                runner=name, day=day.isoformat(), rules=causes, answers=answers, resume=render(decision, texts.language)
            )
        )

    async def resumed(texts: Texts) -> str:
        name = display_name(runner, texts=texts)
        whys = [
            _with_rule(_resume_words(r, name, texts=texts), r, texts=texts)
            for r in decision.reasons
            if r.startswith("resume_")
        ]
        why = "; ".join(whys) or texts.RESUME_CAUSE_DEFAULT
        return str(
            texts.ALERT_RESUME.format(runner=name, day=day.isoformat(), why=why, plan=render(decision, texts.language))
        )

    async def dropped(texts: Texts) -> str:
        rules = [r for r in decision.reasons if r in DROP_BACK_RULES]
        words = [await _drop_back_words(ctx, r, change, day, texts=texts) for r in rules]
        causes = "; ".join(_with_rule(w, r, texts=texts) for w, r in zip(words, rules, strict=True))
        to = texts.DROP_BACK_TO.format(level=decision.level) if decision.level else ""
        return str(
            texts.ALERT_DROP.format(
                runner=display_name(runner, texts=texts),
                to=to,
                day=day.isoformat(),
                rules=causes,
                plan=render(decision, texts.language),
            )
        )

    if change.pause_started:
        await notify_followers(ctx, runner, AlertKind.PAUSE, paused)
    elif change.pause_ended:
        await notify_followers(ctx, runner, AlertKind.RESUME, resumed)
    elif any(r in change.new_reasons for r in DROP_BACK_RULES):
        await notify_followers(ctx, runner, AlertKind.DROP_BACK, dropped)


def _with_rule(cause: str, rule: str, *, texts: Texts) -> str:
    return str(texts.ALERT_RULE.format(cause=cause, rule=rule))


def _pause_words(rule: str, change: plan.DecisionChange, name: str, *, texts: Texts) -> str:
    if rule in texts.ALERT_CAUSE_WORDS:
        return str(texts.ALERT_CAUSE_WORDS[rule].format(runner=name))
    return pause_cause(rule, change.checkin, texts.language)


def _resume_words(rule: str, name: str, *, texts: Texts) -> str:
    words = texts.RESUME_CAUSES.get(rule, texts.RESUME_CAUSE_DEFAULT)
    return str(words.format(runner=name, days=PROTOCOL.resume_symptom_free_checkins))


async def _drop_back_words(
    ctx: RunnerContext, rule: str, change: plan.DecisionChange, day: date, *, texts: Texts
) -> str:
    if rule == "next_day_soreness" and change.checkin is not None:
        return str(texts.SORENESS_CAUSE.format(pain=change.checkin.pain_next_day, line=PROTOCOL.pause_next_day_pain))
    if rule == "drop_back_pain":
        for run_day in (day, day - timedelta(days=1), day - timedelta(days=2)):
            logged = await repository.session_on(ctx.session, ctx.user.id, run_day)
            pains = _session_pain(logged, texts=texts)
            if pains:
                shown = texts.ALERT_AND.join(pains)
                return str(
                    texts.DROP_BACK_PAIN_CAUSE.format(
                        pain=shown, day=format_day(run_day, day, texts=texts), line=PROTOCOL.drop_pain_min
                    )
                )
        return str(texts.DROP_BACK_PAIN_NO_SESSION.format(line=PROTOCOL.drop_pain_min))
    return str(texts.GAP_CAUSE)


def _session_pain(logged: models.SessionLog | None, *, texts: Texts) -> list[str]:
    if logged is None:
        return []
    pains = []
    if logged.pain_during:
        pains.append(texts.SESSION_PAIN_DURING.format(value=logged.pain_during))
    if logged.pain_after:
        pains.append(texts.SESSION_PAIN_AFTER.format(value=logged.pain_after))
    return pains


def _answers(change: plan.DecisionChange, *, texts: Texts) -> str:
    checkin = change.checkin
    if checkin is None:
        return ""
    return answers_text({key: getattr(checkin, key) for key in texts.CHECKIN_LABELS}, texts=texts)


# ------------------------------------------------------------------ missed check-ins


async def missed_checkins_today(ctx: RunnerContext, day: date, facts: alert_rows.SilenceFacts) -> int | None:
    """The morning round prompts the runner for `day`: after 2 silent days the prompt is a gentle nudge
    (returned: the silent days, for its words), after the threshold the followers are alerted once."""
    runner = ctx.user
    state = SilenceState(bool(runner.silence_nudged), bool(runner.silence_alerted))
    last = facts.last_checkin
    actions = missed_checkins(last, facts.started_on, day, state, facts.alert_after or ALERT_AFTER_DAYS)
    if actions.state != state:
        runner.silence_nudged, runner.silence_alerted = actions.state.nudged, actions.state.followers_alerted
    days = silent_days(last, facts.started_on, day)
    if actions.alert_followers:

        async def silent(texts: Texts) -> str:
            name = display_name(runner, texts=texts)
            if last is not None:
                return str(texts.ALERT_SILENT.format(runner=name, day=format_day(last, day, texts=texts), days=days))
            since = format_day(facts.started_on, day, texts=texts)
            return str(texts.ALERT_SILENT_NEVER.format(runner=name, day=since, days=days))

        await notify_followers(ctx, runner, AlertKind.MISSED_CHECKINS, silent)
    return days if actions.nudge_runner else None


async def checked_in_again(ctx: RunnerContext, day: date) -> None:
    """The runner completed a check-in: the silence ends; followers alerted about it hear they are back."""
    runner = ctx.user
    state = SilenceState(bool(runner.silence_nudged), bool(runner.silence_alerted))
    if state == SilenceState():
        return
    actions = checked_in(state)
    runner.silence_nudged = runner.silence_alerted = False
    if actions.back_alert:
        profile = await repository.profile_of(ctx.session, runner.id)
        last = await alert_rows.last_checkin_before(ctx.session, runner.id, day)
        started = profile.started_on if profile is not None else day
        days = silent_days(last, started, day) + 1  # the days without a check-in, and this one's

        async def back(texts: Texts) -> str:
            return str(texts.ALERT_BACK.format(runner=display_name(runner, texts=texts), days=days))

        await notify_followers(ctx, runner, AlertKind.BACK, back)


# ------------------------------------------------------------------ settings: a follower's, a clinician's


async def preferences_menu(ctx: RunnerContext) -> Outcome:
    """A follower's alert preferences: one button per kind, tapping switches it."""
    texts = ctx.texts
    rows = await alert_rows.follows_of(ctx.session, ctx.user.id)
    if not rows:
        return say(ctx, texts.NOT_FOLLOWING_ANYONE)
    chosen = preferences(rows[0])
    keyboard: Keyboard = tuple(
        (
            (
                texts.ALERT_PREF_BUTTON.format(
                    kind=texts.ALERT_KIND_NAMES[kind], mode=texts.ALERT_MODE_NAMES[chosen[kind]]
                ),
                b.ToggleAlert(kind),  # type: ignore[arg-type]  # CHOOSABLE are AlertKindName's choices
            ),
        )
        for kind in CHOOSABLE
    )
    return say(ctx, texts.ALERT_PREFS_MENU, keyboard)


async def toggle(ctx: RunnerContext, kind: str) -> Outcome:
    texts = ctx.texts
    rows = await alert_rows.follows_of(ctx.session, ctx.user.id)
    if not rows or kind not in DEFAULT_PREFS:
        return Outcome(notice=texts.NOT_FOLLOWING_ANYONE)
    mode = IN_SUMMARY if preferences(rows[0])[kind] == AT_ONCE else AT_ONCE
    for follow in rows:  # one choice for every runner they follow
        follow.alert_prefs = preferences(follow) | {kind: mode}
    outcome = await preferences_menu(ctx)
    names = {"kind": texts.ALERT_KIND_NAMES[kind], "mode": texts.ALERT_MODE_NAMES[mode]}
    outcome.notice = texts.ALERT_PREFS_SAVED.format(**names)
    return outcome


async def ask_silence_days(ctx: RunnerContext, runner_id: int) -> Outcome:
    texts = ctx.texts
    runner = await followed(ctx, runner_id, clinician=True)
    if isinstance(runner, Outcome):
        return runner
    low, high = ALERT_AFTER_RANGE
    keyboard: Keyboard = (
        tuple((texts.SILENCE_DAYS_BUTTON.format(days=d), b.SetSilenceDays(runner.id, d)) for d in range(low, high + 1)),
    )
    return say(ctx, texts.ASK_SILENCE_DAYS.format(runner=display_name(runner, texts=texts)), keyboard)


async def set_silence_days(ctx: RunnerContext, runner_id: int, days: int) -> Outcome:
    texts = ctx.texts
    runner = await followed(ctx, runner_id, clinician=True)
    if isinstance(runner, Outcome):
        return runner
    low, high = ALERT_AFTER_RANGE
    profile = await repository.profile_of(ctx.session, runner.id)
    if not low <= days <= high or profile is None:
        return Outcome(notice=texts.FORGED_BUTTON)
    profile.silence_alert_days = days
    return say(ctx, texts.SILENCE_DAYS_SAVED.format(runner=display_name(runner, texts=texts), days=days))


def silence_days_of(profile: models.Profile | None) -> int:
    return (profile.silence_alert_days if profile is not None else None) or ALERT_AFTER_DAYS
