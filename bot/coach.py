"""The coach's use cases: what happens when a runner sends something or a morning falls due.

Handlers and scheduled jobs call these methods and send the `Reply`s they return; nothing here talks to
Telegram. Each method runs in one database transaction. Conversation state lives in the `users` row, so a
restart continues where the runner stopped.
"""

from __future__ import annotations

import csv
import io
import json
import logging
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import care, plan, texts
from bot.care import RunnerContext
from bot.clock import Clock
from bot.replies import Button, Document, Keyboard, Outcome, Reply, rows, scale_keyboard, yes_no_keyboard
from bot.storage import models, repository
from bot.storage.taps import CheckinTaps, TapRunner
from bot.telegram.callbacks import unpack
from bot.timezones import (
    COMMON_ZONES,
    day_code,
    format_clock_time,
    local_date,
    next_prompt,
    parse_clock_time,
    parse_day_code,
    parse_time_zone,
    prompt_moment,
    still_morning,
)
from bot.usecases import buttons as b
from engine.model import Action, Event
from engine.protocol import HIGH_RISK_SITES, SITES

log = logging.getLogger("runback.coach")

ONBOARDING_STEPS = (
    "consent",
    "timezone",
    "site",
    "diagnosed",
    "cleared",
    "cleared_date",
    "weekly_minutes",
    "runs_per_week",
    "ready_walk",
    "ready_daily",
    "ready_press",
    "ready_hops",
    "reds_periods",
    "reds_weight",
    "reds_eating",
    "reds_previous",
    "reds_review",
    "checkin_time",
)
READY_STEPS = ("ready_walk", "ready_daily", "ready_press", "ready_hops")
REDS_STEPS = ("reds_periods", "reds_weight", "reds_eating", "reds_previous")
TEXT_STEPS = {"diagnosed", "cleared_date", "weekly_minutes", "timezone", "checkin_time"}
CHECKIN_FIELDS = repository.CHECKIN_FIELDS
SLEEP_CHOICES = ((4.0, "≤4"), (5.0, "5"), (6.0, "6"), (7.0, "7"), (8.0, "8"), (9.0, "9+"))
WEEKLY_MINUTE_CHOICES = (60, 90, 120, 150, 200, 300)
RUN_MINUTE_CHOICES = (0, 3, 6, 9, 12, 15, 18, 20, 25, 30, 40, 50, 60)
CHECKIN_TIME_CHOICES = (6 * 60, 6 * 60 + 30, 7 * 60, 7 * 60 + 30, 8 * 60, 9 * 60)
SNOOZE = timedelta(minutes=30)
UPDATE_IDS_KEPT = timedelta(days=7)  # replay protection: Telegram re-delivers an unconfirmed update for 24 h
PRUNE_EVERY = timedelta(hours=1)
TODAY_PHRASES = (
    "what's today",
    "whats today",
    "what is today",
    "today",
    "plan for today",
    "today's plan",
    "todays plan",
    "what should i do today",
    "plan",
    "what now",
)
PAIN_WORDS = ("hurt", "pain", "sore", "ache", "aching", "tender", "swollen", "swelling", "limp")


def _whole_number(raw: str, high: int) -> int | None:
    """A plain ASCII whole number from 0 to `high`, else None (str.isdigit also accepts "²" and "١", which int()
    rejects or reads as another number)."""
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 6:
        return None
    value = int(raw)
    return value if value <= high else None


def _parse_date(text: str) -> date | None:
    cleaned = text.strip()
    for fmt in ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%Y/%m/%d"):
        try:
            return datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    return None


def _format_day(day: date, today: date) -> str:
    if day == today:
        return "today"
    if day == today - timedelta(days=1):
        return "yesterday"
    return day.strftime("%a %d %b")


def _site_label(key: str) -> str:
    name = SITES[key].name if key in SITES else key.replace("_", " ")
    return f"⚠ {name}" if key in HIGH_RISK_SITES else name


