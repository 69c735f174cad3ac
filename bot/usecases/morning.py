"""The morning round's use case: which runners are due a check-in prompt or a reminder now, the message each
gets, and moving each on to their next morning; plus the followers' weekly summaries.

A claimed prompt is moved on to its next morning in the same transaction, before anything is sent, so a crash
or a second round never sends it twice (at most once, by design). A prompt missed by downtime is sent late only
while it is still that runner's morning.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from bot import texts
from bot.replies import Reply
from bot.storage import models, repository
from bot.storage.unit_of_work import DbSession, UnitOfWork
from bot.timezones import local_date, prompt_moment, still_morning
from bot.usecases import buttons as b
from bot.usecases import plan
from bot.usecases.checkin import next_question, open_checkin, question
from bot.usecases.context import format_day, name_suffix
from bot.usecases.reports import weekly_summaries
from bot.usecases.schedule import schedule_prompt

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
    header: str = texts.PROMPT_HEADER,
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
    text = header.format(name=name_suffix(user), day=format_day(day, local_date(now, user.time_zone)))
    asked = question(user.chat_id, day, field_, text, answered)
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
        reply = await prompt(session, user, for_day, now, texts.REMINDER_HEADER)
        if reply is not None:
            replies.append(reply)
    return replies


@dataclass
class Collected:
    replies: list[Reply] = field(default_factory=list)
    more_due: bool = False  # stopped at the limit: more may be due right now


async def collect_due(
    uow: UnitOfWork, now: datetime, limit: int, reminder_after: timedelta, pruning: Pruning
) -> Collected:
    """Claim every morning prompt and reminder due now (up to `limit` of each) and return them to be sent."""

    async def work(session: DbSession) -> Collected:
        await pruning.maybe(session, now)
        collected = Collected()
        prompts = list(await repository.due_prompts(session, now, limit))
        known = await batch_checkins(session, prompts, now)
        for user in prompts:
            for_day = due_day(user, now)
            reply = await prompt(session, user, for_day, now, known=known) if for_day is not None else None
            if reply is not None and for_day is not None:
                collected.replies.append(reply)
                moved_on(user, for_day, now, reminder_after)
            else:
                schedule_prompt(user, now)
        due_reminders = list(await repository.due_reminders(session, now, limit))
        collected.more_due = len(prompts) >= limit or len(due_reminders) >= limit
        collected.replies.extend(await reminders(session, due_reminders, now))
        collected.replies.extend(await weekly_summaries(session, now, limit))
        return collected

    return await uow.run(work)
