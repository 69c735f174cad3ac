"""The morning round's use case: which runners are due a check-in prompt or a reminder now, the message each
gets, and moving each on to their next morning; plus the followers' weekly summaries.

How a claimed prompt is held until it is sent (moved on at once with one process, a lease with several) is
the claims port's (bot/storage/claims.py); either way a prompt is sent at most once. A prompt missed by
downtime is sent late only while it is still that runner's morning. The round that sends them, paced to
Telegram's limit, is bot/telegram/morning_round.py.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from bot.replies import Reply
from bot.storage import alerts as alert_rows
from bot.storage import models, repository
from bot.storage.claims import PromptClaims, due_prompts, due_reminders, release
from bot.storage.unit_of_work import DbSession, UnitOfWork
from bot.timezones import local_date, prompt_moment, still_morning
from bot.usecases import alerts, plan
from bot.usecases import buttons as b
from bot.usecases.checkin import next_question, open_checkin, question, recorded_no_signs
from bot.usecases.context import RunnerContext, format_day, name_suffix, texts_of
from bot.usecases.reports import weekly_summaries
from bot.usecases.schedule import schedule_prompt

log = logging.getLogger("runback.morning")

UPDATE_IDS_KEPT = timedelta(days=7)  # replay protection: Telegram re-delivers an unconfirmed update for 24 h
PRUNE_EVERY = timedelta(hours=1)

Known = dict[tuple[int, date], models.CheckIn]


@dataclass
class Pruning:
    """Forgets old update ids at most once an hour, from whichever round comes first."""

    pruned_at: datetime | None = None

    async def maybe(self, session: DbSession, now: datetime) -> None:
        if self.pruned_at is None or not timedelta(0) <= now - self.pruned_at < PRUNE_EVERY:
            await repository.prune_processed_updates(session, now - UPDATE_IDS_KEPT)
            self.pruned_at = now


def due_day(user: models.User, now: datetime) -> date | None:
    """The morning a claimed runner is due a prompt for now, or None. After downtime the stored prompt may be
    for an earlier day; what counts is today's morning, if its time has come and it is still morning."""
    for_day = local_date(now, user.time_zone)
    due = prompt_moment(for_day, user.checkin_minute, user.time_zone) <= now
    if due and user.last_prompted_for != for_day and still_morning(now, for_day, user.time_zone):
        return for_day
    return None


async def prompt(
    session: DbSession,
    user: models.User,
    day: date,
    now: datetime,
    header: str | None = None,
    known: Known | None = None,
) -> Reply | None:
    """The check-in prompt (or reminder) of `day`: its first unanswered question; None if nothing is left to ask.
    `known`: the check-ins already loaded for a batch (a runner missing from it has none)."""
    row = known.get((user.id, day)) if known is not None else await repository.checkin_on(session, user.id, day)
    if row is not None and row.completed_at is not None:
        return None
    answered = plan.checkin_answers(row)
    field_ = next_question(answered)
    if field_ is None:
        return None
    if user.flow is None or user.flow == "checkin":
        open_checkin(user, day)
    texts = texts_of(user)  # the runner's language
    text = (header or texts.PROMPT_HEADER).format(
        name=name_suffix(user), day=format_day(day, local_date(now, user.time_zone), texts=texts)
    )
    asked = question(user.chat_id, day, field_, text, answered, no_signs=recorded_no_signs(user, day), texts=texts)
    keyboard = (*asked.keyboard, ((texts.SNOOZE_BUTTON, b.Snooze(day)),))
    return Reply(user.chat_id, asked.text, keyboard)


def moved_on(user: models.User, for_day: date, now: datetime, reminder_after: timedelta) -> None:
    """The prompt for `for_day` went out (or may have): a reminder later, then the runner's next morning."""
    user.last_prompted_for = for_day
    user.reminder_at = now + reminder_after
    schedule_prompt(user, now)


async def batch_checkins(session: DbSession, users: list[models.User], now: datetime) -> Known:
    """The batch's check-ins in one query, not one per runner."""
    return await repository.checkins_on(session, [u.id for u in users], {local_date(now, u.time_zone) for u in users})