class Coach:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        reminder_after: timedelta = timedelta(hours=2),
        taps: CheckinTaps | None = None,
    ) -> None:
        self.sessions = sessions
        self._taps = taps  # SQLite: the plain check-in answer tap in one trip (bot/storage/taps.py)
        self._clock = clock
        self._reminder_after = reminder_after
        self._pruned_at: datetime | None = None
        self.more_due = False  # the last collect_due stopped at its limit: more may be due right now
        self.bot_username = "runback_bot"  # set from getMe at start; used in /share links

    # ------------------------------------------------------------------ entry points

    async def on_command(
        self,
        telegram_id: int,
        chat_id: int,
        first_name: str | None,
        command: str,
        update_id: int | None = None,
        argument: str = "",
    ) -> Outcome:
        return await self._with_runner(
            telegram_id, chat_id, first_name, update_id, lambda ctx: self._command(ctx, command, argument)
        )

    async def on_text(
        self, telegram_id: int, chat_id: int, first_name: str | None, text: str, update_id: int | None = None
    ) -> Outcome:
        return await self._with_runner(telegram_id, chat_id, first_name, update_id, lambda ctx: self._text(ctx, text))

    async def on_button(
        self,
        telegram_id: int,
        chat_id: int,
        first_name: str | None,
        message_id: int,
        data: str,
        update_id: int | None = None,
    ) -> Outcome:
        button = unpack(data)
        if self._taps is not None and update_id is not None and isinstance(button, b.CheckinAnswer):
            tapped = await self._checkin_tap(self._taps, telegram_id, chat_id, message_id, button, update_id)
            if tapped is not None:
                return tapped
        return await self._with_runner(
            telegram_id,
            chat_id,
            first_name,
            update_id,
            lambda ctx: self._button(ctx, message_id, button),
            create=False,  # our buttons only go to runners we know: a stranger's tap stores nothing
        )

    async def _with_runner(
        self,
        telegram_id: int,
        chat_id: int,
        first_name: str | None,
        update_id: int | None,
        action: Callable[[RunnerContext], Awaitable[Outcome]],
        create: bool = True,
    ) -> Outcome:
        try:
            return await self._with_runner_once(telegram_id, chat_id, first_name, update_id, action, create)
        except IntegrityError:
            # Several workers (PostgreSQL): another one created this new runner at the same moment and won.
            # Everything here was rolled back; again, as a known runner (a duplicated update is then a no-op).
            log.info("a new runner was created by another worker at the same time; handling the update again")
            return await self._with_runner_once(telegram_id, chat_id, first_name, update_id, action, create)

    async def _with_runner_once(
        self,
        telegram_id: int,
        chat_id: int,
        first_name: str | None,
        update_id: int | None,
        action: Callable[[RunnerContext], Awaitable[Outcome]],
        create: bool,
    ) -> Outcome:
        now = self._clock.now()
        async with self.sessions() as session, session.begin():
            # the runner's row is locked first: updates of one runner handled by two workers take turns, and
            # a duplicated update waits here until the first copy committed, then finds its id claimed
            user = await repository.user_by_telegram_id(session, telegram_id, lock=True)
            if user is None and not create:
                # e.g. the "Yes, delete" button tapped again after the erase: answer, but keep no row about them
                if update_id is not None:
                    await repository.claim_update(session, update_id, None, now)
                return Outcome(notice=texts.STALE_BUTTON)
            if user is None:
                user = await repository.create_user(session, telegram_id, chat_id, first_name, now)
            if update_id is not None and not await repository.claim_update(session, update_id, user.id, now):
                return Outcome()  # handled before: a replayed update changes nothing twice
            if not user.active:
                user.active = True  # they wrote to us, so they unblocked the bot
                self._schedule(user, now)
            if user.chat_id != chat_id:  # (an unchanged attribute still costs the ORM a dirty-object flush)
                user.chat_id = chat_id
            ctx = RunnerContext(session, user, now)
            outcome = await action(ctx)
            outcome.replies.extend(ctx.also)  # alerts and notices to others, from this same update
            return outcome

    # ------------------------------------------------------------------ commands and text

    async def _command(self, ctx: RunnerContext, command: str, argument: str = "") -> Outcome:
        if command == "start" and argument:
            return await care.open_invitation(ctx, argument)  # a deep link from a runner's /share
        if command == "start":
            return await self._start(ctx)
        if command == "help":
            return self._say(ctx, texts.HELP)
        if command == "cancel":
            return self._cancel(ctx)
        if command == "delete":
            return self._say(
                ctx,
                texts.DELETE_CONFIRM,
                ((("Yes, delete everything", b.DeleteAnswer(True)), ("No", b.DeleteAnswer(False))),),
            )
        # a coach or clinician need not be a runner themselves
        follower_commands: dict[str, Callable[[RunnerContext], Awaitable[Outcome]]] = {
            "runners": care.runners,
            "export": self._export,
        }
        if command in follower_commands:
            return await follower_commands[command](ctx)
        if ctx.user.onboarded_at is None:
            return await self._continue_onboarding(ctx, texts.NOT_ONBOARDED)
        handlers: dict[str, Callable[[RunnerContext], Awaitable[Outcome]]] = {
            "share": self._share,
            "team": care.team,
            "progress": care.progress,
            "report": care.report,
            "today": self._today,
            "checkin": self._checkin_command,
            "log": self._log_command,
            "pain": self._pain_command,
            "pause": self._pause_command,
            "resume": self._resume_command,
            "ready": self._ready_command,
            "history": self._history,
            "settings": self._settings_command,
            "export": self._export,
        }
        handler = handlers.get(command)
        if handler is None:
            return self._say(ctx, texts.UNKNOWN_TEXT)
        return await handler(ctx)

    async def _text(self, ctx: RunnerContext, text: str) -> Outcome:
        user = ctx.user
        if user.flow in ("onboarding", "settings", "ready") and user.flow_step in TEXT_STEPS:
            return await self._answer_step(ctx, user.flow_step, text, typed=True)
        if user.flow == "log" and user.flow_step == "run_minutes":
            minutes = text.strip()
            if _whole_number(minutes, 1440) is not None:
                data = user.flow_data or {}
                day = parse_day_code(str(data.get("date", "")))
                if day is not None:
                    return await self._log_answer(ctx, day, "run_minutes", minutes, message_id=None)
            return self._say(ctx, "Please tap a number of minutes, or type one from 0 to 1440.")
        if user.flow == "follower" and user.flow_step == "timezone":
            return await self._answer_step(ctx, "timezone", text, typed=True)
        if user.flow in (None, "onboarding") and care.looks_like_code(text):
            return await care.open_invitation(ctx, text)
        if user.flow is not None and user.flow != "checkin":
            return self._say(ctx, texts.USE_BUTTONS)
        if user.onboarded_at is None:
            return await self._continue_onboarding(ctx, texts.NOT_ONBOARDED)
        normalized = " ".join(text.lower().replace("’", "'").strip(" ?!.").split())
        if normalized in TODAY_PHRASES or normalized.startswith(("what's today", "whats today", "what is the plan")):
            return await self._today(ctx)
        if any(word in normalized for word in PAIN_WORDS):
            return await self._pain_command(ctx)
        if user.flow == "checkin":
            return self._say(ctx, texts.USE_BUTTONS)
        return self._say(ctx, texts.UNKNOWN_TEXT)

    def _say(self, ctx: RunnerContext, text: str, keyboard: Keyboard = ()) -> Outcome:
        outcome = Outcome()
        outcome.say(ctx.user.chat_id, text, keyboard)
        return outcome

    def _cancel(self, ctx: RunnerContext) -> Outcome:
        user = ctx.user
        if user.flow is None:
            return self._say(ctx, texts.NOTHING_TO_CANCEL)
        if user.flow == "onboarding":
            return self._say(ctx, "Set-up isn't finished yet: answer the last question to go on.")
        user.flow = user.flow_step = None
        user.flow_data = None
        return self._say(ctx, texts.CANCELLED)

    # ------------------------------------------------------------------ onboarding and settings

    async def _start(self, ctx: RunnerContext) -> Outcome:
        user = ctx.user
        if user.onboarded_at is not None:
            outcome = self._say(ctx, f"Welcome back{self._name(user)}! /help lists what I can do.")
            return outcome
        if user.flow == "onboarding" and user.flow_step is not None:
            return await self._continue_onboarding(ctx, texts.ONBOARDING_RESUME)
        user.flow, user.flow_step, user.flow_data = "onboarding", "consent", {}
        return self._say(
            ctx,
            texts.WELCOME,
            (((texts.AGREE, b.StepAnswer("consent", "1")), (texts.DECLINE, b.StepAnswer("consent", "0"))),),
        )

    async def _continue_onboarding(self, ctx: RunnerContext, preface: str) -> Outcome:
        user = ctx.user
        if user.flow != "onboarding" or user.flow_step is None:
            return self._say(ctx, preface)
        if preface == texts.NOT_ONBOARDED:
            preface = texts.FINISH_ONBOARDING
        outcome = self._say(ctx, preface)
        outcome.replies.extend(self._ask_step(ctx, user.flow_step).replies)
        return outcome

    def _ask_step(self, ctx: RunnerContext, step: str) -> Outcome:
        if step == "consent":
            return self._say(
                ctx,
                texts.WELCOME,
                (((texts.AGREE, b.StepAnswer("consent", "1")), (texts.DECLINE, b.StepAnswer("consent", "0"))),),
            )
        if step == "timezone":
            buttons: list[Button] = [(z, b.StepAnswer("timezone", z)) for z in COMMON_ZONES]
            return self._say(ctx, texts.ASK_TIMEZONE, rows(buttons, 2))
        if step == "site":
            buttons = [(_site_label(k), b.StepAnswer("site", k)) for k in SITES]
            return self._say(ctx, texts.ASK_SITE, rows(buttons, 2))
        if step == "diagnosed":
            return self._say(ctx, texts.ASK_DIAGNOSED)
        if step == "cleared":
            return self._say(
                ctx,
                texts.ASK_CLEARED,
                (((texts.YES, b.StepAnswer("cleared", "1")), ("Not yet", b.StepAnswer("cleared", "0"))),),
            )
        if step == "cleared_date":
            return self._say(
                ctx, texts.ASK_CLEARED_DATE, (((texts.TODAY_BUTTON, b.StepAnswer("cleared_date", "today")),),)
            )
        if step == "weekly_minutes":
            buttons = [(str(m), b.StepAnswer("weekly_minutes", str(m))) for m in WEEKLY_MINUTE_CHOICES]
            return self._say(ctx, texts.ASK_WEEKLY_MINUTES, rows(buttons, 3))
        if step == "runs_per_week":
            buttons = [(str(n), b.StepAnswer("runs_per_week", str(n))) for n in range(1, 8)]
            return self._say(ctx, texts.ASK_RUNS_PER_WEEK, rows(buttons, 7))
        if step in READY_STEPS:
            question = texts.READINESS_QUESTIONS[step.removeprefix("ready_")]
            if step == READY_STEPS[0]:
                question = f"{texts.READINESS_INTRO}\n\n{question}"
            return self._say(ctx, question, yes_no_keyboard(lambda value: b.StepAnswer(step, value)))
        if step in REDS_STEPS:
            question = texts.REDS_QUESTIONS[step.removeprefix("reds_")]
            if step == REDS_STEPS[0]:
                question = f"{texts.REDS_INTRO}\n\n{question}"
            return self._say(
                ctx, question, yes_no_keyboard(lambda value: b.StepAnswer(step, value), with_na=step == "reds_periods")
            )
        if step == "reds_review":
            return self._say(
                ctx,
                texts.ASK_REDS_REVIEW,
                (((texts.YES, b.StepAnswer("reds_review", "1")), ("Not yet", b.StepAnswer("reds_review", "0"))),),
            )
        if step == "checkin_time":
            buttons = [
                (format_clock_time(m), b.StepAnswer("checkin_time", format_clock_time(m))) for m in CHECKIN_TIME_CHOICES
            ]
            return self._say(ctx, texts.ASK_CHECKIN_TIME, rows(buttons, 3))
        raise AssertionError(step)

    async def _answer_step(self, ctx: RunnerContext, step: str, raw: str, typed: bool = False) -> Outcome:
        """Validate and keep one onboarding/settings answer, then ask what comes next."""
        user = ctx.user
        data: dict[str, Any] = dict(user.flow_data or {})
        profile = await repository.profile_of(ctx.session, user.id)
        value: Any
        if step == "consent":
            if raw != "1":
                user.flow = user.flow_step = None
                user.flow_data = None
                return self._say(ctx, texts.CONSENT_DECLINED)
            user.consented_at = ctx.now
            value = True
        elif step == "timezone":
            zone = parse_time_zone(raw)
            if zone is None:
                return self._say(ctx, texts.BAD_TIMEZONE)
            user.time_zone = value = zone
            if user.onboarded_at is not None:
                self._schedule(user, ctx.now)
        elif step == "site":
            if raw not in SITES:
                return self._say(ctx, texts.FORGED_BUTTON)
            value = raw
        elif step in ("diagnosed", "cleared_date"):
            parsed = ctx.today if raw == "today" else _parse_date(raw)
            if parsed is None:
                return self._say(ctx, texts.BAD_DATE)
            if step == "diagnosed" and parsed > ctx.today:
                return self._say(ctx, texts.FUTURE_DATE)
            value = parsed.isoformat()
        elif step == "weekly_minutes":
            cleaned = raw.strip()
            if not _whole_number(cleaned, 10080):
                return self._say(ctx, texts.BAD_MINUTES)
            value = int(cleaned)
        elif step == "runs_per_week":
            if raw not in {str(n) for n in range(1, 8)}:
                return self._say(ctx, texts.FORGED_BUTTON)
            value = int(raw)
        elif step == "checkin_time":
            minute = parse_clock_time(raw)
            if minute is None:
                return self._say(ctx, texts.BAD_TIME)
            user.checkin_minute = value = minute
        elif step in ("cleared", "reds_review") or step in READY_STEPS or step in REDS_STEPS:
            if raw not in ("1", "0") and not (raw == "na" and step == "reds_periods"):
                return self._say(ctx, texts.FORGED_BUTTON)
            value = raw == "1"
        else:
            return self._say(ctx, texts.FORGED_BUTTON)
        data[step] = value
        user.flow_data = data
        outcome = Outcome()
        if step == "site" and raw in HIGH_RISK_SITES:
            outcome.say(user.chat_id, texts.HIGH_RISK_SITE.format(site=SITES[raw].name))
        if profile is not None:
            self._apply_to_profile(profile, step, value)
        next_step = self._next_step(user.flow or "", step, data, profile)
        if next_step is None:
            outcome.replies.extend((await self._finish_flow(ctx, data, profile)).replies)
        else:
            user.flow_step = next_step
            outcome.replies.extend(self._ask_step(ctx, next_step).replies)
        return outcome

    def _next_step(self, flow: str, step: str, data: dict[str, Any], profile: models.Profile | None) -> str | None:
        if step == "cleared":
            return "cleared_date" if data.get("cleared") else self._after(flow, "cleared_date", data, profile)
        return self._after(flow, step, data, profile)

    def _after(self, flow: str, step: str, data: dict[str, Any], profile: models.Profile | None) -> str | None:
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
            if candidate == "reds_review" and self._reds_positive(data, profile) < 2:
                index += 1
                continue
            if candidate == "reds_review" and flow == "ready" and not self._reds_review_needed(data, profile):
                index += 1
                continue
            return candidate
        return None

    @staticmethod
    def _reds_positive(data: dict[str, Any], profile: models.Profile | None) -> int:
        answered = [data[s] for s in REDS_STEPS if s in data]
        if answered:
            return sum(1 for v in answered if v is True)
        return profile.reds_positive if profile is not None else 0

    @staticmethod
    def _reds_review_needed(data: dict[str, Any], profile: models.Profile | None) -> bool:
        return profile is not None and profile.reds_positive >= 2 and not data.get("reds_reviewed_before")

    @staticmethod
    def _apply_to_profile(profile: models.Profile, step: str, value: Any) -> None:
        if step == "site":
            profile.injury_site = value
        elif step == "diagnosed":
            profile.diagnosed_on = date.fromisoformat(value)
        elif step == "cleared" and value is False:
            profile.cleared_to_run_on = None
        elif step == "cleared_date":
            profile.cleared_to_run_on = date.fromisoformat(value)
        elif step == "weekly_minutes":
            profile.pre_injury_weekly_minutes = value
        elif step == "runs_per_week":
            profile.pre_injury_runs_per_week = value
        elif step in REDS_STEPS:
            answers = dict(profile.reds_answers or {})
            answers[step.removeprefix("reds_")] = value
            profile.reds_answers = answers
            profile.reds_positive = sum(1 for v in answers.values() if v is True)

    async def _finish_flow(self, ctx: RunnerContext, data: dict[str, Any], profile: models.Profile | None) -> Outcome:
        user, session = ctx.user, ctx.session
        flow = user.flow
        user.flow = user.flow_step = None
        user.flow_data = None
        outcome = Outcome()
        if flow == "follower":
            care.schedule_summary(user, ctx.now)
            outcome.say(user.chat_id, texts.SETTINGS_SAVED)
            return outcome
        if flow == "onboarding":
            reds = {s.removeprefix("reds_"): data.get(s) for s in REDS_STEPS}
            profile = models.Profile(
                user_id=user.id,
                injury_site=data["site"],
                diagnosed_on=date.fromisoformat(data["diagnosed"]),
                cleared_to_run_on=date.fromisoformat(data["cleared_date"]) if data.get("cleared") else None,
                pre_injury_weekly_minutes=data["weekly_minutes"],
                pre_injury_runs_per_week=data["runs_per_week"],
                reds_answers=reds,
                reds_positive=sum(1 for v in reds.values() if v is True),
                started_on=ctx.today,
            )
            session.add(profile)
            user.onboarded_at = ctx.now
            await session.flush()
        assert profile is not None
        if flow in ("onboarding", "ready") or any(s in data for s in READY_STEPS):
            outcome.replies.extend((await self._record_readiness(ctx, data, profile)).replies)
        if any(s in data for s in REDS_STEPS) and profile.reds_positive:
            outcome.say(user.chat_id, texts.REDS_ADVICE.format(count=profile.reds_positive))
        if data.get("reds_review") is True:
            await repository.add_event(session, user.id, ctx.today, Event.REDS_REVIEW_CONFIRMED, ctx.now)
        elif profile.reds_positive >= 2 and "reds_review" in data:
            outcome.say(user.chat_id, texts.REDS_REVIEW_NEEDED)
        if flow == "onboarding":
            self._schedule(user, ctx.now)
            outcome.say(
                user.chat_id,
                texts.ONBOARDED.format(time=format_clock_time(user.checkin_minute), zone=user.time_zone),
                (((texts.CHECKIN_NOW_BUTTON, b.CheckinNow()),),),
            )
        else:
            if user.onboarded_at is not None and ("checkin_time" in data or "timezone" in data):
                self._schedule(user, ctx.now)
            outcome.say(user.chat_id, texts.SETTINGS_SAVED)
        return outcome

    async def _record_readiness(self, ctx: RunnerContext, data: dict[str, Any], profile: models.Profile) -> Outcome:
        if not all(s in data for s in READY_STEPS):
            return Outcome()
        if not all(data[s] is True for s in READY_STEPS):
            return self._say(ctx, texts.READINESS_NOT_YET)
        if profile.cleared_to_run_on is None or profile.cleared_to_run_on > ctx.today:
            return self._say(ctx, texts.READINESS_TOO_EARLY)
        await repository.add_event(ctx.session, ctx.user.id, ctx.today, Event.READINESS_CONFIRMED, ctx.now)
        return self._say(ctx, texts.READINESS_PASSED)

    async def _ready_command(self, ctx: RunnerContext) -> Outcome:
        profile = await repository.profile_of(ctx.session, ctx.user.id)
        data: dict[str, Any] = {}
        if profile is not None and profile.reds_positive >= 2:
            reviewed = await self._has_event(ctx, Event.REDS_REVIEW_CONFIRMED)
            data["reds_reviewed_before"] = reviewed
        ctx.user.flow, ctx.user.flow_step, ctx.user.flow_data = "ready", READY_STEPS[0], data
        return self._ask_step(ctx, READY_STEPS[0])

    async def _has_event(self, ctx: RunnerContext, kind: str) -> bool:
        _, _, events, _ = await repository.history_rows(ctx.session, ctx.user.id, date.min)
        return any(e.kind == kind for e in events)

    async def _settings_command(self, ctx: RunnerContext) -> Outcome:
        buttons: list[Button] = [(label, b.SettingsPick(key)) for key, label in texts.SETTINGS_LABELS.items()]
        profile = await repository.profile_of(ctx.session, ctx.user.id)
        summary = ""
        if profile is not None:
            summary = (
                f"\n\nNow: {_site_label(profile.injury_site)}, diagnosed {profile.diagnosed_on}, "
                f"cleared {profile.cleared_to_run_on or 'not yet'}, {profile.pre_injury_weekly_minutes} min "
                f"over {profile.pre_injury_runs_per_week} runs a week before the injury; check-in at "
                f"{format_clock_time(ctx.user.checkin_minute)} ({ctx.user.time_zone})."
            )
        return self._say(ctx, texts.SETTINGS_MENU + summary, rows(buttons, 2))

    def _settings_pick(self, ctx: RunnerContext, key: str) -> Outcome:
        first_step = {
            "site": "site",
            "diagnosed": "diagnosed",
            "cleared": "cleared",
            "weekly_minutes": "weekly_minutes",
            "runs_per_week": "runs_per_week",
            "reds": REDS_STEPS[0],
            "timezone": "timezone",
            "checkin_time": "checkin_time",
        }.get(key)
        if first_step is None:
            return Outcome(notice=texts.FORGED_BUTTON)
        ctx.user.flow, ctx.user.flow_step, ctx.user.flow_data = "settings", first_step, {}
        return self._ask_step(ctx, first_step)

    # ------------------------------------------------------------------ buttons

    async def _button(self, ctx: RunnerContext, message_id: int, button: b.ButtonData | None) -> Outcome:
        if isinstance(button, b.StepAnswer):
            if (
                ctx.user.flow not in ("onboarding", "settings", "ready", "follower")
                or ctx.user.flow_step != button.step
            ):
                return Outcome(notice=texts.STALE_BUTTON)
            return await self._answer_step(ctx, button.step, button.value)
        if isinstance(button, b.DeleteAnswer):
            # anyone may erase themselves: a follower, or a runner who stopped half way through the set-up
            return await self._delete(ctx, button.confirmed)
        care_outcome = await self._care_button(ctx, button)
        if care_outcome is not None:
            return care_outcome
        if ctx.user.onboarded_at is None:
            return Outcome(notice=texts.NOT_ONBOARDED)
        match button:
            case b.CheckinAnswer(day, field, value):
                return await self._checkin_answer(ctx, day, field, value, message_id)
            case b.CheckinBack(day, field):
                return await self._checkin_back(ctx, day, field, message_id)
            case b.Snooze(day):
                return await self._snooze(ctx, day)
            case b.LogAnswer(day, field, value):
                if not (ctx.today - timedelta(days=1) <= day <= ctx.today):
                    return Outcome(notice=texts.STALE_BUTTON)
                open_question = (ctx.user.flow, ctx.user.flow_step, (ctx.user.flow_data or {}).get("date"))
                if open_question != ("log", field, day_code(day)):
                    # answered already (a double tap) or an older question: a second tap must not log twice
                    return Outcome(notice=texts.STALE_BUTTON)
                return await self._log_answer(ctx, day, field, value, message_id)
            case b.LogDay(day):
                if not (ctx.today - timedelta(days=1) <= day <= ctx.today):
                    return Outcome(notice=texts.STALE_BUTTON)
                return self._ask_session(ctx, day, "done")
            case b.PainKind(kind):
                return await self._pain_answer(ctx, kind, None)
            case b.PainLevel(kind, level):
                return await self._pain_answer(ctx, kind, level)
            case b.SettingsPick(key):
                return self._settings_pick(ctx, key)
            case b.SelfClearance(answer):
                return await self._self_reported_clearance(ctx, answer)
            case b.CheckinNow():
                return await self._checkin_command(ctx)
        return Outcome(notice=texts.FORGED_BUTTON)

    # ------------------------------------------------------------------ the care team

    async def _share(self, ctx: RunnerContext) -> Outcome:
        return care.share(ctx)

    async def _care_button(self, ctx: RunnerContext, button: b.ButtonData | None) -> Outcome | None:
        """Buttons of the care team (both sides); None when the button is not one of them."""
        match button:
            case b.InvitationAnswer(accept):
                outcome, ask_zone = await care.answer_invitation(ctx, accept)
                if ask_zone:
                    ctx.user.flow, ctx.user.flow_step, ctx.user.flow_data = "follower", "timezone", {}
                    question = self._ask_step(ctx, "timezone").replies[0]
                    outcome.say(ctx.user.chat_id, texts.ASK_FOLLOWER_ZONE, question.keyboard)
                return outcome
            case b.ShareRole(role) if ctx.user.onboarded_at is not None:
                return await care.create_invitation(ctx, role, self.bot_username)
            case b.ConfirmFollower(follow_id, confirmed):
                return await care.confirm_follower(ctx, follow_id, confirmed)
            case b.RemoveFollower(follow_id):
                return await care.remove_follower(ctx, follow_id)
            case b.RecordClearance(runner_id, cleared):
                outcome, runner = await care.record_clearance(ctx, runner_id, cleared)
                if runner is not None:
                    # the clearance may end the pause today: decide the runner's day again, with their alerts
                    runner_ctx = RunnerContext(ctx.session, runner, ctx.now)
                    change = await self._decide(runner_ctx, runner_ctx.today)
                    if change is not None and change.pause_ended:
                        runner_ctx.also.insert(0, self._plan_outcome(runner_ctx, change, None).replies[0])
                    ctx.also.extend(runner_ctx.also)
                return outcome
            case b.ViewRunner(runner_id):
                return await care.view_runner(ctx, runner_id)
            case b.LeaveRunner(runner_id):
                return await care.leave(ctx, runner_id)
            case b.AskClearance(runner_id):
                return await care.ask_clearance(ctx, runner_id)
            case b.ConfirmRedsReview(runner_id):
                return await care.confirm_review(ctx, runner_id, Event.REDS_REVIEW_CONFIRMED)
            case b.ConfirmReadiness(runner_id):
                return await care.confirm_review(ctx, runner_id, Event.READINESS_CONFIRMED)
            case b.RunnerProgress(runner_id):
                return await care.progress(ctx, runner_id)
        return None

    # ------------------------------------------------------------------ the morning check-in

    def _checkin_question(
        self,
        chat_id: int,
        day: date,
        field: str,
        header: str | None = None,
        answers: dict[str, Any] | None = None,
        edit_message_id: int | None = None,
    ) -> Reply:
        """The check-in is one message: the answers so far, then the question asked now, with its buttons and
        one to go back and change the previous answer. Each tap edits that message into the next question
        (one message for the whole check-in, and one Bot API call less per tap than a message per question)."""
        keyboard: Keyboard
        if field in ("pain_rest", "pain_walking", "pain_next_day", "fatigue"):
            keyboard = scale_keyboard(lambda value: b.CheckinAnswer(day, field, str(value)))
        elif field == "sleep_hours":
            keyboard = rows([(label, b.CheckinAnswer(day, field, f"{value:g}")) for value, label in SLEEP_CHOICES], 6)
        else:
            keyboard = yes_no_keyboard(lambda value: b.CheckinAnswer(day, field, value))
        position = CHECKIN_FIELDS.index(field)
        if position > 0:
            keyboard = (
                *keyboard,
                ((texts.CHECKIN_BACK_BUTTON, b.CheckinBack(day, CHECKIN_FIELDS[position - 1])),),
            )
        step = texts.CHECKIN_STEP.format(number=position + 1, count=len(CHECKIN_FIELDS))
        parts = [header] if header else []
        if answers:
            parts.append(self._checkin_summary(answers))
        parts.append(f"{texts.CHECKIN_QUESTIONS[field]} {step}")
        return Reply(chat_id, "\n\n".join(parts), keyboard, edit_message_id=edit_message_id)

    @staticmethod
    def _checkin_summary(answers: dict[str, Any]) -> str:
        lines = []
        for field in CHECKIN_FIELDS:
            if field in answers:
                value = answers[field]
                shown = ("yes" if value else "no") if isinstance(value, bool) else f"{value:g}"
                lines.append(f"✓ {texts.CHECKIN_LABELS[field]}: {shown}")
        return "\n".join(lines)

    @staticmethod
    def _checkin_screen_header(day: date, today: date) -> str:
        return texts.CHECKIN_SCREEN_HEADER.format(day=_format_day(day, today))

    async def _checkin_command(self, ctx: RunnerContext) -> Outcome:
        day = ctx.today
        row = await repository.checkin_on(ctx.session, ctx.user.id, day)
        if row is not None and row.completed_at is not None:
            outcome = self._say(ctx, texts.CHECKIN_ALREADY_DONE)
            outcome.replies.extend((await self._today(ctx)).replies)
            return outcome
        answered = plan.checkin_answers(row)
        next_field = next((f for f in CHECKIN_FIELDS if f not in answered), None)
        if next_field is None:
            return await self._finish_checkin(ctx, day)
        self._open_checkin(ctx.user, day)
        header = texts.PROMPT_HEADER.format(name=self._name(ctx.user), day=_format_day(day, ctx.today))
        return Outcome(replies=[self._checkin_question(ctx.user.chat_id, day, next_field, header, answered)])

    @staticmethod
    def _in_checkin(day: date) -> tuple[str, None, dict[str, str]]:
        """(flow, flow_step, flow_data) of a runner in that day's check-in."""
        return "checkin", None, {"date": day_code(day)}

    @classmethod
    def _open_checkin(cls, user: models.User, day: date) -> None:
        """Mark the runner as in that day's check-in. The check-in message itself says which question is open
        (no flow step); unchanged, nothing is written (the answer taps then update no `users` row at all)."""
        state = cls._in_checkin(day)
        if (user.flow, user.flow_step, user.flow_data) != state:
            user.flow, user.flow_step, user.flow_data = state

    @staticmethod
    def _checkin_day_refusal(today: date, last_prompted_for: date | None, day: date) -> str | None:
        """The notice refusing a check-in button of that day (no longer open to answers), or None."""
        if not (today - timedelta(days=1) <= day <= today):
            return texts.STALE_BUTTON
        if day < today and last_prompted_for != day:
            return texts.STALE_BUTTON
        return None

    async def _checkin_answer(self, ctx: RunnerContext, day: date, field: str, raw: str, message_id: int) -> Outcome:
        value = self._checkin_value(field, raw) if field in CHECKIN_FIELDS else None
        if value is None:
            return Outcome(notice=texts.FORGED_BUTTON)
        refusal = self._checkin_day_refusal(ctx.today, ctx.user.last_prompted_for, day)
        if refusal is not None:
            return Outcome(notice=refusal)
        row = await repository.save_checkin_answer(ctx.session, ctx.user.id, day, field, value, ctx.now)
        if row is None:
            return Outcome(notice=texts.CHECKIN_CLOSED)
        answered = plan.checkin_answers(row)
        next_field = next((f for f in CHECKIN_FIELDS if f not in answered), None)
        header = self._checkin_screen_header(day, ctx.today)
        if next_field is None:
            outcome = Outcome()
            done = f"{header}\n\n{self._checkin_summary(answered)}"
            outcome.replies.append(Reply(ctx.user.chat_id, done, edit_message_id=message_id))
            outcome.replies.extend((await self._finish_checkin(ctx, day)).replies)
            return outcome
        if ctx.user.flow in (None, "checkin"):  # another flow open (e.g. a session log) stays open
            self._open_checkin(ctx.user, day)
        question = self._checkin_question(ctx.user.chat_id, day, next_field, header, answered, message_id)
        return Outcome(replies=[question])

    async def _checkin_back(self, ctx: RunnerContext, day: date, field: str, message_id: int) -> Outcome:
        """‹ Back: ask an earlier question again (its answer can be changed until the plan is given)."""
        if field not in CHECKIN_FIELDS:
            return Outcome(notice=texts.FORGED_BUTTON)
        refusal = self._checkin_day_refusal(ctx.today, ctx.user.last_prompted_for, day)
        if refusal is not None:
            return Outcome(notice=refusal)
        row = await repository.checkin_on(ctx.session, ctx.user.id, day)
        if row is not None and row.completed_at is not None:
            return Outcome(notice=texts.CHECKIN_CLOSED)
        answered = plan.checkin_answers(row)
        header = self._checkin_screen_header(day, ctx.today)
        return Outcome(replies=[self._checkin_question(ctx.user.chat_id, day, field, header, answered, message_id)])

    async def _checkin_tap(
        self, taps: CheckinTaps, telegram_id: int, chat_id: int, message_id: int, tap: b.CheckinAnswer, update_id: int
    ) -> Outcome | None:
        """The plain check-in answer (a known, active, onboarded runner in that day's check-in, not its last
        answer) in one trip to the database. It must answer exactly as `_checkin_answer` does after
        `_with_runner_once`; None for anything else, which then takes that path (nothing was written)."""
        day, field = tap.day, tap.field
        value = self._checkin_value(field, tap.value) if field in CHECKIN_FIELDS else None
        if value is None:
            return None
        now = self._clock.now()

        def admit(runner: TapRunner) -> date | None:  # runs in the database thread: pure, no I/O
            if not runner.active or runner.chat_id != chat_id or not runner.onboarded:
                return None  # _with_runner_once would write the user row, or _button refuse the tap
            if self._checkin_day_refusal(local_date(now, runner.time_zone), runner.last_prompted_for, day) is not None:
                return None  # the ORM path gives the refusal
            state = (runner.flow, runner.flow_step, runner.flow_data)
            if runner.flow in (None, "checkin") and state != self._in_checkin(day):
                return None  # _open_checkin would write the user row
            return day

        saved = await taps.save_answer(telegram_id, update_id, field, value, now, admit)
        if saved is None:
            return None
        if saved.duplicate:
            return Outcome()
        if saved.answers is None:
            return Outcome(notice=texts.CHECKIN_CLOSED)
        next_field = next(f for f in CHECKIN_FIELDS if f not in saved.answers)  # the last answer is not taken here
        today = local_date(now, saved.runner.time_zone)
        header = self._checkin_screen_header(saved.day, today)
        chat = saved.runner.chat_id
        return Outcome(replies=[self._checkin_question(chat, saved.day, next_field, header, saved.answers, message_id)])

    @staticmethod
    def _checkin_value(field: str, raw: str) -> int | float | bool | None:
        if field in ("pain_rest", "pain_walking", "pain_next_day", "fatigue"):
            return _whole_number(raw, 10)
        if field == "sleep_hours":
            allowed = {f"{v:g}": v for v, _ in SLEEP_CHOICES}
            return allowed.get(raw)
        return {"1": True, "0": False}.get(raw)

    async def _finish_checkin(self, ctx: RunnerContext, day: date) -> Outcome:
        """All nine answers are in: ask about yesterday's run if it is not logged, else give the plan."""
        ctx.user.flow = ctx.user.flow_step = None
        ctx.user.flow_data = None
        ctx.user.reminder_at = None
        yesterday = day - timedelta(days=1)
        prescribed = await repository.decision_on(ctx.session, ctx.user.id, yesterday)
        logged = await repository.session_on(ctx.session, ctx.user.id, yesterday)
        if prescribed is not None and prescribed.action == Action.RUN_WALK and logged is None:
            outcome = self._say(ctx, texts.YESTERDAY_SESSION_MISSING)
            outcome.replies.extend(self._ask_session(ctx, yesterday, "done", then_plan_for=day).replies)
            return outcome
        return await self._give_plan(ctx, day)

    async def _give_plan(self, ctx: RunnerContext, day: date) -> Outcome:
        await repository.mark_checkin_complete(ctx.session, ctx.user.id, day, ctx.now)
        change = await self._decide(ctx, day)
        assert change is not None
        header = texts.CHECKIN_DONE_HEADER.format(day=_format_day(day, ctx.today))
        return self._plan_outcome(ctx, change, header)

    async def _decide(self, ctx: RunnerContext, day: date) -> plan.DecisionChange | None:
        """Decide a day for this runner and queue what their followers must be told about it."""
        change = await plan.decide_and_store(ctx.session, ctx.user.id, day, ctx.now)
        if change is not None:
            ctx.also.extend(await care.alerts(ctx.session, ctx.user, change, day))
            if "reevaluate" in change.new_reasons:
                ctx.also.extend(await care.reevaluation(ctx.session, ctx.user, day))
        return change

    def _plan_outcome(self, ctx: RunnerContext, change: plan.DecisionChange, header: str | None) -> Outcome:
        text = plan.describe(change.decision)
        if change.pause_started:
            text = f"{texts.PAUSED_NOW}\n\n{text}"
            if "clinician" not in text:  # the engine's pause messages say it; make sure every pause does
                text = f"{text}\n\n{texts.CONTACT_CLINICIAN}"
        elif change.pause_ended:
            text = f"{texts.RESUMED}\n\n{text}"
        if header:
            text = f"{header}\n\n{text}"
        return self._say(ctx, text)

    async def _snooze(self, ctx: RunnerContext, day: date) -> Outcome:
        if day != ctx.today:
            return Outcome(notice=texts.STALE_BUTTON)
        ctx.user.reminder_at = ctx.now + SNOOZE
        return Outcome(notice=texts.SNOOZED)

    # ------------------------------------------------------------------ "what's today?"

    async def _today(self, ctx: RunnerContext) -> Outcome:
        day = ctx.today
        row = await repository.checkin_on(ctx.session, ctx.user.id, day)
        change = await self._decide(ctx, day)
        assert change is not None
        outcome = self._plan_outcome(ctx, change, f"Today ({day.strftime('%a %d %b')}):")
        if not plan.is_complete(row):
            outcome.say(ctx.user.chat_id, texts.TODAY_NEEDS_CHECKIN, (((texts.CHECKIN_NOW_BUTTON, b.CheckinNow()),),))
        return outcome

    # ------------------------------------------------------------------ session log

    async def _log_command(self, ctx: RunnerContext) -> Outcome:
        today, yesterday = ctx.today, ctx.today - timedelta(days=1)
        buttons: list[Button] = [
            (texts.TODAY_LABEL, b.LogDay(today)),
            (texts.YESTERDAY_LABEL, b.LogDay(yesterday)),
        ]
        return self._say(ctx, texts.ASK_LOG_DAY, (tuple(buttons),))

    def _ask_session(self, ctx: RunnerContext, day: date, field: str, then_plan_for: date | None = None) -> Outcome:
        data = dict(ctx.user.flow_data or {}) if ctx.user.flow == "log" else {}
        data["date"] = day_code(day)
        if then_plan_for is not None:
            data["then_plan_for"] = day_code(then_plan_for)
        ctx.user.flow, ctx.user.flow_step, ctx.user.flow_data = "log", field, data
        keyboard: Keyboard
        if field == "done":
            keyboard = rows(
                [(label, b.LogAnswer(day, field, key)) for key, label in texts.SESSION_DONE_LABELS.items()], 2
            )
        elif field == "run_minutes":
            keyboard = rows([(str(m), b.LogAnswer(day, field, str(m))) for m in RUN_MINUTE_CHOICES], 7)
        else:
            keyboard = scale_keyboard(lambda value: b.LogAnswer(day, field, str(value)))
        text = texts.SESSION_QUESTIONS[field].format(day=_format_day(day, ctx.today))
        return self._say(ctx, text, keyboard)

    async def _log_answer(self, ctx: RunnerContext, day: date, field: str, raw: str, message_id: int | None) -> Outcome:
        value: Any
        if field == "done":
            if raw not in texts.SESSION_DONE_LABELS:
                return Outcome(notice=texts.FORGED_BUTTON)
            value = raw
        elif field == "run_minutes":
            if _whole_number(raw, 1440) is None:
                return Outcome(notice=texts.FORGED_BUTTON)
            value = float(raw)
        elif field in ("pain_during", "pain_after", "rpe"):
            if _whole_number(raw, 10) is None:
                return Outcome(notice=texts.FORGED_BUTTON)
            value = int(raw)
        else:
            return Outcome(notice=texts.FORGED_BUTTON)
        existing = await repository.session_on(ctx.session, ctx.user.id, day)
        if field != "done" and existing is None:
            return Outcome(notice=texts.STALE_BUTTON)
        await repository.save_session_answer(ctx.session, ctx.user.id, day, field, value, ctx.now)
        outcome = Outcome()
        if message_id is not None:
            shown = texts.SESSION_DONE_LABELS.get(str(value), str(value)) if field == "done" else f"{value:g}"
            question = texts.SESSION_QUESTIONS[field].format(day=_format_day(day, ctx.today))
            answer = f"✓ {texts.SESSION_LABELS[field]}: {shown}"
            outcome.replies.append(Reply(ctx.user.chat_id, f"{question}\n{answer}", edit_message_id=message_id))
        next_field: str | None
        if field == "done":
            if value == "as_prescribed":
                prescribed = await repository.decision_on(ctx.session, ctx.user.id, day)
                minutes = float(prescribed.payload.get("run_minutes", 0)) if prescribed is not None else 0.0
                await repository.save_session_answer(ctx.session, ctx.user.id, day, "run_minutes", minutes, ctx.now)
                next_field = "pain_during" if minutes > 0 else None
            elif value in ("partial", "more"):
                next_field = "run_minutes"
            else:
                await repository.save_session_answer(ctx.session, ctx.user.id, day, "run_minutes", 0.0, ctx.now)
                next_field = None
        elif field == "run_minutes":
            next_field = "pain_during" if value > 0 else None
        else:
            next_field = {"pain_during": "pain_after", "pain_after": "rpe", "rpe": None}[field]
        if next_field is not None:
            outcome.replies.extend(self._ask_session(ctx, day, next_field).replies)
            return outcome
        data = dict(ctx.user.flow_data or {})
        ctx.user.flow = ctx.user.flow_step = None
        ctx.user.flow_data = None
        logged = await repository.session_on(ctx.session, ctx.user.id, day)
        text = texts.SESSION_LOGGED.format(day=_format_day(day, ctx.today))
        if logged is not None and ((logged.pain_during or 0) > 0 or (logged.pain_after or 0) > 0):
            text = f"{text}\n\n{texts.SESSION_PAIN_NOTE}"
        outcome.say(ctx.user.chat_id, text)
        plan_day = parse_day_code(str(data.get("then_plan_for", "")))
        if plan_day is not None:
            outcome.replies.extend((await self._give_plan(ctx, plan_day)).replies)
        return outcome

    # ------------------------------------------------------------------ pain, pause, resume

    async def _pain_command(self, ctx: RunnerContext) -> Outcome:
        buttons: list[Button] = [(label, b.PainKind(key)) for key, label in texts.PAIN_KINDS.items()]
        return self._say(ctx, texts.ASK_PAIN_KIND, rows(buttons, 2))

    async def _pain_answer(self, ctx: RunnerContext, kind: str, level: int | None) -> Outcome:
        if kind not in texts.PAIN_KINDS:
            return Outcome(notice=texts.FORGED_BUTTON)
        if kind in ("rest", "walking", "run"):
            if level is None:
                keyboard = scale_keyboard(lambda value: b.PainLevel(kind, value))
                return self._say(ctx, f"{texts.PAIN_KINDS[kind]}: {texts.ASK_PAIN_LEVEL}", keyboard)
            if level > 10:
                return Outcome(notice=texts.FORGED_BUTTON)
            value = level
        else:
            if level is not None:
                return Outcome(notice=texts.FORGED_BUTTON)
            value = 1
        day = ctx.today
        await repository.add_pain_report(ctx.session, ctx.user.id, day, kind, value, ctx.now)
        await ctx.session.flush()
        change = await self._decide(ctx, day)
        assert change is not None
        if change.pause_started:
            return self._plan_outcome(ctx, change, None)
        outcome = self._say(ctx, texts.PAIN_NOTED if not change.decision.paused else texts.PAUSED_NOW)
        outcome.replies.extend(self._plan_outcome(ctx, change, "Today's plan now:").replies)
        return outcome

    async def _pause_command(self, ctx: RunnerContext) -> Outcome:
        await repository.add_event(ctx.session, ctx.user.id, ctx.today, Event.PAUSE_REQUESTED, ctx.now)
        change = await self._decide(ctx, ctx.today)
        assert change is not None
        outcome = self._say(ctx, texts.PAUSE_CONFIRMED)
        outcome.replies.extend(self._plan_outcome(ctx, change, None).replies)
        return outcome

    async def _resume_command(self, ctx: RunnerContext) -> Outcome:
        current = await self._decide(ctx, ctx.today)
        assert current is not None
        if not current.decision.paused:
            return self._say(ctx, texts.NOT_PAUSED)
        await repository.add_event(ctx.session, ctx.user.id, ctx.today, Event.RESUME_REQUESTED, ctx.now)
        await ctx.session.flush()
        change = await self._decide(ctx, ctx.today)
        assert change is not None
        if change.decision.paused:
            keyboard: Keyboard = (((texts.SELF_CLEARED_BUTTON, b.SelfClearance("ask")),),)
            return self._say(ctx, f"{texts.RESUME_REFUSED}\n\n{plan.describe(change.decision)}", keyboard)
        return self._plan_outcome(ctx, change, None)

    async def _self_reported_clearance(self, ctx: RunnerContext, answer: str) -> Outcome:
        """The runner tells us their clinician cleared them (for runners whose clinician does not follow them
        here): asked to confirm first, then recorded as the engine's `clinician_cleared` event for today."""
        if answer == "ask":
            keyboard: Keyboard = (
                ((texts.SELF_CLEARED_YES, b.SelfClearance("yes")), (texts.NO, b.SelfClearance("no"))),
            )
            return self._say(ctx, texts.SELF_CLEARED_CONFIRM.format(day=ctx.today.isoformat()), keyboard)
        if answer != "yes":
            return self._say(ctx, texts.SELF_CLEARED_NOT_RECORDED)
        await repository.add_event(ctx.session, ctx.user.id, ctx.today, Event.CLINICIAN_CLEARED, ctx.now)
        await ctx.session.flush()
        change = await self._decide(ctx, ctx.today)
        assert change is not None
        if change.decision.paused:
            return self._say(ctx, f"{texts.SELF_CLEARED_RECORDED}\n\n{plan.describe(change.decision)}")
        return self._plan_outcome(ctx, change, texts.SELF_CLEARED_RECORDED)

    # ------------------------------------------------------------------ history, export, delete

    async def _history(self, ctx: RunnerContext) -> Outcome:
        outcome = Outcome()
        outcome.say(ctx.user.chat_id, "Last 14 days (pain 0–10; ran = run minutes; pain = during/after):")
        outcome.say(ctx.user.chat_id, await plan.history_table(ctx.session, ctx.user.id, ctx.today), monospace=True)
        return outcome

    async def _export(self, ctx: RunnerContext) -> Outcome:
        data = await repository.export_rows(ctx.session, ctx.user.id)
        everything = json.dumps(data, default=str, indent=2, sort_keys=True).encode()
        daily = io.StringIO()
        writer = csv.writer(daily)
        fields = [
            "date",
            *CHECKIN_FIELDS,
            *[f"session_{f}" for f in repository.SESSION_FIELDS],
            "action",
            "level",
            "paused",
            "reasons",
        ]
        writer.writerow(fields)
        by_c = {r["local_date"]: r for r in data["checkins"]}
        by_s = {r["local_date"]: r for r in data["session_logs"]}
        by_d = {r["local_date"]: r for r in data["decisions"]}
        for day in sorted({*by_c, *by_s, *by_d}):
            c, s, d = by_c.get(day, {}), by_s.get(day, {}), by_d.get(day, {})
            writer.writerow(
                [
                    day,
                    *[c.get(f) for f in CHECKIN_FIELDS],
                    *[s.get(f) for f in repository.SESSION_FIELDS],
                    d.get("action"),
                    d.get("level"),
                    d.get("paused"),
                    " ".join(d.get("reasons") or []),
                ]
            )
        outcome = Outcome()
        outcome.replies.append(
            Reply(
                ctx.user.chat_id,
                texts.EXPORT_CAPTION,
                document=Document("runback-daily-log.csv", daily.getvalue().encode()),
            )
        )
        outcome.replies.append(
            Reply(ctx.user.chat_id, texts.EXPORT_CAPTION, document=Document("runback-export.json", everything))
        )
        return outcome

    async def _delete(self, ctx: RunnerContext, confirmed: bool) -> Outcome:
        if not confirmed:
            return self._say(ctx, texts.DELETE_KEPT)
        chat_id = ctx.user.chat_id
        await care.forget_follows(ctx.session, ctx.user.id)
        await repository.delete_user(ctx.session, ctx.user.id)
        outcome = Outcome()
        outcome.say(chat_id, texts.DELETED)
        return outcome

    # ------------------------------------------------------------------ scheduling

    def _schedule(self, user: models.User, now: datetime) -> None:
        moment, for_day = next_prompt(now, user.checkin_minute, user.time_zone)
        if user.last_prompted_for is not None and for_day <= user.last_prompted_for:
            # already prompted for that morning (e.g. a change of time zone): go on to the next one
            moment, for_day = next_prompt(max(moment, now) + timedelta(minutes=1), user.checkin_minute, user.time_zone)
        user.next_prompt_at, user.next_prompt_for = moment, for_day

    async def collect_due(self, limit: int = 500) -> list[Reply]:
        """Claim every morning prompt and reminder due now and return them to be sent.

        A claimed prompt is moved on to its next morning in the same transaction, before anything is sent,
        so a crash or a second round never sends it twice (at most once, by design). A prompt missed by
        downtime is sent late only while it is still that runner's morning.
        """
        now = self._clock.now()
        replies: list[Reply] = []
        async with self.sessions() as session, session.begin():
            if self._pruned_at is None or not timedelta(0) <= now - self._pruned_at < PRUNE_EVERY:
                await repository.prune_processed_updates(session, now - UPDATE_IDS_KEPT)
                self._pruned_at = now
            prompts = await repository.due_prompts(session, now, limit)
            # the batch's check-ins in one query, not one per runner
            known = await repository.checkins_on(
                session, [u.id for u in prompts], {local_date(now, u.time_zone) for u in prompts}
            )
            for user in prompts:
                # After downtime the stored prompt may be for an earlier day; what counts is today's
                # morning, if its time has come and it is still morning.
                for_day = local_date(now, user.time_zone)
                due = prompt_moment(for_day, user.checkin_minute, user.time_zone) <= now
                if due and user.last_prompted_for != for_day and still_morning(now, for_day, user.time_zone):
                    reply = await self._morning_prompt(session, user, for_day, now, known=known)
                    if reply is not None:
                        replies.append(reply)
                        user.last_prompted_for = for_day
                        user.reminder_at = now + self._reminder_after
                self._schedule(user, now)
            reminders = await repository.due_reminders(session, now, limit)
            self.more_due = len(prompts) >= limit or len(reminders) >= limit
            for user in reminders:
                user.reminder_at = None
                for_day = local_date(now, user.time_zone)
                row = await repository.checkin_on(session, user.id, for_day)
                if plan.is_complete(row):
                    continue
                reply = await self._morning_prompt(session, user, for_day, now, texts.REMINDER_HEADER)
                if reply is not None:
                    replies.append(reply)
            replies.extend(await care.weekly_summaries(session, now, limit))
        return replies

    async def _morning_prompt(
        self,
        session: AsyncSession,
        user: models.User,
        day: date,
        now: datetime,
        header: str = texts.PROMPT_HEADER,
        known: dict[tuple[int, date], models.CheckIn] | None = None,
    ) -> Reply | None:
        """`known`: the check-ins already loaded for a batch (a runner missing from it has none)."""
        row = known.get((user.id, day)) if known is not None else await repository.checkin_on(session, user.id, day)
        if row is not None and row.completed_at is not None:
            return None
        answered = plan.checkin_answers(row)
        field = next((f for f in CHECKIN_FIELDS if f not in answered), None)
        if field is None:
            return None
        if user.flow is None or user.flow == "checkin":
            self._open_checkin(user, day)
        ctx = RunnerContext(session, user, now)
        text = header.format(name=self._name(user), day=_format_day(day, ctx.today))
        question = self._checkin_question(ctx.user.chat_id, day, field, text, answered)
        keyboard = (*question.keyboard, ((texts.SNOOZE_BUTTON, b.Snooze(day)),))
        return Reply(user.chat_id, question.text, keyboard)

    async def first_delivery(self, update_id: int) -> bool:
        """Claim an update that stores nothing else (a sticker, an edit, a group message): True the first time,
        False when Telegram delivers it again (a retried webhook, another worker), so it is answered once."""
        async with self.sessions() as session, session.begin():
            return await repository.claim_update(session, update_id, None, self._clock.now())

    async def mark_blocked(self, chat_id: int) -> None:
        """Telegram said the runner blocked the bot: stop prompting them until they write again."""
        async with self.sessions() as session, session.begin():
            from sqlalchemy import update

            await session.execute(
                update(models.User).where(models.User.chat_id == chat_id).values(active=False, reminder_at=None)
            )

    @staticmethod
    def _name(user: models.User) -> str:
        return f", {user.first_name}" if user.first_name else ""
