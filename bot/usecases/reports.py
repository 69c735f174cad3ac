"""What the care team and the runner are shown about a runner's course: progress charts, the 4-week PDF
report, the weekly summary and the re-evaluation (alerts: bot/usecases/alerts.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from bot import charts
from bot.i18n import Texts
from bot.replies import Chart, Document, Outcome, Reply
from bot.storage import follows, models, repository
from bot.storage.unit_of_work import DbSession
from bot.timezones import local_date
from bot.usecases import plan
from bot.usecases.access import followed
from bot.usecases.adjustment import adjustment_text
from bot.usecases.context import RunnerContext, display_name, texts_of, uses_miles
from bot.usecases.file_data import KM_PER_MILE
from bot.usecases.first_page import first_page
from bot.usecases.schedule import schedule_summary

REPORT_DAYS = 28


def answers_text(answers: dict[str, object], *, texts: Texts) -> str:
    parts = []
    for key, label in texts.CHECKIN_LABELS.items():
        if key in answers:
            value = answers[key]
            shown = (texts.ANSWER_YES if value else texts.ANSWER_NO) if isinstance(value, bool) else f"{value:g}"
            parts.append(texts.ANSWER_SHOWN.format(label=label.lower(), value=shown))
    return ", ".join(parts)


# ------------------------------------------------------------------ pictures, reports and summaries


async def chart_points(session: DbSession, runner_id: int, since: date, until: date) -> list[charts.DayPoint]:
    checkins, sessions, _, reports = await repository.history_rows(session, runner_id, since)
    decisions = await repository.decisions_since(session, runner_id, since)
    by_c = {c.local_date: c for c in checkins}
    by_s = {s.local_date: s for s in sessions}
    by_d = {d.local_date: d for d in decisions}
    worst_report: dict[date, int] = {}
    for report_row in reports:
        worst_report[report_row.local_date] = max(worst_report.get(report_row.local_date, 0), report_row.value)
    points = []
    day = since
    while day <= until:
        c, s, d = by_c.get(day), by_s.get(day), by_d.get(day)
        pains = [
            v
            for v in (
                s.pain_during if s else None,
                s.pain_after if s else None,
                c.pain_rest if c else None,
                c.pain_walking if c else None,
                c.pain_next_day if c else None,
                worst_report.get(day),
            )
            if v is not None
        ]
        cap = (d.payload or {}).get("weekly_target_minutes") if d is not None else None
        points.append(
            charts.DayPoint(
                day=day,
                run_minutes=float(s.run_minutes or 0) if s else 0.0,
                level=d.level if d else None,
                bone_pain=max(pains) if pains else None,
                paused=bool(d and d.paused),
                weekly_cap=float(cap) if isinstance(cap, int | float) else None,
            )
        )
        day += timedelta(days=1)
    return points


def summary_lines(points: Sequence[charts.DayPoint], *, texts: Texts) -> list[str]:
    runs = [p for p in points if p.run_minutes > 0]
    pains = [p.bone_pain for p in points if p.bone_pain]
    levels = [p.level for p in points if p.level is not None]
    paused = sum(1 for p in points if p.paused)
    minutes = sum(p.run_minutes for p in runs)
    return [
        texts.SUMMARY_RUNS.format(runs=len(runs), minutes=minutes, level=levels[-1] if levels else texts.NO_LEVEL),
        texts.SUMMARY_PAIN.format(pain=max(pains) if pains else 0, paused=paused),
    ]


async def progress(ctx: RunnerContext, runner_id: int | None = None) -> Outcome:
    """/progress, or a follower's "Progress chart": the course since the start as a picture."""
    texts = ctx.texts
    runner: models.User | Outcome = ctx.user
    if runner_id is not None and runner_id != ctx.user.id:
        runner = await followed(ctx, runner_id)
        if isinstance(runner, Outcome):
            return runner
    assert isinstance(runner, models.User)
    profile = await repository.profile_of(ctx.session, runner.id)
    today = local_date(ctx.now, runner.time_zone)
    since = profile.started_on if profile is not None else today
    points = await chart_points(ctx.session, runner.id, max(since, today - timedelta(days=364)), today)
    name = display_name(runner, texts=texts)
    lines = summary_lines(points, texts=texts)
    _, sessions, _, _ = await repository.history_rows(ctx.session, runner.id, points[0].day)
    from_files = [s for s in sessions if s.source]
    if from_files:  # what the watch recorded, next to what the runner said
        km = sum(s.distance_km or 0.0 for s in from_files)
        if uses_miles(ctx.user):
            lines.append(texts.SUMMARY_FILES_MILES.format(count=len(from_files), mi=km / KM_PER_MILE))
        else:
            lines.append(texts.SUMMARY_FILES.format(count=len(from_files), km=km))
    caption = texts.PROGRESS_CAPTION.format(runner=name, summary=" ".join(lines))
    png = charts.progress_png(points, texts.CHART_TITLE.format(runner=name), texts.language.code)
    return Outcome(replies=[Reply(ctx.user.chat_id, caption, photo=png)])


