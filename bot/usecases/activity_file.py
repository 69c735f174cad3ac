"""A watch file sent to the chat (GPX, TCX or FIT): the session logged for the file's local day, compared with
that day's prescription, then only what the file cannot know asked (bone pain during and after, effort) in the
session log's one message. A second file for a logged day asks whether to replace the log or add to it.

The Telegram adapter downloads the file (or says why it could not: a typed failure, never bytes it did not get);
`read` parses it off the event loop, before the unit of work, so no lock is held while a file is read; `received`
then logs it. A bad file gets its own message and stores nothing; the log names the reason, never the content.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import replace
from datetime import date
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from bot.activity import (
    DEFAULT_LIMITS,
    ActivityRejected,
    ActivitySummary,
    RejectReason,
    Sport,
    check_day,
    file_format,
)
from bot.i18n import Texts
from bot.replies import Outcome
from bot.storage import models, repository
from bot.timezones import day_code, parse_day_code
from bot.usecases import buttons as b
from bot.usecases.context import RunnerContext, format_day, say, uses_miles
from bot.usecases.file_data import file_data, logged_file_data
from bot.usecases.session_log import ask_session
from engine.model import Action

log = logging.getLogger("runback.activity_file")

# Within a minute of the prescription counts as done as planned: the run/walk split of a file is that precise.
PLANNED_WITHIN_MINUTES = 1.0
PARSE_ZONE = ZoneInfo("UTC")  # the file is read zone-free; `received` places it in the runner's zone
OPEN_FLOWS = (None, "checkin", "log")  # a file is taken while none of these questions is open


class DownloadFailure(enum.StrEnum):
    """The adapter could not fetch the file (Telegram or the network failed): nothing to read, try again."""

    UNAVAILABLE = "unavailable"


Received = bytes | ActivityRejected | DownloadFailure
Parsed = ActivitySummary | ActivityRejected | DownloadFailure


class Parser(Protocol):
    async def parse(self, data: bytes, filename: str, tz: ZoneInfo) -> ActivitySummary | ActivityRejected: ...


def refused_before_download(filename: str, size: int | None) -> ActivityRejected | None:
    """What the file's name and announced size already decide (no download for those), else None."""
    if size == 0:
        return ActivityRejected(RejectReason.EMPTY)
    if size is not None and size > DEFAULT_LIMITS.max_bytes:
        return ActivityRejected(RejectReason.TOO_LARGE)  # Telegram's getFile refuses it anyway
    if file_format(filename) is None:
        return ActivityRejected(RejectReason.UNKNOWN_EXTENSION)
    return None


async def read(parser: Parser, filename: str, received: Received) -> Parsed:
    """The file parsed (in the parser's bounded worker, off the event loop), or why there is nothing to read."""
    if not isinstance(received, bytes):
        return received
    return await parser.parse(received, filename, PARSE_ZONE)


def _in_zone(ctx: RunnerContext, summary: ActivitySummary) -> ActivitySummary:
    """The session placed in the runner's zone: its local start, hence its day."""
    zone = ZoneInfo(ctx.user.time_zone)
    return replace(summary, local_start=summary.local_start.astimezone(zone))


def _file_values(summary: ActivitySummary) -> dict[str, Any]:
    """The session_logs columns a file gives (whole minutes, as a typed log)."""
    distance = round(summary.distance_km, 2) if summary.distance_km is not None else None
    return {
        "run_minutes": float(summary.run_minutes),
        "walk_minutes": float(summary.walk_minutes),
        "source": summary.source_format.value,
        "sport": summary.sport.value,
        "distance_km": distance,
        "avg_hr": summary.avg_heart_rate,
        "avg_cadence": summary.avg_cadence_spm,
    }


def _describe(values: dict[str, Any], *, texts: Texts, miles: bool = False) -> str:
    return file_data(
        values["source"],
        values["run_minutes"],
        values["walk_minutes"],
        values["distance_km"],
        values["avg_hr"],
        values["avg_cadence"],
        texts=texts,
        miles=miles,
    )


