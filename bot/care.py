"""The care team: a coach or clinician follows a runner, is alerted when pain pauses the plan, clears a
resume, and sees progress as a picture. Called by the coach; like it, returns `Reply`s and never talks to
Telegram. Every read of a runner's data checks an active follow (and the clinician role for clinical acts).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import charts, plan, texts
from bot.replies import Button, Document, Keyboard, Outcome, Reply
from bot.storage import models, repository
from bot.timezones import local_date, zone
from bot.usecases import buttons as b
from engine.model import Event

INVITATION_LIFETIME = timedelta(hours=48)
CODE_BYTES = 24  # 192 bits, URL-safe: 32 characters, within Telegram's 64 for a /start payload
ROLES = ("coach", "clinician")
DROP_BACK_RULES = ("drop_back_pain", "next_day_soreness", "gap_drop_back")
SUMMARY_WEEKDAY, SUMMARY_TIME = 6, time(19, 0)  # Sunday evening, the follower's own time
REPORT_DAYS = 28


@dataclass
class RunnerContext:
    session: AsyncSession
    user: models.User
    now: datetime
    also: list[Reply] = field(default_factory=list)  # messages to others (followers, the runner) from this update

    @property
    def today(self) -> date:
        return local_date(self.now, self.user.time_zone)


def display_name(user: models.User) -> str:
    return user.first_name or "Your runner"


def hash_code(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def looks_like_code(text: str) -> bool:
    stripped = text.strip()
    return len(stripped) == 32 and all(c.isalnum() or c in "-_" for c in stripped)


def _say(ctx: RunnerContext, text: str, keyboard: Keyboard = ()) -> Outcome:
    outcome = Outcome()
    outcome.say(ctx.user.chat_id, text, keyboard)
    return outcome


async def _active_follow(session: AsyncSession, runner_id: int, follower_id: int) -> models.Follow | None:
    result = await session.execute(
        select(models.Follow).where(
            models.Follow.runner_user_id == runner_id,
            models.Follow.follower_user_id == follower_id,
            models.Follow.active.is_(True),
        )
    )
    return result.scalar_one_or_none()


async def active_followers(session: AsyncSession, runner_id: int) -> list[tuple[models.Follow, models.User]]:
    result = await session.execute(
        select(models.Follow, models.User)
        .join(models.User, models.User.id == models.Follow.follower_user_id)
        .where(models.Follow.runner_user_id == runner_id, models.Follow.active.is_(True), models.User.active.is_(True))
        .order_by(models.Follow.id)
    )
    return [(f, u) for f, u in result.all()]


async def followed_runners(session: AsyncSession, follower_id: int) -> list[tuple[models.Follow, models.User]]:
    result = await session.execute(
        select(models.Follow, models.User)
        .join(models.User, models.User.id == models.Follow.runner_user_id)
        .where(models.Follow.follower_user_id == follower_id, models.Follow.active.is_(True))
        .order_by(models.Follow.id)
    )
    return [(f, u) for f, u in result.all()]


# ------------------------------------------------------------------ invitations


def share(ctx: RunnerContext) -> Outcome:
    keyboard: Keyboard = ((("Coach", b.ShareRole("coach")), ("Clinician", b.ShareRole("clinician"))),)
    return _say(ctx, texts.ASK_SHARE_ROLE, keyboard)


async def create_invitation(ctx: RunnerContext, role: str, bot_username: str) -> Outcome:
    if role not in ROLES:
        return Outcome(notice=texts.FORGED_BUTTON)
    code = secrets.token_urlsafe(CODE_BYTES)
    ctx.session.add(
        models.Invitation(
            runner_user_id=ctx.user.id,
            code_hash=hash_code(code),
            role=role,
            created_at=ctx.now,
            expires_at=ctx.now + INVITATION_LIFETIME,
        )
    )
    link = f"https://t.me/{bot_username}?start={code}"
    return _say(ctx, texts.SHARE_LINK.format(role=texts.ROLE_NAMES[role], link=link, code=code))


async def open_invitation(ctx: RunnerContext, code: str) -> Outcome:
    """A would-be follower opened a link or sent a code: offer it, bound to this chat only."""
    result = await ctx.session.execute(
        select(models.Invitation).where(models.Invitation.code_hash == hash_code(code.strip()))
    )
    invitation = result.scalar_one_or_none()
    if invitation is None:
        return _say(ctx, texts.INVITE_INVALID)
    if invitation.used_at is not None:
        return _say(ctx, texts.INVITE_USED)
    if _aware(invitation.expires_at) <= ctx.now:
        return _say(ctx, texts.INVITE_EXPIRED)
    if invitation.runner_user_id == ctx.user.id:
        return _say(ctx, texts.INVITE_SELF)
    runner = await ctx.session.get(models.User, invitation.runner_user_id)
    assert runner is not None
    # the offer is remembered with this user, so the Accept button cannot be pointed at another invitation
    ctx.user.flow, ctx.user.flow_step, ctx.user.flow_data = "invitation", "offer", {"invitation": invitation.id}
    text = texts.INVITE_OFFER.format(
        runner=display_name(runner), role=texts.ROLE_NAMES[invitation.role], rights=texts.ROLE_RIGHTS[invitation.role]
    )
    return _say(ctx, text, ((("Accept", b.InvitationAnswer(True)), ("Decline", b.InvitationAnswer(False))),))


async def answer_invitation(ctx: RunnerContext, accept: bool) -> tuple[Outcome, bool]:
    """Returns the outcome and whether the follower should now be asked for their time zone."""
    data = ctx.user.flow_data or {}
    if ctx.user.flow != "invitation" or "invitation" not in data:
        return Outcome(notice=texts.STALE_BUTTON), False
    invitation = await ctx.session.get(models.Invitation, int(data["invitation"]))
    ctx.user.flow = ctx.user.flow_step = None
    ctx.user.flow_data = None
    if not accept:
        return _say(ctx, texts.INVITE_DECLINED), False
    if invitation is None or invitation.used_at is not None:
        return _say(ctx, texts.INVITE_USED), False
    if _aware(invitation.expires_at) <= ctx.now:
        return _say(ctx, texts.INVITE_EXPIRED), False
    invitation.used_at = ctx.now  # single use
    runner = await ctx.session.get(models.User, invitation.runner_user_id)
    assert runner is not None
    existing = (
        await ctx.session.execute(
            select(models.Follow).where(
                models.Follow.runner_user_id == runner.id, models.Follow.follower_user_id == ctx.user.id
            )
        )
    ).scalar_one_or_none()
    if existing is not None:
        await ctx.session.delete(existing)
        await ctx.session.flush()
    follow = models.Follow(
        runner_user_id=runner.id, follower_user_id=ctx.user.id, role=invitation.role, active=False, created_at=ctx.now
    )
    ctx.session.add(follow)
    await ctx.session.flush()
    outcome = _say(ctx, texts.INVITE_WAITING.format(runner=display_name(runner)))
    ctx.also.append(
        Reply(
            runner.chat_id,
            texts.CONFIRM_FOLLOWER.format(follower=display_name(ctx.user), role=texts.ROLE_NAMES[follow.role]),
            ((("Confirm", b.ConfirmFollower(follow.id, True)), ("Refuse", b.ConfirmFollower(follow.id, False))),),
        )
    )
    return outcome, ctx.user.next_summary_at is None


async def confirm_follower(ctx: RunnerContext, follow_id: int, yes: bool) -> Outcome:
    follow = await ctx.session.get(models.Follow, follow_id)
    if follow is None or follow.runner_user_id != ctx.user.id:
        return Outcome(notice=texts.FORGED_BUTTON)
    if follow.active:
        return Outcome(notice=texts.STALE_BUTTON)
    follower = await ctx.session.get(models.User, follow.follower_user_id)
    assert follower is not None
    names = {
        "follower": display_name(follower),
        "runner": display_name(ctx.user),
        "role": texts.ROLE_NAMES[follow.role],
    }
    if not yes:
        await ctx.session.delete(follow)
        ctx.also.append(Reply(follower.chat_id, texts.FOLLOWER_REFUSED.format(**names)))
        return _say(ctx, texts.FOLLOWER_REFUSED_RUNNER.format(**names))
    follow.active, follow.confirmed_at = True, ctx.now
    if follower.next_summary_at is None:
        schedule_summary(follower, ctx.now)
    ctx.also.append(Reply(follower.chat_id, texts.FOLLOWER_CONFIRMED.format(**names)))
    return _say(ctx, texts.FOLLOWER_CONFIRMED_RUNNER.format(**names))


# ------------------------------------------------------------------ the runner's side: /team


async def team(ctx: RunnerContext) -> Outcome:
    result = await ctx.session.execute(
        select(models.Follow, models.User)
        .join(models.User, models.User.id == models.Follow.follower_user_id)
        .where(models.Follow.runner_user_id == ctx.user.id)
        .order_by(models.Follow.id)
    )
    rows = result.all()
    if not rows:
        return _say(ctx, texts.TEAM_EMPTY)
    lines, buttons = [texts.TEAM_HEADER], list[tuple[Button]]()
    for follow, follower in rows:
        since = _aware(follow.confirmed_at or follow.created_at).date().isoformat()
        state = "" if follow.active else " (waiting for your confirmation)"
        lines.append(f"• {display_name(follower)}: {follow.role}, since {since}{state}")
        buttons.append(((f"Remove {display_name(follower)}", b.RemoveFollower(follow.id)),))
    return _say(ctx, "\n".join(lines), tuple(buttons))


async def remove_follower(ctx: RunnerContext, follow_id: int) -> Outcome:
    follow = await ctx.session.get(models.Follow, follow_id)
    if follow is None or follow.runner_user_id != ctx.user.id:
        return Outcome(notice=texts.STALE_BUTTON)
    follower = await ctx.session.get(models.User, follow.follower_user_id)
    await ctx.session.delete(follow)  # at once: nothing more reaches them from this moment
    names = {"follower": display_name(follower) if follower else "They", "runner": display_name(ctx.user)}
    if follower is not None:
        ctx.also.append(Reply(follower.chat_id, texts.TEAM_REMOVED_FOLLOWER.format(**names)))
    return _say(ctx, texts.TEAM_REMOVED.format(**names))


# ------------------------------------------------------------------ the follower's side: /runners


async def runners(ctx: RunnerContext) -> Outcome:
    rows = await followed_runners(ctx.session, ctx.user.id)
    if not rows:
        return _say(ctx, texts.RUNNERS_EMPTY)
    buttons = tuple(((f"{display_name(r)} ({f.role})", b.ViewRunner(r.id)),) for f, r in rows)
    return _say(ctx, texts.RUNNERS_HEADER, buttons)


async def _followed(ctx: RunnerContext, runner_id: int, clinician: bool = False) -> models.User | Outcome:
    follow = await _active_follow(ctx.session, runner_id, ctx.user.id)
    if follow is None:
        return Outcome(notice=texts.NOT_FOLLOWING)
    if clinician and follow.role != "clinician":
        return Outcome(notice=texts.NOT_CLINICIAN)
    runner = await ctx.session.get(models.User, runner_id)
    if runner is None:
        return Outcome(notice=texts.NOT_FOLLOWING)
    return runner


async def view_runner(ctx: RunnerContext, runner_id: int) -> Outcome:
    runner = await _followed(ctx, runner_id)
    if isinstance(runner, Outcome):
        return runner
    follow = await _active_follow(ctx.session, runner_id, ctx.user.id)
    assert follow is not None
    today = local_date(ctx.now, runner.time_zone)
    change = await plan.decide_and_store(ctx.session, runner.id, today, ctx.now)
    latest = await repository.checkin_on(ctx.session, runner.id, today)
    answers = plan.checkin_answers(latest)
    status = "PAUSED" if change and change.decision.paused else "active"
    lines = [f"{display_name(runner)}: plan {status}."]
    if change is not None:
        lines.append(f"Today ({today.isoformat()}): {change.decision.message}")
    lines.append("Today's check-in: " + (_answers_text(answers) if answers else "not yet"))
    outcome = _say(ctx, "\n\n".join(lines))
    outcome.say(ctx.user.chat_id, await plan.history_table(ctx.session, runner.id, today), monospace=True)
    buttons: list[Button] = [("Progress chart", b.RunnerProgress(runner.id))]
    if follow.role == "clinician":
        if change is not None and change.decision.paused:
            buttons.append(("Cleared to resume", b.AskClearance(runner.id)))
        buttons.append(("Confirm REDs review", b.ConfirmRedsReview(runner.id)))
        buttons.append(("Confirm readiness", b.ConfirmReadiness(runner.id)))
    buttons.append(("Stop following", b.LeaveRunner(runner.id)))
    outcome.say(ctx.user.chat_id, "Actions:", tuple((b,) for b in buttons))
    return outcome


async def leave(ctx: RunnerContext, runner_id: int) -> Outcome:
    follow = await _active_follow(ctx.session, runner_id, ctx.user.id)
    runner = await ctx.session.get(models.User, runner_id)
    if follow is None or runner is None:
        return Outcome(notice=texts.NOT_FOLLOWING)
    await ctx.session.delete(follow)
    names = {"runner": display_name(runner), "follower": display_name(ctx.user)}
    ctx.also.append(Reply(runner.chat_id, texts.FOLLOWER_LEFT_RUNNER.format(**names)))
    return _say(ctx, texts.FOLLOWER_LEFT.format(**names))


# ------------------------------------------------------------------ clinician actions


async def ask_clearance(ctx: RunnerContext, runner_id: int) -> Outcome:
    runner = await _followed(ctx, runner_id, clinician=True)
    if isinstance(runner, Outcome):
        return runner
    day = local_date(ctx.now, runner.time_zone)
    text = texts.ASK_CLEARANCE.format(runner=display_name(runner), day=day.isoformat())
    return _say(
        ctx,
        text,
        ((("Yes, cleared", b.RecordClearance(runner.id, True)), ("Not yet", b.RecordClearance(runner.id, False))),),
    )


async def record_clearance(ctx: RunnerContext, runner_id: int, cleared: bool) -> tuple[Outcome, models.User | None]:
    """Returns the outcome and, when cleared, the runner whose plan must now be decided again."""
    runner = await _followed(ctx, runner_id, clinician=True)
    if isinstance(runner, Outcome):
        return runner, None
    day = local_date(ctx.now, runner.time_zone)
    names = {"runner": display_name(runner), "clinician": display_name(ctx.user), "day": day.isoformat()}
    if not cleared:
        ctx.also.append(Reply(runner.chat_id, texts.NOT_YET_RUNNER.format(**names)))
        return _say(ctx, texts.NOT_YET_RECORDED.format(**names)), None
    await _add_clinician_event(ctx, runner, day, Event.CLINICIAN_CLEARED)
    ctx.also.append(Reply(runner.chat_id, texts.CLEARED_RUNNER.format(**names)))
    return _say(ctx, texts.CLEARANCE_RECORDED.format(**names)), runner


async def confirm_review(ctx: RunnerContext, runner_id: int, event: Event) -> Outcome:
    """A clinician confirms the runner's REDs review or readiness (`event`: the engine's event for it)."""
    runner = await _followed(ctx, runner_id, clinician=True)
    if isinstance(runner, Outcome):
        return runner
    what = {Event.REDS_REVIEW_CONFIRMED: "health (REDs) review", Event.READINESS_CONFIRMED: "readiness to run"}[event]
    day = local_date(ctx.now, runner.time_zone)
    await _add_clinician_event(ctx, runner, day, event)
    names = {"runner": display_name(runner), "clinician": display_name(ctx.user), "day": day.isoformat(), "what": what}
    ctx.also.append(Reply(runner.chat_id, texts.REVIEW_RUNNER.format(**names)))
    return _say(ctx, texts.REVIEW_RECORDED.format(**names))


async def _add_clinician_event(ctx: RunnerContext, runner: models.User, day: date, kind: str) -> None:
    await repository.add_event(ctx.session, runner.id, day, kind, ctx.now)
    row = (
        await ctx.session.execute(
            select(models.Event).where(
                models.Event.user_id == runner.id, models.Event.local_date == day, models.Event.kind == kind
            )
        )
    ).scalar_one()
    row.actor_user_id = ctx.user.id


# ------------------------------------------------------------------ alerts


def _answers_text(answers: dict[str, object]) -> str:
    parts = []
    for key, label in texts.CHECKIN_LABELS.items():
        if key in answers:
            value = answers[key]
            shown = ("yes" if value else "no") if isinstance(value, bool) else f"{value:g}"
            parts.append(f"{label.lower()} {shown}")
    return ", ".join(parts)


async def alerts(session: AsyncSession, runner: models.User, change: plan.DecisionChange, day: date) -> list[Reply]:
    """What every active follower is told about this decision: a pause, a resume or a drop back."""
    decision = change.decision
    if change.pause_started:
        rules = ", ".join(r for r in decision.reasons if r.startswith("pause_")) or ", ".join(decision.reasons)
        answers = _answers_text(_checkin_dict(change)) or "no check-in"
        text = texts.ALERT_PAUSE.format(
            runner=display_name(runner), day=day.isoformat(), rules=rules, answers=answers, resume=decision.message
        )
    elif change.pause_ended:
        text = texts.ALERT_RESUME.format(runner=display_name(runner), day=day.isoformat(), plan=decision.message)
    elif any(r in change.new_reasons for r in DROP_BACK_RULES):
        rules = ", ".join(r for r in decision.reasons if r in DROP_BACK_RULES)
        text = texts.ALERT_DROP.format(
            runner=display_name(runner), day=day.isoformat(), rules=rules, plan=decision.message
        )
    else:
        return []
    replies = []
    for follow, follower in await active_followers(session, runner.id):
        keyboard: list[Button] = [("View", b.ViewRunner(runner.id))]
        if change.pause_started and follow.role == "clinician":
            keyboard.append(("Cleared to resume", b.AskClearance(runner.id)))
        replies.append(Reply(follower.chat_id, text, (tuple(keyboard),)))
    return replies


def _checkin_dict(change: plan.DecisionChange) -> dict[str, object]:
    checkin = change.checkin
    if checkin is None:
        return {}
    return {key: getattr(checkin, key) for key in texts.CHECKIN_LABELS}


# ------------------------------------------------------------------ pictures, reports and summaries


async def chart_points(session: AsyncSession, runner_id: int, since: date, until: date) -> list[charts.DayPoint]:
    checkins, sessions, _, reports = await repository.history_rows(session, runner_id, since)
    decisions = await repository.decisions_since(session, runner_id, since)
    by_c = {c.local_date: c for c in checkins}
    by_s = {s.local_date: s for s in sessions}
    by_d = {d.local_date: d for d in decisions}
    worst_report: dict[date, int] = {}
    for report in reports:
        worst_report[report.local_date] = max(worst_report.get(report.local_date, 0), report.value)
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


def summary_lines(points: Sequence[charts.DayPoint]) -> list[str]:
    runs = [p for p in points if p.run_minutes > 0]
    pains = [p.bone_pain for p in points if p.bone_pain]
    levels = [p.level for p in points if p.level is not None]
    paused = sum(1 for p in points if p.paused)
    return [
        f"{len(runs)} runs, {sum(p.run_minutes for p in runs):g} run minutes; level {levels[-1] if levels else '–'}.",
        f"Worst bone pain {max(pains) if pains else 0}/10; {paused} paused day(s).",
    ]


async def progress(ctx: RunnerContext, runner_id: int | None = None) -> Outcome:
    runner: models.User | Outcome = ctx.user
    if runner_id is not None and runner_id != ctx.user.id:
        runner = await _followed(ctx, runner_id)
        if isinstance(runner, Outcome):
            return runner
    assert isinstance(runner, models.User)
    profile = await repository.profile_of(ctx.session, runner.id)
    today = local_date(ctx.now, runner.time_zone)
    since = profile.started_on if profile is not None else today
    points = await chart_points(ctx.session, runner.id, max(since, today - timedelta(days=364)), today)
    caption = texts.PROGRESS_CAPTION.format(runner=display_name(runner), summary=" ".join(summary_lines(points)))
    png = charts.progress_png(points, title=f"{display_name(runner)}: return to running")
    return Outcome(replies=[Reply(ctx.user.chat_id, caption, photo=png)])


async def report(ctx: RunnerContext) -> Outcome:
    """The last 4 weeks as a PDF: to every clinician who follows the runner, and a copy to the runner."""
    today = ctx.today
    points = await chart_points(ctx.session, ctx.user.id, today - timedelta(days=REPORT_DAYS - 1), today)
    title = f"RunBack report: {display_name(ctx.user)}, {points[0].day.isoformat()} to {today.isoformat()}"
    table = await plan.history_table(ctx.session, ctx.user.id, today, days=REPORT_DAYS)
    pdf = charts.report_pdf(points, title, summary_lines(points), table)
    document = Document(f"runback-report-{today.isoformat()}.pdf", pdf)
    caption = texts.REPORT_CAPTION.format(runner=display_name(ctx.user))
    clinicians = [u for f, u in await active_followers(ctx.session, ctx.user.id) if f.role == "clinician"]
    outcome = Outcome()
    for clinician in clinicians:
        ctx.also.append(Reply(clinician.chat_id, caption, document=document))
    if clinicians:
        names = ", ".join(display_name(c) for c in clinicians)
        outcome.say(ctx.user.chat_id, texts.REPORT_SENT.format(plural="s" if len(clinicians) > 1 else "", names=names))
    else:
        outcome.say(ctx.user.chat_id, texts.REPORT_NO_CLINICIAN)
    outcome.replies.append(Reply(ctx.user.chat_id, caption, document=document))
    return outcome


def schedule_summary(follower: models.User, now: datetime) -> None:
    """The next Sunday 19:00 in the follower's own zone, strictly after `now`."""
    tz = zone(follower.time_zone)
    local = now.astimezone(tz)
    days_ahead = (SUMMARY_WEEKDAY - local.weekday()) % 7
    candidate = datetime.combine(local.date() + timedelta(days=days_ahead), SUMMARY_TIME, tzinfo=tz)
    if candidate <= local:
        candidate += timedelta(days=7)
    follower.next_summary_at = candidate.astimezone(now.tzinfo)