async def reminders(session: DbSession, users: list[models.User], now: datetime) -> list[Reply]:
    """Reminders claimed (their `reminder_at` cleared): for those whose check-in of today is not complete."""
    replies = []
    for user in users:
        user.reminder_at = None
        for_day = local_date(now, user.time_zone)
        if plan.is_complete(await repository.checkin_on(session, user.id, for_day)):
            continue
        reply = await prompt(session, user, for_day, now, texts_of(user).REMINDER_HEADER)
        if reply is not None:
            replies.append(reply)
    return replies


@dataclass(frozen=True)
class Claimed:
    """A prompt this worker claimed, to be sent."""

    user_id: int
    for_day: date
    reply: Reply


@dataclass
class Batch:
    claimed: list[Claimed] = field(default_factory=list)  # prompts held until sent (see bot/storage/claims.py)
    others: list[Reply] = field(default_factory=list)  # reminders and summaries: claimed once, sent as they are
    more_due: bool = False  # stopped at the limit: more may be due right now


async def claim_batch(
    uow: UnitOfWork, claims: PromptClaims, now: datetime, limit: int, reminder_after: timedelta, pruning: Pruning
) -> Batch:
    """Claim up to `limit` due prompts and reminders (and the due weekly summaries), with their messages."""

    async def work(session: DbSession) -> Batch:
        await pruning.maybe(session, now)
        batch = Batch()
        users = list(await due_prompts(session, now, limit))
        known = await batch_checkins(session, users, now)
        latest = max((local_date(now, u.time_zone) for u in users), default=None)
        silences = await alert_rows.silence_facts(session, [u.id for u in users], latest) if latest else {}
        for user in users:
            if user.prompt_attempted_at is not None:
                # claimed by a worker that stopped after its request left: Telegram may have it
                log.warning("a prompt begun by a stopped worker (%s) is not sent again", user.prompt_claimed_by)
                release(user)
                moved_on(user, local_date(now, user.time_zone), now, reminder_after)
                continue
            for_day = due_day(user, now)
            reply = await prompt(session, user, for_day, now, known=known) if for_day is not None else None
            if reply is None or for_day is None:
                release(user)
                schedule_prompt(user, now)
                continue
            facts = silences.get(user.id)
            if facts is not None:
                reply = await _missed_checkins(session, user, for_day, now, known, facts, batch) or reply
            batch.claimed.append(Claimed(user.id, for_day, reply))
            if claims.moves_on_when_claimed:
                moved_on(user, for_day, now, reminder_after)
            else:
                claims.hold(user)
        reminded = list(await due_reminders(session, now, limit))
        batch.more_due = len(users) >= limit or len(reminded) >= limit
        batch.others.extend(await reminders(session, reminded, now))
        batch.others.extend(await weekly_summaries(session, now, limit))
        batch.others.extend(await alerts.due_alerts(session, now, limit))  # held 10 minutes (no alert storms)
        return batch

    return await uow.run(work)


async def _missed_checkins(
    session: DbSession,
    user: models.User,
    day: date,
    now: datetime,
    known: Known,
    facts: alert_rows.SilenceFacts,
    batch: Batch,
) -> Reply | None:
    """A runner silent for days: their followers may be alerted (with the batch), and after 2 days the prompt
    is a gentle nudge instead (returned), not one more message."""
    ctx = RunnerContext(session, user, now)
    silent = await alerts.missed_checkins_today(ctx, day, facts)
    batch.others.extend(ctx.also)
    if silent is None:
        return None
    # the rest is filled by `prompt`
    header = texts_of(user).NUDGE_HEADER.format(days=silent, name="{name}", day="{day}")
    return await prompt(session, user, day, now, header, known=known)


async def mark_sent(
    uow: UnitOfWork, claims: PromptClaims, items: list[Claimed], now: datetime, reminder_after: timedelta
) -> None:
    """Telegram answered these: move each runner still held by this worker on to their next morning."""
    days = {item.user_id: item.for_day for item in items}

    async def work(session: DbSession) -> None:
        for user in await claims.held(session, list(days)):
            release(user)
            moved_on(user, days[user.id], now, reminder_after)

    if days and not claims.moves_on_when_claimed:
        await uow.run(work)