def _rejected(ctx: RunnerContext, reason: RejectReason, day: date | None = None, detail: str = "") -> Outcome:
    texts = ctx.texts
    log.info("watch file not logged: %s %s", reason.value, detail)  # the reason only: never the file's content
    shown = format_day(day, ctx.today, texts=texts) if day is not None else ""
    return say(ctx, texts.FILE_REJECTED[reason.value].format(day=shown))


async def received(ctx: RunnerContext, parsed: Parsed) -> Outcome:
    """A file the runner sent, read: log it, offer it as cross-training, or say why it logs nothing."""
    texts = ctx.texts
    if ctx.user.flow not in OPEN_FLOWS:
        return say(ctx, texts.FILE_FINISH_FIRST)
    if isinstance(parsed, DownloadFailure):
        return say(ctx, texts.FILE_DOWNLOAD_FAILED)
    if isinstance(parsed, ActivityRejected):
        if parsed.reason is RejectReason.NOT_ON_FOOT and parsed.summary is not None:
            return _offer_cross_training(ctx, _in_zone(ctx, parsed.summary))
        return _rejected(ctx, parsed.reason, detail=parsed.detail)
    summary = _in_zone(ctx, parsed)
    late = check_day(summary, ctx.today)
    if late is not None:
        return _rejected(ctx, late.reason, summary.local_date)
    day, values = summary.local_date, _file_values(summary)
    existing = await repository.session_on(ctx.session, ctx.user.id, day)
    if existing is None:
        return await _log(ctx, day, values | {"pain_during": None, "pain_after": None, "rpe": None}, keep_worst=False)
    ctx.user.flow, ctx.user.flow_step = "log", "file_same_day"
    ctx.user.flow_data = {"date": day_code(day), "file": "1", "pending": values}
    logged = logged_file_data(existing, texts=texts, miles=uses_miles(ctx.user)) or texts.FILE_LOGGED_TYPED
    text = texts.FILE_SAME_DAY.format(
        day=format_day(day, ctx.today, texts=texts),
        logged=logged,
        file=_describe(values, texts=texts, miles=uses_miles(ctx.user)),
    )
    keyboard = (
        (
            (texts.FILE_REPLACE_BUTTON, b.FileSameDay(day, "replace")),
            (texts.FILE_ADD_BUTTON, b.FileSameDay(day, "add")),
        ),
    )
    return say(ctx, text, keyboard)


async def same_day(ctx: RunnerContext, tap: b.FileSameDay) -> Outcome:
    """The file waiting takes the place of the day's log, or is added to it as a second session."""
    texts = ctx.texts
    data = ctx.user.flow_data or {}
    waiting = data.get("pending")
    state = (ctx.user.flow, ctx.user.flow_step, parse_day_code(str(data.get("date", ""))))
    if state != ("log", "file_same_day", tap.day) or not isinstance(waiting, dict):
        return Outcome(notice=texts.STALE_BUTTON)  # answered already, or another file came since
    existing = await repository.session_on(ctx.session, ctx.user.id, tap.day)
    if tap.choice == "replace" or existing is None:
        return await _log(ctx, tap.day, waiting | {"pain_during": None, "pain_after": None, "rpe": None}, False)
    return await _log(ctx, tap.day, _added(existing, waiting), keep_worst=True)