async def weekly_summaries(session: AsyncSession, now: datetime, limit: int) -> list[Reply]:
    """Claim every follower whose Sunday-evening summary is due and build one summary per runner they follow."""
    result = await session.execute(
        select(models.User)
        .where(models.User.active.is_(True), models.User.next_summary_at <= now)
        .limit(limit)
        .with_for_update(skip_locked=True)  # several workers (PostgreSQL): each follower claimed by one
    )
    replies = []
    for follower in result.scalars().all():
        schedule_summary(follower, now)  # claimed first: never twice
        for _, runner in await followed_runners(session, follower.id):
            last = local_date(now, runner.time_zone)
            first = last - timedelta(days=6)
            points = await chart_points(session, runner.id, first, last)
            checkins, _, _, _ = await repository.history_rows(session, runner.id, first)
            missed = 7 - sum(1 for c in checkins if c.local_date <= last and plan.is_complete(c))
            header = texts.WEEKLY_HEADER.format(runner=display_name(runner), first=first, last=last)
            text = "\n".join([header, *summary_lines(points), f"Check-ins missed: {missed}."])
            png = charts.progress_png(points, title=f"{display_name(runner)}: last 7 days")
            replies.append(Reply(follower.chat_id, text, photo=png))
    return replies


async def reevaluation(session: AsyncSession, runner: models.User, day: date) -> list[Reply]:
    """The protocol's 4-weekly re-evaluation: a summary for the runner and every follower."""
    points = await chart_points(session, runner.id, day - timedelta(days=REPORT_DAYS - 1), day)
    text = "\n".join([texts.REEVALUATE_HEADER.format(runner=display_name(runner)), *summary_lines(points)])
    png = charts.progress_png(points, title=f"{display_name(runner)}: last 4 weeks")
    chats = [runner.chat_id, *(u.chat_id for _, u in await active_followers(session, runner.id))]
    return [Reply(chat, text, photo=png) for chat in chats]


async def forget_follows(session: AsyncSession, user_id: int) -> None:
    """For /delete: every follow and invitation the user is part of, either side."""
    await session.execute(
        delete(models.Follow).where(
            (models.Follow.runner_user_id == user_id) | (models.Follow.follower_user_id == user_id)
        )
    )
    await session.execute(delete(models.Invitation).where(models.Invitation.runner_user_id == user_id))


def _aware(moment: datetime) -> datetime:
    # SQLite returns naive datetimes; everything stored is UTC
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
