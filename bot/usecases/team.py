"""The care team: a runner invites a coach or clinician (/share), confirms or removes them (/team); a follower
sees the runners they follow (/runners) and, as a clinician, clears a resume and confirms reviews.

Every read of a runner's data checks an active follow (and the clinician role for clinical acts).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from bot.i18n import Texts
from bot.replies import Button, Keyboard, Outcome, Reply
from bot.storage import follows, models, repository
from bot.timezones import local_date
from bot.usecases import buttons as b
from bot.usecases import plan
from bot.usecases.access import followed
from bot.usecases.adjustment import adjustment_text
from bot.usecases.alerts import silence_days_of
from bot.usecases.context import RunnerContext, display_name, end_flow, language_code, say, texts_of, uses_miles
from bot.usecases.decisions import decide, plan_outcome
from bot.usecases.reports import answers_text
from bot.usecases.schedule import schedule_summary
from bot.usecases.steps import steps_in
from engine.messages import render
from engine.model import Event

INVITATION_LIFETIME = timedelta(hours=48)
CODE_BYTES = 24  # 192 bits, URL-safe: 32 characters, within Telegram's 64 for a /start payload
ROLES = ("coach", "clinician")


def hash_code(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def looks_like_code(text: str) -> bool:
    stripped = text.strip()
    return len(stripped) == 32 and all(c.isalnum() or c in "-_" for c in stripped)


# ------------------------------------------------------------------ invitations


async def share(ctx: RunnerContext) -> Outcome:
    texts = ctx.texts
    keyboard: Keyboard = (tuple((texts.ROLE_BUTTONS[role], b.ShareRole(role)) for role in ROLES),)
    return say(ctx, texts.ASK_SHARE_ROLE, keyboard)


async def create_invitation(ctx: RunnerContext, role: str) -> Outcome:
    texts = ctx.texts
    if role not in ROLES:
        return Outcome(notice=texts.FORGED_BUTTON)
    code = secrets.token_urlsafe(CODE_BYTES)
    await follows.add_invitation(
        ctx.session, ctx.user.id, hash_code(code), role, ctx.now, ctx.now + INVITATION_LIFETIME
    )
    link = f"https://t.me/{ctx.bot_username}?start={code}"
    return say(ctx, texts.SHARE_LINK.format(role=texts.ROLE_NAMES[role], link=link, code=code))


async def open_invitation(ctx: RunnerContext, code: str) -> Outcome:
    """A would-be follower opened a link or sent a code: offer it, bound to this chat only."""
    texts = ctx.texts
    invitation = await follows.invitation_by_code_hash(ctx.session, hash_code(code.strip()))
    if invitation is None:
        return say(ctx, texts.INVITE_INVALID)
    if invitation.used_at is not None:
        return say(ctx, texts.INVITE_USED)
    if _aware(invitation.expires_at) <= ctx.now:
        return say(ctx, texts.INVITE_EXPIRED)
    if invitation.runner_user_id == ctx.user.id:
        return say(ctx, texts.INVITE_SELF)
    runner = await follows.user_by_id(ctx.session, invitation.runner_user_id)
    assert runner is not None
    # the offer is remembered with this user, so the Accept button cannot be pointed at another invitation
    ctx.user.flow, ctx.user.flow_step, ctx.user.flow_data = "invitation", "offer", {"invitation": invitation.id}
    text = texts.INVITE_OFFER.format(
        runner=display_name(runner, texts=texts),
        role=texts.ROLE_NAMES[invitation.role],
        rights=texts.FOLLOWER_RIGHTS[invitation.role],
    )
    keyboard: Keyboard = (
        ((texts.ACCEPT, b.InvitationAnswer(True)), (texts.DECLINE_INVITATION, b.InvitationAnswer(False))),
    )
    return say(ctx, text, keyboard)


async def answer_invitation(ctx: RunnerContext, accept: bool) -> Outcome:
    """Accept or decline the invitation offered; a new follower is then asked for their time zone."""
    texts = ctx.texts
    data = ctx.user.flow_data or {}
    if ctx.user.flow != "invitation" or "invitation" not in data:
        return Outcome(notice=texts.STALE_BUTTON)
    invitation = await follows.invitation(ctx.session, int(data["invitation"]))
    end_flow(ctx.user)
    if not accept:
        return say(ctx, texts.INVITE_DECLINED)
    if invitation is None or invitation.used_at is not None:
        return say(ctx, texts.INVITE_USED)
    if _aware(invitation.expires_at) <= ctx.now:
        return say(ctx, texts.INVITE_EXPIRED)
    invitation.used_at = ctx.now  # single use
    runner = await follows.user_by_id(ctx.session, invitation.runner_user_id)
    assert runner is not None
    follow = await follows.new_follow(ctx.session, runner.id, ctx.user.id, invitation.role, ctx.now)
    outcome = say(ctx, texts.INVITE_WAITING.format(runner=display_name(runner, texts=texts)))
    theirs = texts_of(runner)  # the runner reads it in their own language
    text = theirs.CONFIRM_FOLLOWER.format(
        follower=display_name(ctx.user, texts=theirs), role=theirs.ROLE_NAMES[follow.role]
    )
    keyboard: Keyboard = (
        ((theirs.CONFIRM, b.ConfirmFollower(follow.id, True)), (theirs.REFUSE, b.ConfirmFollower(follow.id, False))),
    )
    ctx.also.append(Reply(runner.chat_id, text, keyboard))
    if ctx.user.next_summary_at is None:
        ctx.user.flow, ctx.user.flow_step, ctx.user.flow_data = "follower", "timezone", {}
        outcome.say(
            ctx.user.chat_id,
            texts.ASK_FOLLOWER_ZONE,
            steps_in(language_code(ctx.user))["timezone"].keyboard("timezone"),
        )
    return outcome


async def confirm_follower(ctx: RunnerContext, follow_id: int, yes: bool) -> Outcome:
    texts = ctx.texts
    follow = await follows.follow(ctx.session, follow_id)
    if follow is None or follow.runner_user_id != ctx.user.id:
        return Outcome(notice=texts.FORGED_BUTTON)
    if follow.active:
        return Outcome(notice=texts.STALE_BUTTON)
    follower = await follows.user_by_id(ctx.session, follow.follower_user_id)
    assert follower is not None

    def names_in(reader: Texts) -> dict[str, str]:
        return {
            "follower": display_name(follower, texts=reader),
            "runner": display_name(ctx.user, texts=reader),
            "role": reader.ROLE_NAMES[follow.role],
        }

    names, theirs = names_in(texts), texts_of(follower)  # the follower reads it in their own language
    if not yes:
        await follows.remove_follow(ctx.session, follow)
        ctx.also.append(Reply(follower.chat_id, theirs.FOLLOWER_REFUSED.format(**names_in(theirs))))
        return say(ctx, texts.FOLLOWER_REFUSED_RUNNER.format(**names))
    follow.active, follow.confirmed_at = True, ctx.now
    if follower.next_summary_at is None:
        schedule_summary(follower, ctx.now)
    ctx.also.append(Reply(follower.chat_id, theirs.FOLLOWER_CONFIRMED.format(**names_in(theirs))))
    return say(ctx, texts.FOLLOWER_CONFIRMED_RUNNER.format(**names))


# ------------------------------------------------------------------ the runner's side: /team


async def team(ctx: RunnerContext) -> Outcome:
    texts = ctx.texts
    rows = await follows.team_of(ctx.session, ctx.user.id)
    if not rows:
        return say(ctx, texts.TEAM_EMPTY)
    lines, buttons = [texts.TEAM_HEADER], list[tuple[Button]]()
    for follow, follower in rows:
        since = _aware(follow.confirmed_at or follow.created_at).date().isoformat()
        state = "" if follow.active else texts.TEAM_WAITING
        name = display_name(follower, texts=texts)
        lines.append(texts.TEAM_LINE.format(follower=name, role=follow.role, since=since, state=state))
        buttons.append(((texts.REMOVE_FOLLOWER_BUTTON.format(follower=name), b.RemoveFollower(follow.id)),))
    return say(ctx, "\n".join(lines), tuple(buttons))


async def remove_follower(ctx: RunnerContext, follow_id: int) -> Outcome:
    texts = ctx.texts
    follow = await follows.follow(ctx.session, follow_id)
    if follow is None or follow.runner_user_id != ctx.user.id:
        return Outcome(notice=texts.STALE_BUTTON)
    follower = await follows.user_by_id(ctx.session, follow.follower_user_id)
    await follows.remove_follow(ctx.session, follow)  # at once: nothing more reaches them from this moment
    shown = display_name(follower, texts=texts) if follower else texts.UNNAMED_FOLLOWER
    names = {"follower": shown, "runner": display_name(ctx.user, texts=texts)}
    if follower is not None:
        theirs = texts_of(follower)
        told = {"runner": display_name(ctx.user, texts=theirs)}
        ctx.also.append(Reply(follower.chat_id, theirs.TEAM_REMOVED_FOLLOWER.format(**told)))
    return say(ctx, texts.TEAM_REMOVED.format(**names))


# ------------------------------------------------------------------ the follower's side: /runners


async def runners(ctx: RunnerContext) -> Outcome:
    texts = ctx.texts
    rows = await follows.followed_runners(ctx.session, ctx.user.id)
    if not rows:
        return say(ctx, texts.RUNNERS_EMPTY)
    buttons = tuple(
        ((texts.RUNNER_BUTTON.format(runner=display_name(r, texts=texts), role=f.role), b.ViewRunner(r.id)),)
        for f, r in rows
    )
    return say(ctx, texts.RUNNERS_HEADER, buttons)


async def view_runner(ctx: RunnerContext, runner_id: int) -> Outcome:
    texts = ctx.texts
    runner = await followed(ctx, runner_id)
    if isinstance(runner, Outcome):
        return runner
    follow = await follows.active_follow(ctx.session, runner_id, ctx.user.id)
    assert follow is not None
    today = local_date(ctx.now, runner.time_zone)
    change = await plan.decide_and_store(ctx.session, runner.id, today, ctx.now)
    latest = await repository.checkin_on(ctx.session, runner.id, today)
    answers = plan.checkin_answers(latest)
    status = texts.STATUS_PAUSED if change and change.decision.paused else texts.STATUS_ACTIVE
    lines = [texts.VIEW_STATUS.format(runner=display_name(runner, texts=texts), status=status)]
    if change is not None:
        lines.append(texts.VIEW_TODAY.format(day=today.isoformat(), plan=render(change.decision, texts.language)))
    lines.append(
        texts.VIEW_CHECKIN.format(answers=answers_text(answers, texts=texts) if answers else texts.VIEW_NO_CHECKIN)
    )
    lines.append(await adjustment_text(ctx.session, runner.id, texts=texts))
    outcome = say(ctx, "\n\n".join(lines))
    table = await plan.history_table(ctx.session, runner.id, today, texts=texts, miles=uses_miles(ctx.user))
    outcome.say(ctx.user.chat_id, table, monospace=True)
    buttons: list[Button] = [(texts.PROGRESS_BUTTON, b.RunnerProgress(runner.id))]
    if follow.role == "clinician":
        if change is not None and change.decision.paused:
            buttons.append((texts.CLEARED_BUTTON, b.AskClearance(runner.id)))
        buttons.append((texts.CONFIRM_REDS_BUTTON, b.ConfirmRedsReview(runner.id)))
        buttons.append((texts.CONFIRM_READINESS_BUTTON, b.ConfirmReadiness(runner.id)))
        buttons.append((texts.ADJUST_BUTTON, b.AdjustPlan(runner.id)))
        silence = silence_days_of(await repository.profile_of(ctx.session, runner.id))
        buttons.append((texts.SILENCE_BUTTON.format(days=silence), b.AskSilenceDays(runner.id)))
    buttons.append((texts.STOP_FOLLOWING_BUTTON, b.LeaveRunner(runner.id)))
    outcome.say(ctx.user.chat_id, texts.VIEW_ACTIONS, tuple((button,) for button in buttons))
    return outcome


async def leave(ctx: RunnerContext, runner_id: int) -> Outcome:
    texts = ctx.texts
    follow = await follows.active_follow(ctx.session, runner_id, ctx.user.id)
    runner = await follows.user_by_id(ctx.session, runner_id)
    if follow is None or runner is None:
        return Outcome(notice=texts.NOT_FOLLOWING)
    await follows.remove_follow(ctx.session, follow)
    names = {"runner": display_name(runner, texts=texts), "follower": display_name(ctx.user, texts=texts)}
    theirs = texts_of(runner)
    told = {"follower": display_name(ctx.user, texts=theirs)}
    ctx.also.append(Reply(runner.chat_id, theirs.FOLLOWER_LEFT_RUNNER.format(**told)))
    return say(ctx, texts.FOLLOWER_LEFT.format(**names))


# ------------------------------------------------------------------ clinician actions


async def ask_clearance(ctx: RunnerContext, runner_id: int) -> Outcome:
    texts = ctx.texts
    runner = await followed(ctx, runner_id, clinician=True)
    if isinstance(runner, Outcome):
        return runner
    day = local_date(ctx.now, runner.time_zone)
    text = texts.ASK_CLEARANCE.format(runner=display_name(runner, texts=texts), day=day.isoformat())
    keyboard: Keyboard = (
        ((texts.YES_CLEARED, b.RecordClearance(runner.id, True)), (texts.NOT_YET, b.RecordClearance(runner.id, False))),
    )
    return say(ctx, text, keyboard)


async def record_clearance(ctx: RunnerContext, runner_id: int, cleared: bool) -> Outcome:
    """A clinician's answer; cleared, the runner's day is decided again (the pause may end today)."""
    texts = ctx.texts
    runner = await followed(ctx, runner_id, clinician=True)
    if isinstance(runner, Outcome):
        return runner
    day = local_date(ctx.now, runner.time_zone)
    names = {
        "runner": display_name(runner, texts=texts),
        "clinician": display_name(ctx.user, texts=texts),
        "day": day.isoformat(),
    }
    theirs = texts_of(runner)  # the runner reads it in their own language
    told = names | {"clinician": display_name(ctx.user, texts=theirs)}
    if not cleared:
        ctx.also.append(Reply(runner.chat_id, theirs.NOT_YET_RUNNER.format(**told)))
        return say(ctx, texts.NOT_YET_RECORDED.format(**names))
    await _add_clinician_event(ctx, runner, Event.CLINICIAN_CLEARED)
    ctx.also.append(Reply(runner.chat_id, theirs.CLEARED_RUNNER.format(**told)))
    outcome = say(ctx, texts.CLEARANCE_RECORDED.format(**names))
    runner_ctx = ctx.about(runner)
    change = await decide(runner_ctx, runner_ctx.today)
    if change is not None and change.pause_ended:
        runner_ctx.also.insert(0, plan_outcome(runner_ctx, change, None).replies[0])
    ctx.also.extend(runner_ctx.also)
    return outcome


async def confirm_review(ctx: RunnerContext, runner_id: int, event: Event) -> Outcome:
    """A clinician confirms the runner's REDs review or readiness (`event`: the engine's event for it)."""
    texts = ctx.texts
    runner = await followed(ctx, runner_id, clinician=True)
    if isinstance(runner, Outcome):
        return runner
    day = local_date(ctx.now, runner.time_zone)
    await _add_clinician_event(ctx, runner, event)
    names = {
        "runner": display_name(runner, texts=texts),
        "clinician": display_name(ctx.user, texts=texts),
        "day": day.isoformat(),
        "what": texts.REVIEW_WHAT[event.value],
    }
    theirs = texts_of(runner)  # the runner reads it in their own language
    told = names | {"clinician": display_name(ctx.user, texts=theirs), "what": theirs.REVIEW_WHAT[event.value]}
    ctx.also.append(Reply(runner.chat_id, theirs.REVIEW_RUNNER.format(**told)))
    return say(ctx, texts.REVIEW_RECORDED.format(**names))


async def _add_clinician_event(ctx: RunnerContext, runner: models.User, kind: Event) -> None:
    day = local_date(ctx.now, runner.time_zone)
    await repository.add_event(ctx.session, runner.id, day, kind, ctx.now)
    await follows.set_event_actor(ctx.session, runner.id, day, kind, ctx.user.id)


def _aware(moment: datetime) -> datetime:
    # SQLite returns naive datetimes; everything stored is UTC
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