def _added(existing: models.SessionLog, file: dict[str, Any]) -> dict[str, Any]:
    """Two sessions in one day: minutes and distance summed, heart rate and cadence averaged over the minutes."""
    before_minutes = (existing.run_minutes or 0.0) + (existing.walk_minutes or 0.0)
    file_minutes = file["run_minutes"] + file["walk_minutes"]

    def mean(before: int | None, after: int | None) -> int | None:
        if before is None or after is None or before_minutes + file_minutes == 0:
            return after if before is None else before
        weighted: float = (before * before_minutes + after * file_minutes) / (before_minutes + file_minutes)
        return round(weighted)

    def total(before: float | None, after: float | None) -> float | None:
        return None if before is None and after is None else round((before or 0.0) + (after or 0.0), 2)

    running = Sport.RUNNING.value in (existing.sport, file["sport"])
    return {
        "run_minutes": (existing.run_minutes or 0.0) + file["run_minutes"],
        "walk_minutes": (existing.walk_minutes or 0.0) + file["walk_minutes"],
        "source": file["source"],
        "sport": Sport.RUNNING.value if running else file["sport"],
        "distance_km": total(existing.distance_km, file["distance_km"]),
        "avg_hr": mean(existing.avg_hr, file["avg_hr"]),
        "avg_cadence": mean(existing.avg_cadence, file["avg_cadence"]),
    }


async def _log(ctx: RunnerContext, day: date, values: dict[str, Any], keep_worst: bool) -> Outcome:
    """Store the day's session from the file, say how it compares with the prescription, ask the pains."""
    texts = ctx.texts
    prescribed = await repository.decision_on(ctx.session, ctx.user.id, day)
    planned: float | None = None
    if prescribed is not None and prescribed.action == Action.RUN_WALK:
        planned = float(prescribed.payload.get("run_minutes", 0))
    done, compared = _compared(ctx, day, values["run_minutes"], planned, decided=prescribed is not None)
    await repository.save_session_values(ctx.session, ctx.user.id, day, {"done": done, **values}, ctx.now)
    logged = await repository.session_on(ctx.session, ctx.user.id, day)
    data: dict[str, Any] = {"date": day_code(day), "file": "1"}
    if keep_worst:
        data["keep_worst"] = "1"
    ctx.user.flow, ctx.user.flow_step, ctx.user.flow_data = "log", None, data
    return ask_session(ctx, day, "pain_during", logged=logged, lead=f"{compared}\n{texts.FILE_THEN_ASK}")


def _compared(ctx: RunnerContext, day: date, ran: float, planned: float | None, decided: bool) -> tuple[str, str]:
    """The session's `done` answer, and the sentence saying why (`decided`: the day has a plan at all)."""
    texts = ctx.texts
    if planned is None:
        if ran > 0:
            said = texts.FILE_NO_RUN_PRESCRIBED if decided else texts.FILE_NO_PLAN_YET
            return "more", said.format(day=format_day(day, ctx.today, texts=texts), ran=ran)
        return "cross_train", texts.FILE_WALK_ONLY
    if ran > planned + PLANNED_WITHIN_MINUTES:
        done = "more"
    elif ran < planned - PLANNED_WITHIN_MINUTES:
        done = "partial"
    else:
        done = "as_prescribed"
    return done, texts.FILE_COMPARED[done].format(ran=ran, prescribed=planned)


def _offer_cross_training(ctx: RunnerContext, summary: ActivitySummary) -> Outcome:
    """A ride or a swim: not a run to log from a file, but it can count as that day's cross-training."""
    texts = ctx.texts
    day = summary.local_date
    sport = texts.FILE_SPORTS.get(summary.sport.value, summary.sport.value)
    if check_day(summary, ctx.today) is not None:
        log.info("watch file not logged: %s on a day out of range", summary.sport.value)
        return say(ctx, texts.FILE_NOT_ON_FOOT_OLD.format(sport=sport, day=format_day(day, ctx.today, texts=texts)))
    ctx.user.flow, ctx.user.flow_step, ctx.user.flow_data = "log", "done", {"date": day_code(day), "file": "1"}
    text = texts.FILE_NOT_ON_FOOT.format(
        sport=sport, minutes=summary.total_minutes, day=format_day(day, ctx.today, texts=texts)
    )
    return say(ctx, text, (((texts.FILE_CROSS_TRAIN_BUTTON, b.LogAnswer(day, "done", "cross_train")),),))
