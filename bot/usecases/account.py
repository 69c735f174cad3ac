"""The runner's own account: /help, /cancel, /history, /export (CSV and JSON) and /delete."""

from __future__ import annotations

import csv
import io
import json

from bot.replies import Document, Keyboard, Outcome, Reply
from bot.storage import follows, repository
from bot.usecases import buttons as b
from bot.usecases import plan
from bot.usecases.context import RunnerContext, end_flow, say, uses_miles

DAILY_FIELDS = (
    "date",
    *repository.CHECKIN_FIELDS,
    *(f"session_{f}" for f in repository.SESSION_FIELDS),
    *(f"session_{f}" for f in repository.SESSION_FILE_FIELDS),
    "action",
    "level",
    "paused",
    "reasons",
)


async def help_(ctx: RunnerContext) -> Outcome:
    texts = ctx.texts
    return say(ctx, texts.HELP)


async def cancel(ctx: RunnerContext) -> Outcome:
    texts = ctx.texts
    user = ctx.user
    if user.flow is None:
        return say(ctx, texts.NOTHING_TO_CANCEL)
    if user.flow == "onboarding":
        return say(ctx, texts.ONBOARDING_NOT_CANCELLED)
    end_flow(user)
    return say(ctx, texts.CANCELLED)


async def history(ctx: RunnerContext) -> Outcome:
    texts = ctx.texts
    outcome = say(ctx, texts.HISTORY_HEADER)
    table = await plan.history_table(ctx.session, ctx.user.id, ctx.today, texts=texts, miles=uses_miles(ctx.user))
    outcome.say(ctx.user.chat_id, table, monospace=True)
    return outcome


async def export(ctx: RunnerContext) -> Outcome:
    """Every row of the person's: the daily log as CSV, and everything as JSON."""
    texts = ctx.texts
    data = await repository.export_rows(ctx.session, ctx.user.id)
    everything = json.dumps(data, default=str, indent=2, sort_keys=True).encode()
    daily = io.StringIO()
    writer = csv.writer(daily)
    writer.writerow([texts.EXPORT_COLUMNS[field] for field in DAILY_FIELDS])  # the reader's language
    by_c = {r["local_date"]: r for r in data["checkins"]}
    by_s = {r["local_date"]: r for r in data["session_logs"]}
    by_d = {r["local_date"]: r for r in data["decisions"]}
    for day in sorted({*by_c, *by_s, *by_d}):
        c, s, d = by_c.get(day, {}), by_s.get(day, {}), by_d.get(day, {})
        writer.writerow(
            [
                day,
                *[c.get(f) for f in repository.CHECKIN_FIELDS],
                *[s.get(f) for f in repository.SESSION_FIELDS],
                *[s.get(f) for f in repository.SESSION_FILE_FIELDS],
                d.get("action"),
                d.get("level"),
                d.get("paused"),
                " ".join(d.get("reasons") or []),
            ]
        )
    chat = ctx.user.chat_id
    csv_file = Document(texts.EXPORT_DAILY_FILENAME, daily.getvalue().encode())
    json_file = Document(texts.EXPORT_ALL_FILENAME, everything)
    return Outcome(
        replies=[
            Reply(chat, texts.EXPORT_CAPTION, document=csv_file),
            Reply(chat, texts.EXPORT_CAPTION, document=json_file),
        ]
    )


async def ask_delete(ctx: RunnerContext) -> Outcome:
    texts = ctx.texts
    keyboard: Keyboard = (((texts.DELETE_YES, b.DeleteAnswer(True)), (texts.NO, b.DeleteAnswer(False))),)
    return say(ctx, texts.DELETE_CONFIRM, keyboard)


async def delete(ctx: RunnerContext, confirmed: bool) -> Outcome:
    """Anyone may erase themselves: a follower, or a runner who stopped half way through the set-up."""
    texts = ctx.texts
    if not confirmed:
        return say(ctx, texts.DELETE_KEPT)
    chat_id = ctx.user.chat_id
    await follows.forget_follows(ctx.session, ctx.user.id)
    await repository.delete_user(ctx.session, ctx.user.id)
    outcome = Outcome()
    outcome.say(chat_id, texts.DELETED)
    return outcome