async def report(ctx: RunnerContext) -> Outcome:
    """The last 4 weeks as a PDF: to every clinician who follows the runner, and a copy to the runner."""
    texts = ctx.texts
    today = ctx.today
    points = await chart_points(ctx.session, ctx.user.id, today - timedelta(days=REPORT_DAYS - 1), today)
    documents: dict[str, tuple[Document, str]] = {}  # one PDF per language among its readers

    async def document_in(reader: Texts) -> tuple[Document, str]:
        code = reader.language.code
        if code not in documents:
            name = display_name(ctx.user, texts=reader)
            title = reader.REPORT_TITLE.format(runner=name, first=points[0].day.isoformat(), last=today.isoformat())
            table = await plan.history_table(ctx.session, ctx.user.id, today, days=REPORT_DAYS, texts=reader)
            adjustment = await adjustment_text(ctx.session, ctx.user.id, texts=reader)
            summary = [*summary_lines(points, texts=reader), adjustment]
            first_title = reader.FIRST_PAGE_TITLE.format(runner=name)
            first = await first_page(ctx.session, ctx.user, points[0].day, today, first_title, texts=reader)
            pdf = charts.report_pdf(points, title, summary, table, first, code)
            documents[code] = (
                Document(texts.REPORT_FILENAME.format(day=today.isoformat()), pdf),
                reader.REPORT_CAPTION.format(runner=name),
            )
        return documents[code]

    clinicians = [u for f, u in await follows.active_followers(ctx.session, ctx.user.id) if f.role == "clinician"]
    outcome = Outcome()
    for clinician in clinicians:
        document, caption = await document_in(texts_of(clinician))
        ctx.also.append(Reply(clinician.chat_id, caption, document=document))
    document, caption = await document_in(texts)
    if clinicians:
        names = ", ".join(display_name(c, texts=texts) for c in clinicians)
        outcome.say(ctx.user.chat_id, texts.REPORT_SENT.format(count=len(clinicians), names=names))
    else:
        outcome.say(ctx.user.chat_id, texts.REPORT_NO_CLINICIAN)
    outcome.replies.append(Reply(ctx.user.chat_id, caption, document=document))
    return outcome


async def weekly_summaries(session: DbSession, now: datetime, limit: int) -> list[Reply]:
    """Claim every follower whose Sunday-evening summary is due and build one summary per runner they follow."""
    replies = []
    for follower in await follows.due_summaries(session, now, limit):
        schedule_summary(follower, now)  # claimed first: never twice
        texts = texts_of(follower)  # the summary reads in the follower's language
        for follow, runner in await follows.followed_runners(session, follower.id):
            last = local_date(now, runner.time_zone)
            first = last - timedelta(days=6)
            points = await chart_points(session, runner.id, first, last)
            checkins, _, _, _ = await repository.history_rows(session, runner.id, first)
            missed = 7 - sum(1 for c in checkins if c.local_date <= last and plan.is_complete(c))
            name = display_name(runner, texts=texts)
            header = texts.WEEKLY_HEADER.format(runner=name, first=first, last=last)
            adjustment = await adjustment_text(session, runner.id, texts=texts)
            missed_line = texts.CHECKINS_MISSED.format(missed=missed)
            text = "\n".join([header, *summary_lines(points, texts=texts), missed_line, adjustment])
            png = charts.progress_png(points, texts.CHART_TITLE_WEEK.format(runner=name), texts.language.code)
            replies.append(Reply(follower.chat_id, text, photo=png))
            if follow.summary_alerts:  # the alerts this follower chose to read here; each is read once
                alerts_text = texts.ALERT_SEPARATOR.join(
                    [texts.WEEKLY_ALERTS_HEADER.format(runner=name), *follow.summary_alerts]
                )
                follow.summary_alerts = None
                replies.append(Reply(follower.chat_id, alerts_text[: texts.MAX_MESSAGE]))
    return replies


async def reevaluation(session: DbSession, runner: models.User, day: date) -> list[Reply]:
    """The protocol's 4-weekly re-evaluation: a summary for the runner and every follower."""
    points = await chart_points(session, runner.id, day - timedelta(days=REPORT_DAYS - 1), day)
    replies = []
    for reader in [runner, *(u for _, u in await follows.active_followers(session, runner.id))]:
        texts = texts_of(reader)  # each reads it in their own language
        name = display_name(runner, texts=texts)
        adjustment = await adjustment_text(session, runner.id, texts=texts)
        text = "\n".join([texts.REEVALUATE_HEADER.format(runner=name), *summary_lines(points, texts=texts), adjustment])
        # drawn when sent, after the plan this review follows (bot/replies.py Chart)
        chart = Chart(tuple(points), texts.CHART_TITLE_FOUR_WEEKS.format(runner=name), texts.language.code)
        replies.append(Reply(reader.chat_id, text, photo=chart))
    return replies
